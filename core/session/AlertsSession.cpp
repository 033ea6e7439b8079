#include "session/AlertsSession.h"

#include "alerts/ConsoleRules.h"
#include "alerts/EtcdRules.h"
#include "cluster/ClusterSnapshot.h"
#include "cluster/ConsistencyReport.h"
#include "lb/LbSnapshot.h"
#include "scrape/MetricsCollector.h"
#include "session/AlertWatcher.h"
#include "session/BackupSession.h"
#include "session/MemberInstances.h"
#include "tls/CertificateDiagnostics.h"
#include "tsdb/SharedSeriesStore.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QtConcurrent>
#include <algorithm>

namespace {

constexpr int kCertificateReadMs = 60 * 60 * 1000;
/// Prometheus sends to the Alertmanager every evaluation (15 s to a minute by default).
constexpr int kAlertmanagerReadMs = 15 * 1000;

std::string utf8(const QString &s)
{
    return s.toStdString();
}

} // namespace

AlertsSession::AlertsSession(MetricsCollector *metrics, const MemberInstances *instances, QObject *parent)
    : QObject(parent)
    , m_metrics(metrics)
    // The collector holds etcd members only, without a job label: no selector.
    , m_watcher(new AlertWatcher(metrics->store(), EtcdRules::rules({}), this))
    // The facts are a handful of samples: each evaluation gets a store of its own with
    // them at that moment.
    , m_consoleWatcher(new AlertWatcher(
          [this] {
              auto store = std::make_shared<SharedSeriesStore>(SeriesStore::kDefaultRetentionMs);
              store->write([&](SeriesStore &s) { m_facts.writeTo(s, QDateTime::currentMSecsSinceEpoch()); });
              return std::shared_ptr<const SharedSeriesStore>(store);
          },
          ConsoleRules::rules(), this))
    , m_instances(instances)
{
    for (AlertWatcher *w : {m_watcher, m_consoleWatcher}) {
        connect(w, &AlertWatcher::changed, this, [this](const QList<Alert> &alerts) {
            QList<ClusterEvent> events;
            for (const Alert &a : alerts)
                events << event(a);
            emit changed(alerts);
            emit eventsOccurred(events);
        });
        connect(w, &AlertWatcher::evaluated, this, &AlertsSession::updated);
    }
    m_certificateTimer.setInterval(kCertificateReadMs);
    connect(&m_certificateTimer, &QTimer::timeout, this, &AlertsSession::readCertificates);
    m_alertmanagerTimer.setInterval(kAlertmanagerReadMs);
    connect(&m_alertmanagerTimer, &QTimer::timeout, this, &AlertsSession::readAlertmanager);
}

AlertsSession::~AlertsSession() = default;

void AlertsSession::onSnapshot(const ClusterSnapshot &snapshot)
{
    if (!snapshot.members().isEmpty()) {
        m_watcher->start();
        m_consoleWatcher->start();
    }
}

void AlertsSession::onLbSnapshot(const LbSnapshot &lb)
{
    std::vector<FactSheet::Fact> facts;
    for (const LbBackend &b : lb.backends) {
        // A generic LB says nothing of its backends: no fact, no alert.
        if (!b.hasLbView)
            continue;
        const SeriesLabels labels {{"backend", utf8(b.name)}, {"member", utf8(b.memberName)}};
        const bool down = b.lbState == HaproxyStats::ServerState::Down;
        if (b.inRotation() || down)
            facts.push_back({ConsoleRules::kLbBackendUp, labels, b.inRotation() ? 1.0 : 0.0});
        const bool drift = b.driftRoutesToUnhealthy || b.driftHoldsHealthyDown;
        SeriesLabels driftLabels = labels;
        driftLabels.push_back({"drift", b.driftRoutesToUnhealthy ? "routes-to-unhealthy" : "holds-healthy-down"});
        facts.push_back({ConsoleRules::kLbBackendDrift, drift ? driftLabels : labels, drift ? 1.0 : 0.0});
    }
    m_facts.record("lb", std::move(facts));
}

