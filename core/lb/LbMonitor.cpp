#include "lb/LbMonitor.h"

#include "lb/HaproxySocket.h"
#include "lb/HaproxyStatsReader.h"
#include "tls/HttpTls.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QUrl>
#include <memory>

namespace {

QString authorityOf(const QString &url)
{
    return QUrl(url).authority();
}

/// A TCP connect to host:port with a deadline: done(ok, latency ms, error).
void connectProbe(
    const QString &address, int timeoutMs, QObject *context, std::function<void(bool, double, const QString &)> done)
{
    const QUrl url(QStringLiteral("tcp://") + address);
    auto *socket = new QTcpSocket(context);
    auto clock = std::make_shared<QElapsedTimer>();
    auto finished = std::make_shared<bool>(false);
    auto finish = [=](bool ok, const QString &error) {
        if (*finished)
            return;
        *finished = true;
        done(ok, clock->nsecsElapsed() / 1e6, error);
        socket->abort();
        socket->deleteLater();
    };
    QObject::connect(socket, &QTcpSocket::connected, context, [=] { finish(true, {}); });
    QObject::connect(socket, &QTcpSocket::errorOccurred, context, [=] { finish(false, socket->errorString()); });
    QTimer::singleShot(
        timeoutMs, socket, [=] { finish(false, QStringLiteral("no connection within %1 ms").arg(timeoutMs)); });
    clock->start();
    socket->connectToHost(url.host(), quint16(url.port()));
}

} // namespace

LbMonitor::LbMonitor(QObject *parent)
    : QObject(parent)
    , m_http(new QNetworkAccessManager(this))
{
    qRegisterMetaType<LbSnapshot>();
    m_http->setProxy(QNetworkProxy::NoProxy);
    connect(&m_timer, &QTimer::timeout, this, &LbMonitor::refresh);
}

void LbMonitor::setDefinition(const LbDefinition &definition)
{
    m_definition = definition;
    // Read once here, not at every probe. A file that cannot be read leaves an empty
    // configuration: the probes then fail and say so, as a wrong certificate would.
    m_probeTls = definition.probe == LbDefinition::ProbeKind::Https
        ? HttpTls::configuration(definition.probeTls).valueOr(QSslConfiguration())
        : QSslConfiguration();
}

void LbMonitor::setCluster(const ClusterSnapshot &snapshot)
{
    m_cluster = snapshot;
}

void LbMonitor::start(int intervalMs)
{
    m_timer.start(intervalMs);
    refresh();
}

void LbMonitor::stop()
{
    m_timer.stop();
}

void LbMonitor::refresh()
{
    if (m_running || !m_definition.isSet())
        return;
    m_running = true;
    m_tick = {};
    m_tick.timeMs = QDateTime::currentMSecsSinceEpoch();
    m_tick.frontend = m_definition.frontend;
    if (m_definition.kind == LbDefinition::Kind::Generic) {
        m_tick.source = QStringLiteral("generic");
        for (const LbDefinition::Backend &b : std::as_const(m_definition.backends)) {
            LbBackend backend;
            backend.name = b.name;
            backend.address = b.address;
            m_tick.backends.append(backend);
        }
        probeAll();
        return;
    }
    m_tick.source = m_definition.statsUrl.isEmpty() ? m_definition.socketPath : m_definition.statsUrl;
    HaproxyStatsReader::read(m_http, m_definition.statsUrl, m_definition.socketPath, m_definition.timeoutMs * 2, this,
        [this](const Result<QByteArray> &answer) { onStats(answer.valueOr({}), answer.problem()); });
}

void LbMonitor::onStats(const QByteArray &csv, const QString &error)
{
    if (!error.isEmpty()) {
        m_tick.statsError = error;
    } else {
        const HaproxyStats::Result r = HaproxyStats::parse(csv);
        m_tick.statsError = r.error;
        for (const HaproxyStats::Row &row : r.rows) {
            if (!row.isServer())
                continue;
            if (!m_definition.backendProxy.isEmpty() && row.proxy != m_definition.backendProxy)
                continue;
            LbBackend b;
            b.name = row.server;
            b.address = row.address;
            b.hasLbView = true;
            b.lbState = row.state;
            b.lbStatus = row.status;
            b.checkStatus = row.checkStatus;
            b.checkDurationMs = row.checkDurationMs;
            b.secondsSinceChange = row.secondsSinceChange;
            b.sessions = row.currentSessions;
            b.totalSessions = row.totalSessions;
            b.bytesIn = row.bytesIn;
            b.bytesOut = row.bytesOut;
            b.weight = row.weight;
            m_tick.backends.append(b);
        }
    }
    probeAll();
}

