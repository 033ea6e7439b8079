#include "tools/ChaosCommand.h"

#include "chaos/ChaosRunner.h"
#include "cluster/OperationResult.h"
#include "demo/LocalCluster.h"

#include <QRandomGenerator>

void ChaosCommand::start()
{
    if (m_options.positional.size() != 1)
        return fail(QStringLiteral("usage: quorumdeck demo chaos [--duration D] [--seed S] [--dir DIR] [-w json]"));
    for (const char *flag :
        {"members", "etcd", "base-port", "quota", "tls", "auth", "auth-token-ttl", "size", "ms", "jitter", "percent"}) {
        if (m_options.isSet(QString::fromLatin1(flag)))
            return fail(QStringLiteral("--%1 does not apply to demo chaos").arg(QLatin1String(flag)));
    }
    ChaosRunner::Options options;
    if (m_options.isSet(QStringLiteral("duration"))) {
        const auto ms = ConnectionSettings::parseDurationMs(m_options.value(QStringLiteral("duration")));
        if (!ms || *ms < 1000 || *ms > 24 * 3600 * 1000)
            return fail(QStringLiteral("--duration takes a time from 1s to 24h, such as 60s or 5m"));
        options.durationMs = *ms;
    }
    if (m_options.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        options.seed = m_options.value(QStringLiteral("seed")).toUInt(&ok);
        if (!ok)
            return fail(QStringLiteral("--seed takes a number from 0 to 4294967295"));
    } else {
        options.seed = QRandomGenerator::global()->generate();
    }
    auto *cluster = new LocalCluster(this);
    if (const Result<void> attached = cluster->attach(m_options.dir); !attached)
        return fail(attached.error().describe());
    if (!cluster->manifest().network.enabled())
        return fail(QStringLiteral("the demo cluster in %1 has no peer proxies; start it again with quorumdeck demo up")
                        .arg(m_options.dir));
    m_options.settings.endpoints = cluster->manifest().endpoints();
    m_options.useDemoCredentials(cluster->manifest());
    withSnapshot([=, this](const ClusterSnapshot &first) {
        auto *runner = new ChaosRunner(cluster, client(), options, this);
        connect(runner, &ChaosRunner::progress, this, [this](const QString &s) { printErr(s + QLatin1Char('\n')); });
        runner->start([=, this](const ChaosVerdict &verdict, const QJsonObject &summary) {
            const QString sentence = verdict.ok()
                ? QStringLiteral("chaos run with seed %1: every invariant held").arg(options.seed)
                : QStringLiteral("chaos run with seed %1: %2 violation(s)")
                      .arg(options.seed)
                      .arg(verdict.violations.size());
            journal(first, QStringLiteral("demo-chaos"), QStringLiteral("seed %1").arg(options.seed),
                verdict.ok() ? OperationResult::done(sentence) : OperationResult::failed(sentence));
            if (m_options.json()) {
                printJson(summary);
            } else {
                QString text
                    = QStringLiteral("%1\n\nfaults applied:        %2\nelections (member logs): %3 (%4 "
                                     "overtaken before any tick, %10 re-elections)\nleader events:         %5\n"
                                     "worst detection lag:   %6 ms\nworst tick:            %7 ms "
                                     "(deadline %8 ms)\nhealed in:             %9\n")
                          .arg(sentence)
                          .arg(summary.value(QStringLiteral("faultsApplied")).toInt())
                          .arg(verdict.elections)
                          .arg(verdict.superseded)
                          .arg(summary.value(QStringLiteral("leaderEvents")).toInt())
                          .arg(verdict.worstDetectionLagMs)
                          .arg(verdict.worstTickMs, 0, 'f', 1)
                          .arg(options.tickDeadlineMs)
                          .arg(summary.value(QStringLiteral("healedInMs")).toInteger() < 0
                                  ? QStringLiteral("never")
                                  : QStringLiteral("%1 ms").arg(
                                      summary.value(QStringLiteral("healedInMs")).toInteger()))
                          .arg(verdict.reelections);
                text += QStringLiteral("writes:                %1 accepted, %2 refused during faults\n")
                            .arg(summary.value(QStringLiteral("writesAccepted")).toInt())
                            .arg(summary.value(QStringLiteral("writesRefused")).toInt());
                for (const QString &v : verdict.violations)
                    text += QStringLiteral("VIOLATION: %1\n").arg(v);
                printOut(text);
            }
            finish(verdict.ok() ? 0 : 1);
        });
    });
}