void AlertsSession::onConsistencyReport(const ConsistencyReport &report)
{
    // An undecided check says nothing either way: the last verdict stands until a new one.
    if (report.verdict == ConsistencyReport::Verdict::Undecided)
        return;
    std::vector<FactSheet::Fact> facts;
    for (const MemberHash &m : report.members) {
        if (m.outcome == MemberHash::Outcome::Hashed)
            facts.push_back({ConsoleRules::kMemberDivergent, {{"member", utf8(m.name)}}, m.divergent ? 1.0 : 0.0});
    }
    m_facts.record("consistency", std::move(facts));
}

void AlertsSession::onBackups(const BackupSchedule &schedule, bool listed, qint64 newestVerifiedMs)
{
    if (!schedule.enabled() || !listed) {
        m_facts.forget("backups");
        return;
    }
    m_facts.record("backups",
        {{ConsoleRules::kBackupLastVerified, {}, newestVerifiedMs < 0 ? 0.0 : double(newestVerifiedMs) / 1000},
            {ConsoleRules::kBackupInterval, {}, double(schedule.everyHours) * 3600}});
}

void AlertsSession::onCertificates(const TlsFilesCheck &files)
{
    std::vector<FactSheet::Fact> facts;
    auto add = [&](const char *what, const CertificateInfo &c) {
        if (c.notAfter.isValid())
            facts.push_back({ConsoleRules::kCertificateExpiry, {{"certificate", what}, {"subject", utf8(c.subject)}},
                double(c.notAfter.toSecsSinceEpoch())});
    };
    if (files.hasClientCertificate)
        add("client certificate", files.client);
    for (const CertificateInfo &c : files.trusted)
        add("CA certificate", c);
    m_facts.record("certificates", std::move(facts));
}

void AlertsSession::watchCertificates(const TlsSettings &tls)
{
    m_tls = tls;
    if (!tls.enabled()) {
        m_certificateTimer.stop();
        m_facts.forget("certificates");
        return;
    }
    readCertificates();
    m_certificateTimer.start();
}

void AlertsSession::readCertificates()
{
    // Files are disk: read on the pool.
    auto *watcher = new QFutureWatcher<TlsFilesCheck>(this);
    connect(watcher, &QFutureWatcher<TlsFilesCheck>::finished, this, [this, watcher] {
        watcher->deleteLater();
        onCertificates(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([tls = m_tls] { return CertificateDiagnostics::checkFiles(tls); }));
}

void AlertsSession::setAlertmanager(
    const QString &url, const QString &cluster, const QString &bearerTokenFile, const TlsSettings &tls)
{
    const int generation = ++m_alertmanagerGeneration;
    delete m_alertmanager;
    m_alertmanager = nullptr;
    m_alertmanagerTimer.stop();
    m_alertmanagerUrl = url;
    m_cluster = cluster;
    m_remote.clear();
    m_remoteError.clear();
    m_remoteReads = 0;
    emit updated();
    if (url.isEmpty())
        return;
    // The token and TLS files are disk: read on the pool.
    auto *watcher = new QFutureWatcher<Result<ApiEndpoint>>(this);
    connect(watcher, &QFutureWatcher<Result<ApiEndpoint>>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_alertmanagerGeneration)
            return;
        const Result<ApiEndpoint> endpoint = watcher->result();
        if (!endpoint) {
            m_remoteError = endpoint.error().describe();
            ++m_remoteReads;
            emit updated();
            return;
        }
        m_alertmanager = new AlertmanagerApi(endpoint.value(), this);
        readAlertmanager();
        m_alertmanagerTimer.start();
    });
    watcher->setFuture(QtConcurrent::run([url, bearerTokenFile, tls] {
        return ApiEndpoint::configure(QStringLiteral("The Alertmanager URL"), url, bearerTokenFile, tls);
    }));
}

void AlertsSession::readAlertmanager()
{
    if (!m_alertmanager)
        return;
    const QStringList filter
        = m_cluster.isEmpty() ? QStringList() : QStringList {QStringLiteral("cluster=\"%1\"").arg(m_cluster)};
    const int generation = m_alertmanagerGeneration;
    m_alertmanager->alerts(filter, [this, generation](const Result<QJsonArray> &answer) {
        if (generation != m_alertmanagerGeneration)
            return;
        ++m_remoteReads;
        if (!answer) {
            // The last list stays on screen, with the reason it may be stale.
            m_remoteError = answer.error().describe();
        } else {
            m_remoteError.clear();
            m_remote.clear();
            for (const QJsonValue &v : answer.value())
                m_remote << RemoteAlert::fromJson(v.toObject());
        }
        emit updated();
    });
}

