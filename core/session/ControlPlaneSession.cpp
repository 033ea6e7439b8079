#include "session/ControlPlaneSession.h"

#include "kube/ControlPlaneReader.h"
#include "kube/KubeConfig.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace {

const KubeLease *named(const QList<KubeLease> &leases, const QString &name)
{
    for (const KubeLease &l : leases) {
        if (l.name == name)
            return &l;
    }
    return nullptr;
}

} // namespace

ControlPlaneSession::ControlPlaneSession(QObject *parent)
    : QObject(parent)
    , m_paths(KubeConfig::defaultPaths())
{
    m_timer.setInterval(kRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &ControlPlaneSession::refresh);
    m_certificateTimer.setInterval(kCertificatesMs);
    connect(&m_certificateTimer, &QTimer::timeout, this, &ControlPlaneSession::readCertificates);
}

ControlPlaneSession::~ControlPlaneSession() = default;

void ControlPlaneSession::start()
{
    m_timer.start();
    m_certificateTimer.start();
    refresh();
    readCertificates();
}

void ControlPlaneSession::readCertificates()
{
    if (m_readingCertificates)
        return;
    m_readingCertificates = true;
    const int generation = m_generation;
    auto *watcher = new QFutureWatcher<PkiInventory::Reading>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        m_readingCertificates = false;
        if (generation != m_generation)
            return;
        m_certificates = watcher->result();
        emit certificatesRead(m_certificates);
    });
    // Files: read off the GUI thread.
    watcher->setFuture(QtConcurrent::run([dir = m_pkiDir, paths = m_paths] {
        PkiInventory::Reading all;
        const auto take = [&all](const Result<PkiInventory::Reading> &r) {
            if (!r) {
                all.problems << r.problem();
                return;
            }
            all.certificates += r.value().certificates;
            all.problems += r.value().problems;
        };
        if (!dir.isEmpty())
            take(PkiInventory::readDirectory(dir));
        for (const QString &path : paths) {
            // The default paths need not all exist; a kubeconfig without a client
            // certificate (a token) has nothing to list.
            if (!QFileInfo::exists(path))
                continue;
            const Result<PkiInventory::Reading> r = PkiInventory::readKubeconfig(path);
            if (r)
                take(r);
        }
        PkiInventory::sortByExpiry(all.certificates);
        return all;
    }));
}

void ControlPlaneSession::stop()
{
    m_timer.stop();
    m_certificateTimer.stop();
    ++m_generation;
    m_reading = false;
}

void ControlPlaneSession::refresh()
{
    if (m_reading)
        return;
    m_reading = true;
    const int generation = m_generation;
    auto *watcher = new QFutureWatcher<Result<KubeCredentials>>(this);
    connect(watcher, &QFutureWatcher<Result<KubeCredentials>>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        const Result<KubeCredentials> loaded = watcher->result();
        if (!loaded) {
            m_reading = false;
            if (loaded.error().describe() != m_unavailable) {
                m_unavailable = loaded.error().describe();
                emit unavailableChanged(m_unavailable);
            }
            return;
        }
        delete m_reader;
        m_reader = new ControlPlaneReader(loaded.value(), this);
        m_reader->setApiServers(m_apiServers);
        if (!m_lbSource.isEmpty())
            m_reader->setLoadBalancer(m_lbSource, m_lbBackend);
        m_reader->read([this, generation](const ControlPlaneReport &report) {
            if (generation != m_generation)
                return;
            m_reading = false;
            onReport(report);
        });
    });
    // The kubeconfig and the files it names are read off the GUI thread.
    watcher->setFuture(QtConcurrent::run([paths = m_paths] { return KubeConfig::credentialsFrom(paths); }));
}

void ControlPlaneSession::onReport(const ControlPlaneReport &report)
{
    const QList<ClusterEvent> events
        = m_reports > 0 ? leaseEvents(m_last.leases, report.leases, report.readAt) : QList<ClusterEvent> {};
    m_last = report;
    ++m_reports;
    if (!m_unavailable.isEmpty()) {
        m_unavailable.clear();
        emit unavailableChanged(m_unavailable);
    }
    emit reportReady(report);
    if (!events.isEmpty())
        emit eventsOccurred(events);
}

std::optional<ControlPlaneSession::LeaseChange> ControlPlaneSession::leaseChange(const ClusterEvent &e)
{
    // The details leaseEvents() writes: "kube-scheduler: master2 → master1 (…)" and
    // "kube-scheduler: master2 stopped renewing …" / "kube-scheduler: nobody holds …".
    const qsizetype colon = e.detail.indexOf(QStringLiteral(": "));
    if (colon <= 0)
        return std::nullopt;
    LeaseChange c;
    c.lease = e.detail.left(colon);
    const QString rest = e.detail.mid(colon + 2);
    if (e.type == ClusterEvent::Type::ComponentLeaderChanged) {
        const qsizetype arrow = rest.indexOf(QStringLiteral(" → "));
        if (arrow < 0)
            return std::nullopt;
        c.from = rest.left(arrow);
        if (c.from == QLatin1String("nobody"))
            c.from.clear();
        c.to = rest.mid(arrow + 3).section(QLatin1Char(' '), 0, 0);
        return c;
    }
    if (e.type == ClusterEvent::Type::ComponentLeaseStale) {
        if (!rest.startsWith(QLatin1String("nobody ")))
            c.from = rest.section(QLatin1Char(' '), 0, 0);
        return c;
    }
    return std::nullopt;
}

QList<ClusterEvent> ControlPlaneSession::leaseEvents(
    const QList<KubeLease> &before, const QList<KubeLease> &after, const QDateTime &now)
{
    QList<ClusterEvent> out;
    for (const KubeLease &lease : after) {
        const KubeLease *was = named(before, lease.name);
        if (!was)
            continue;
        if (was->holder != lease.holder && !lease.holder.isEmpty()) {
            ClusterEvent e;
            e.type = ClusterEvent::Type::ComponentLeaderChanged;
            // The new holder says when it took the lease; that is when the election was.
            e.timeMs = (lease.acquireTime.isValid() ? lease.acquireTime : now).toMSecsSinceEpoch();
            const int transitions = lease.transitions - was->transitions;
            e.detail = QStringLiteral("%1: %2 → %3")
                           .arg(lease.name, was->holder.isEmpty() ? QStringLiteral("nobody") : was->holderNode(),
                               lease.holderNode());
            if (transitions > 1)
                e.detail += QStringLiteral(" (%1 transitions since the last reading)").arg(transitions);
            out << e;
        }
        if (lease.isStale(now) && !was->isStale(now)) {
            ClusterEvent e;
            e.type = ClusterEvent::Type::ComponentLeaseStale;
            e.timeMs = now.toMSecsSinceEpoch();
            e.detail = lease.holder.isEmpty()
                ? QStringLiteral("%1: nobody holds the lease").arg(lease.name)
                : QStringLiteral("%1: %2 stopped renewing the lease (last %3 s ago; it lasts %4 s)")
                      .arg(lease.name, lease.holderNode())
                      .arg(lease.renewTime.secsTo(now))
                      .arg(lease.leaseDurationSeconds);
            out << e;
        }
    }
    return out;
}