void LbMonitor::probeAll()
{
    // HAProxy's CSV has no addresses for servers: a backend named like a member probes
    // that member's client address.
    for (LbBackend &b : m_tick.backends) {
        if (!b.address.isEmpty())
            continue;
        for (const MemberState &m : m_cluster.members()) {
            if (m.name == b.name && !m.clientUrls.isEmpty())
                b.address = authorityOf(m.clientUrls.front());
        }
    }
    m_pending = 1; // released below, so that synchronous failures cannot finish early
    for (qsizetype i = 0; i < m_tick.backends.size(); ++i) {
        const QString address = m_tick.backends.at(i).address;
        if (address.isEmpty())
            continue;
        ++m_pending;
        if (m_definition.probe == LbDefinition::ProbeKind::Tcp) {
            connectProbe(address, m_definition.timeoutMs, this, [this, i](bool ok, double ms, const QString &error) {
                LbBackend &b = m_tick.backends[i];
                b.probe = ok ? LbBackend::Probe::Ok : LbBackend::Probe::Failed;
                b.probeLatencyMs = ms;
                b.probeError = error;
                finishTick();
            });
            continue;
        }
        const QString scheme
            = m_definition.probe == LbDefinition::ProbeKind::Https ? QStringLiteral("https") : QStringLiteral("http");
        QNetworkRequest request(QUrl(QStringLiteral("%1://%2%3").arg(scheme, address, m_definition.probePath)));
        request.setTransferTimeout(m_definition.timeoutMs);
        if (m_definition.probe == LbDefinition::ProbeKind::Https) {
            request.setSslConfiguration(m_probeTls);
            if (!m_definition.probePeerName.isEmpty())
                request.setPeerVerifyName(m_definition.probePeerName);
        }
        auto clock = std::make_shared<QElapsedTimer>();
        clock->start();
        QNetworkReply *reply = m_http->get(request);
        connect(reply, &QNetworkReply::finished, this, [this, reply, i, clock] {
            reply->deleteLater();
            LbBackend &b = m_tick.backends[i];
            b.probeLatencyMs = clock->nsecsElapsed() / 1e6;
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (reply->error() == QNetworkReply::OperationCanceledError)
                b.probeError = QStringLiteral("no answer within %1 ms").arg(m_definition.timeoutMs);
            else if (status != 0 && status != m_definition.expectStatus)
                b.probeError = QStringLiteral("HTTP %1").arg(status);
            else if (reply->error() != QNetworkReply::NoError)
                b.probeError = reply->errorString();
            b.probe = b.probeError.isEmpty() ? LbBackend::Probe::Ok : LbBackend::Probe::Failed;
            finishTick();
        });
    }
    if (!m_definition.frontend.isEmpty()) {
        ++m_pending;
        connectProbe(m_definition.frontend, m_definition.timeoutMs, this, [this](bool ok, double ms, const QString &e) {
            m_tick.frontendReachable = ok;
            m_tick.frontendLatencyMs = ms;
            m_tick.frontendError = e;
            finishTick();
        });
    }
    finishTick();
}

void LbMonitor::finishTick()
{
    if (--m_pending > 0)
        return;
    join(m_tick, m_cluster);
    m_last = m_tick;
    m_running = false;
    emit snapshotReady(m_last);
}

void LbMonitor::join(LbSnapshot &lb, const ClusterSnapshot &cluster)
{
    for (LbBackend &b : lb.backends) {
        const MemberState *member = nullptr;
        for (const MemberState &m : cluster.members()) {
            const bool sameName = !m.name.isEmpty() && m.name == b.name;
            const bool sameAddress
                = !b.address.isEmpty() && !m.clientUrls.isEmpty() && authorityOf(m.clientUrls.front()) == b.address;
            if (sameName || sameAddress)
                member = &m;
        }
        if (member) {
            b.memberId = member->id;
            b.memberName = member->name;
        }
        // Healthy: it answers its own health check and, when the cluster is known, it is
        // reachable and follows a leader.
        const bool probeFailed = b.probe == LbBackend::Probe::Failed;
        // A learner cannot serve clients: in rotation it is as bad as a dead member.
        const bool memberUnhealthy = member && (!member->reachable || member->leaderSeen == 0 || member->isLearner);
        const bool healthy = b.probe == LbBackend::Probe::Ok && !memberUnhealthy;
        b.driftRoutesToUnhealthy = b.inRotation() && (probeFailed || memberUnhealthy);
        b.driftHoldsHealthyDown = b.hasLbView && b.lbState == HaproxyStats::ServerState::Down && healthy;
    }
}

void LbMonitor::setServerState(const QString &server, const QString &state, std::function<void(Result<void>)> done)
{
    if (m_definition.socketPath.isEmpty()) {
        done(Error::notFound(QStringLiteral("no HAProxy admin socket is known for this load balancer")));
        return;
    }
    const QString command = QStringLiteral("set server %1/%2 state %3").arg(m_definition.backendProxy, server, state);
    HaproxySocket::run(
        m_definition.socketPath, command, m_definition.timeoutMs * 2, this, [done](const Result<QByteArray> &answer) {
            // HAProxy answers nothing (or a blank line) on success, a sentence otherwise.
            if (!answer)
                done(answer.error());
            else if (!answer->trimmed().isEmpty())
                done(Error::refused(QStringLiteral("HAProxy: %1").arg(QString::fromUtf8(answer->trimmed()))));
            else
                done({});
        });
}