QString AlertsSession::memberAt(const QString &instance) const
{
    return m_instances->at(instance).name;
}

void AlertsSession::setTiming(const RuleTiming &timing)
{
    m_watcher->setRules(EtcdRules::rules({}, timing));
    m_consoleWatcher->setRules(ConsoleRules::rules(timing));
    emit updated();
}

void AlertsSession::setIntervalMs(int ms)
{
    m_watcher->setIntervalMs(ms);
    m_consoleWatcher->setIntervalMs(ms);
}

void AlertsSession::evaluateNow(std::function<void()> done)
{
    auto waiting = std::make_shared<int>(2);
    auto shared = std::make_shared<std::function<void()>>(std::move(done));
    for (AlertWatcher *w : {m_watcher, m_consoleWatcher}) {
        connect(
            w, &AlertWatcher::evaluated, this,
            [waiting, shared] {
                if (--*waiting == 0)
                    (*shared)();
            },
            Qt::SingleShotConnection);
        w->evaluateNow();
    }
}

int AlertsSession::ruleCount() const
{
    return m_watcher->engineRuleCount() + m_consoleWatcher->engineRuleCount();
}

void AlertsSession::stop()
{
    m_watcher->stop();
    m_consoleWatcher->stop();
    m_certificateTimer.stop();
    m_alertmanagerTimer.stop();
    ++m_alertmanagerGeneration;
}

std::vector<Alert> AlertsSession::all() const
{
    std::vector<Alert> out = m_watcher->active();
    out.insert(out.end(), m_consoleWatcher->active().begin(), m_consoleWatcher->active().end());
    return out;
}

QList<Alert> AlertsSession::active() const
{
    const std::vector<Alert> both = all();
    QList<Alert> out(both.begin(), both.end());
    std::stable_sort(out.begin(), out.end(), [](const Alert &a, const Alert &b) {
        if (a.phase != b.phase)
            return a.phase == AlertPhase::Firing;
        if (a.severity != b.severity)
            return a.severity == AlertSeverity::Critical;
        return a.activeAtMs < b.activeAtMs;
    });
    return out;
}

QString AlertsSession::memberName(const Alert &alert) const
{
    // The console's own facts name the member; etcd's series name the scrape instance.
    const QString member = QString::fromStdString(alert.label("member"));
    if (!member.isEmpty())
        return member;
    const QString instance = QString::fromStdString(alert.label("instance"));
    return instance.isEmpty() ? QString() : memberAt(instance);
}

AlertsSession::Level AlertsSession::level() const
{
    return firingCount() > 0 ? Level::Firing : pendingCount() > 0 ? Level::Pending : Level::Clear;
}

int AlertsSession::firingCount() const
{
    const std::vector<Alert> a = all();
    return int(std::count_if(a.begin(), a.end(), [](const Alert &x) { return x.phase == AlertPhase::Firing; }));
}

int AlertsSession::pendingCount() const
{
    return int(m_watcher->active().size() + m_consoleWatcher->active().size()) - firingCount();
}

QStringList AlertsSession::errors() const
{
    QStringList out;
    for (const AlertWatcher *w : {m_watcher, m_consoleWatcher}) {
        for (const std::string &e : w->errors())
            out << QString::fromStdString(e);
    }
    return out;
}

int AlertsSession::evaluations() const
{
    return m_watcher->evaluations();
}

ClusterEvent AlertsSession::event(const Alert &alert) const
{
    ClusterEvent e;
    e.type = alert.phase == AlertPhase::Pending ? ClusterEvent::Type::AlertPending
        : alert.phase == AlertPhase::Firing     ? ClusterEvent::Type::AlertFiring
                                                : ClusterEvent::Type::AlertResolved;
    e.timeMs = alert.sinceMs;
    // The member as the panel names it (by its member label, or its scrape instance).
    const QString who = memberName(alert);
    e.member = m_instances->idOf(who);
    e.detail = QStringLiteral("%1 (%2): %3")
                   .arg(QString::fromStdString(alert.name), QString::fromLatin1(severityName(alert.severity)),
                       QString::fromStdString(alert.description));
    return e;
}
