#include "cli/CliCommand.h"

#include "cluster/ClusterMonitor.h"
#include "etcd/EtcdClient.h"
#include "journal/Journal.h"

#include <QJsonDocument>
#include <QTimer>
#include <cstdio>

CliCommand::CliCommand(const CliOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
}

CliCommand::~CliCommand() = default;

EtcdClient *CliCommand::client()
{
    if (!m_client)
        m_client = new EtcdClient(m_options.settings, this);
    return m_client;
}

ClusterMonitor *CliCommand::monitor()
{
    if (!m_monitor) {
        m_monitor = new ClusterMonitor(client(), this);
        m_monitor->setTickDeadline(m_options.settings.deadlines.readMs);
    }
    return m_monitor;
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
            fail(QStringLiteral("no endpoint answered (%1): %2")
                     .arg(m_options.settings.endpoints.join(QLatin1Char(',')), s.error()));
            return;
        }
        next(s);
    });
    m->refresh();
}

void CliCommand::journal(
    const ClusterSnapshot &s, const QString &action, const QString &target, const OperationResult &r)
{
    if (!s.clusterId())
        return;
    // The journal's destructor (with this command's) waits for the write to land.
    if (!m_journal)
        m_journal = new Journal({}, this);
    m_journal->recordAction(s.clusterId(), OperatorAction::of(action, target, r));
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
