#include "cli/CliCommand.h"

#include "cli/PasswordPrompt.h"
#include "cli/ToolsModule.h"
#include "cluster/ClusterMonitor.h"
#include "cluster/OperationResult.h"
#include "etcd/EtcdClient.h"
#include "journal/Journal.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QTimer>
#include <cstdio>

CliCommand::CliCommand(const CliOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
}

CliCommand::~CliCommand() = default;

void CliCommand::leaveClientToProcessExit()
{
    if (!m_client)
        return;
    // Answers still on their way are posted to the client, whose events are never processed
    // again; the monitor, destroyed with the command, only ever held its address.
    m_client->setParent(nullptr);
    m_client = nullptr;
}

EtcdClient *CliCommand::client()
{
    if (!m_client) {
        ConnectionSettings &s = m_options.settings;
        if (!s.user.isEmpty() && s.password.isEmpty()) {
            // etcdctl asks on the terminal when --user names no password; so do we.
            if (const auto password = PasswordPrompt::ask(QStringLiteral("Password for %1: ").arg(s.user)))
                s.password = *password;
        }
        m_client = new EtcdClient(s, this);
    }
    return m_client;
}

namespace {
constexpr int kFollowPollMs = 100;
} // namespace

ClusterMonitor *CliCommand::monitor()
{
    if (!m_monitor) {
        m_monitor = new ClusterMonitor(client(), this);
        m_monitor->setTickDeadline(m_options.settings.deadlines.readMs);
    }
    return m_monitor;
}

void CliCommand::waitUntilFollowing(const QStringList &members, int timeoutMs,
    std::function<void(const ClusterSnapshot &, const QStringList &notYet)> done)
{
    ClusterMonitor *m = monitor();
    auto deadline = std::make_shared<QDeadlineTimer>(timeoutMs);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m, &ClusterMonitor::snapshotReady, this, [=, this](const ClusterSnapshot &s) {
        QStringList notYet;
        for (const QString &name : members) {
            const MemberState *member = s.findMember(name);
            const bool back
                = member && member->reachable && s.hasLeader() && (member->followsLeader || member->id == s.leaderId());
            if (!back)
                notYet << name;
        }
        if (notYet.isEmpty() || deadline->hasExpired()) {
            disconnect(*connection);
            done(s, notYet);
            return;
        }
        // A resumed member answers its backlog first; ask again shortly.
        QTimer::singleShot(kFollowPollMs, m, &ClusterMonitor::refresh);
    });
    m->refresh();
}

void CliCommand::withSnapshot(std::function<void(const ClusterSnapshot &)> next)
{
    if (const QString e = m_options.resolveEndpoints(); !e.isEmpty()) {
        fail(e);
        return;
    }
    ClusterMonitor *m = monitor();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m, &ClusterMonitor::snapshotReady, this, [this, connection, next](const ClusterSnapshot &s) {
        disconnect(*connection);
        if (!s.anyAnswered()) {
            explainFailure(s);
            return;
        }
        if (!s.endpointConflict().isEmpty()) {
            fail(s.endpointConflict()); // endpoints of two clusters: wrong input, nothing to act on
            return;
        }
        next(s);
    });
    m->refresh();
}

void CliCommand::journal(
    const ClusterSnapshot &s, const QString &action, const QString &target, const OperationResult &r)
{
    journal(s.clusterId(), action, target, r);
}

void CliCommand::journal(uint64_t clusterId, const QString &action, const QString &target, const OperationResult &r)
{
    journal(clusterId, OperatorAction::of(action, target, r));
}

void CliCommand::journal(uint64_t clusterId, const OperatorAction &action)
{
    if (!clusterId)
        return;
    // The journal's destructor (with this command's) waits for the write to land.
    if (!m_journal)
        m_journal = new Journal({}, this);
    m_journal->recordAction(clusterId, action);
}

void CliCommand::explainFailure(const ClusterSnapshot &s)
{
    const QString base = QStringLiteral("no endpoint answered (%1): %2")
                             .arg(m_options.settings.endpoints.join(QLatin1Char(',')), s.error());
    const QString first = m_options.settings.endpoints.value(0);
    if (!first.startsWith(QLatin1String("https://")) && !m_options.settings.tls.enabled()) {
        fail(base);
        return;
    }
    // gRPC says little more than "unavailable" when TLS fails: meet the first endpoint
    // ourselves, and say what is wrong in words.
    ToolsModule::explainTls(
        m_options.settings.tls, first, m_options.settings.deadlines.readMs, this, [this, base](const QStringList &why) {
            if (why.isEmpty())
                fail(base);
            else
                fail(QStringLiteral("%1 — %2 (see quorumdeck certs)").arg(base, why.join(QStringLiteral("; "))));
        });
}

void CliCommand::interrupt(int exitCode)
{
    finish(exitCode);
}

void CliCommand::finishWith(const OperationResult &r)
{
    if (m_options.json())
        printJson(r.toJson());
    if (!r.ok()) {
        fail(r.sentence);
        return;
    }
    if (!m_options.json())
        printOut(r.sentence + QLatin1Char('\n'));
    finish(0);
}

void CliCommand::printOut(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void CliCommand::printJson(const QJsonObject &object)
{
    printOut(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
}

void CliCommand::printErr(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

void CliCommand::fail(const QString &sentence, int code)
{
    printErr(QStringLiteral("quorumdeck: %1\n").arg(sentence));
    finish(code);
}

void CliCommand::finish(int code)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_monitor)
        m_monitor->stop();
    // Let the caller's stack unwind before the loop ends.
    QTimer::singleShot(0, this, [this, code] { emit finished(code); });
}
