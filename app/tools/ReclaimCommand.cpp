#include "tools/ReclaimCommand.h"

#include "common/Format.h"
#include "etcd/ConnectionSettings.h"

void ReclaimCommand::start()
{
    const bool defrag = m_options.command == QLatin1String("defrag");
    ReclaimOptions options;
    if (defrag) {
        const bool all = m_options.isSet(QStringLiteral("all"));
        if (all == (m_options.positional.size() == 1) || m_options.positional.size() > 1) {
            fail(QStringLiteral("usage: quorumdeck defrag MEMBER | defrag --all"));
            return;
        }
        options.member = m_options.positional.value(0);
        options.disarm = false;
    } else {
        if (!m_options.positional.isEmpty()) {
            fail(QStringLiteral("usage: quorumdeck reclaim [--compact]"));
            return;
        }
        options.compact = m_options.isSet(QStringLiteral("compact"));
    }
    if (m_options.isSet(QStringLiteral("pause"))) {
        const auto ms = ConnectionSettings::parseDurationMs(m_options.value(QStringLiteral("pause")));
        if (!ms) {
            fail(QStringLiteral("--pause takes a duration such as 5s or 500ms"));
            return;
        }
        options.pauseMs = *ms;
    }
    if (m_options.isSet(QStringLiteral("min-free"))) {
        options.minFree = Format::parseBytes(m_options.value(QStringLiteral("min-free")));
        if (options.minFree <= 0) {
            fail(QStringLiteral("--min-free takes a size such as 64MiB"));
            return;
        }
    }
    withSnapshot([this, options](const ClusterSnapshot &s) {
        m_runbook = new ReclaimRunbook(client(), this);
        connect(m_runbook, &ReclaimRunbook::stepChanged, this, [this](int, const ReclaimStep &step) {
            if (m_options.json())
                return;
            // A running step's detail tells where it stands (moving leadership, catching up).
            if (step.state == ReclaimStep::State::Running && !step.detail.isEmpty()) {
                printErr(QStringLiteral("  %1\n").arg(step.detail));
                return;
            }
            // Progress goes to stderr, so that stdout holds only the outcome.
            if (step.state == ReclaimStep::State::Running)
                printErr(QStringLiteral("%1 …\n").arg(step.title()));
            else if (step.finished())
                printErr(QStringLiteral("%1: %2%3\n")
                             .arg(step.title(), reclaimStateName(step.state),
                                 step.detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(step.detail)));
        });
        connect(m_runbook, &ReclaimRunbook::finished, this, [this, s, options](const OperationResult &r) {
            journal(s, options.member.isEmpty() ? QStringLiteral("reclaim") : QStringLiteral("defragment"),
                options.member, r);
            finishWith(r);
        });
        const ReclaimPlan plan = ReclaimRunbook::plan(s, options);
        if (plan.allowed && !m_options.json() && !plan.warning.isEmpty())
            printErr(plan.warning + QLatin1Char('\n'));
        m_runbook->start(s, options);
    });
}
