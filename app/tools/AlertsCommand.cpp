#include "tools/AlertsCommand.h"

#include "alerts/EtcdRules.h"
#include "alerts/RulesFile.h"
#include "cli/TextTable.h"
#include "common/Format.h"
#include "lb/LbMonitor.h"
#include "promapi/AlertmanagerApi.h"
#include "scrape/MetricsCollector.h"
#include "session/AlertsSession.h"
#include "tools/ApiEndpointOption.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

namespace {

QString rfc3339(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

} // namespace

void AlertsCommand::start()
{
    const QString sub = m_options.positional.value(0);
    if (m_options.positional.size() > 1
        || (!sub.isEmpty() && sub != QLatin1String("rules") && sub != QLatin1String("watch"))) {
        fail(QStringLiteral("usage: quorumdeck alerts [rules | watch [--duration D]]"));
        return;
    }
    if (m_options.isSet(QStringLiteral("alertmanager")) || m_options.isSet(QStringLiteral("cluster"))) {
        if (!sub.isEmpty() || !m_options.isSet(QStringLiteral("alertmanager"))) {
            fail(QStringLiteral("usage: quorumdeck alerts --alertmanager URL [--cluster NAME]"));
            return;
        }
        listAlertmanager();
        return;
    }
    if (m_options.isSet(QStringLiteral("duration")) && sub != QLatin1String("watch")) {
        fail(QStringLiteral("--duration applies to alerts watch"));
        return;
    }
    if (sub == QLatin1String("rules")) {
        // The mixin's rules for a Prometheus server, which scrapes other jobs than etcd.
        const auto rules = EtcdRules::rules(EtcdRules::defaultSelector());
        printOut(QString::fromStdString(RulesFile::yaml("etcd", rules)));
        finish(0);
        return;
    }
    if (sub == QLatin1String("watch")) {
        qint64 durationMs = 0; // until interrupted
        if (m_options.isSet(QStringLiteral("duration"))) {
            const auto ms = ConnectionSettings::parseDurationMs(m_options.value(QStringLiteral("duration")));
            if (!ms || *ms < 1000) {
                fail(QStringLiteral("--duration takes a time of at least 1s, such as 10m"));
                return;
            }
            durationMs = *ms;
        }
        watch(durationMs);
        return;
    }
    startWatcher([this] {
        if (!m_options.json())
            printErr(
                QStringLiteral("scraping every member for %1 s before evaluating the rules …\n").arg(kWindowMs / 1000));
        QTimer::singleShot(kWindowMs, this, [this] { m_alerts->evaluateNow([this] { printNow(); }); });
    });
}

void AlertsCommand::startWatcher(std::function<void()> ready)
{
    withSnapshot([this, ready = std::move(ready)](const ClusterSnapshot &s) {
        QList<ScrapeTarget> targets;
        for (const MemberState &m : s.members()) {
            if (m.clientUrls.isEmpty())
                continue;
            ScrapeTarget t = ScrapeTarget::at(m.clientUrls.front());
            t.intervalMs = kScrapeIntervalMs;
            targets.append(t);
        }
        if (targets.isEmpty()) {
            fail(QStringLiteral("no member lists a client URL to scrape"));
            return;
        }
        m_memberCount = int(targets.size());
        if (m_options.profile)
            m_instances.setCorrections(m_options.profile->memberInstanceMap());
        m_instances.update(s);
        m_collector = new MetricsCollector(SeriesStore::kDefaultRetentionMs, this);
        if (m_options.settings.tls.enabled())
            m_collector->setTls(m_options.settings.tls);
        m_collector->setTargets(targets);
        m_alerts = new AlertsSession(m_collector, &m_instances, this);
        m_alerts->setIntervalMs(kScrapeIntervalMs);
        m_alerts->watchCertificates(m_options.settings.tls);
        if (m_options.profile && m_options.profile->lbKind != LbDefinition::Kind::None) {
            m_lb = new LbMonitor(this);
            m_lb->setDefinition(m_options.profile->lbDefinition(m_options.settings.tls));
            connect(m_lb, &LbMonitor::snapshotReady, m_alerts, &AlertsSession::onLbSnapshot);
            m_lb->start(kScrapeIntervalMs);
        }
        m_alerts->onSnapshot(s);
        ready();
    });
}

void AlertsCommand::watch(qint64 durationMs)
{
    startWatcher([this, durationMs] {
        m_watching = true;
        // On stderr in both formats: stdout carries the alerts alone.
        {
            printErr(QStringLiteral("evaluating %1 rules every %2 s over %3%4; %5\n")
                         .arg(m_alerts->ruleCount())
                         .arg(kScrapeIntervalMs / 1000.0)
                         .arg(Format::count(m_memberCount, QStringLiteral("member"), QStringLiteral("members")))
                         .arg(m_lb ? QStringLiteral(" and the load balancer") : QString())
                         .arg(durationMs > 0 ? QStringLiteral("for %1 s").arg(durationMs / 1000.0)
                                             : QStringLiteral("interrupt to stop")));
        }
        connect(m_alerts, &AlertsSession::changed, this, [this](const QList<Alert> &alerts) {
            for (const Alert &a : alerts) {
                if (m_options.json())
                    printJson(toJson(a));
                else
                    printOut(line(a) + QLatin1Char('\n'));
            }
        });
        if (durationMs > 0)
            QTimer::singleShot(durationMs, Qt::PreciseTimer, this, [this] { finish(0); }); // never early
    });
}

void AlertsCommand::interrupt(int exitCode)
{
    // Watching ends when the operator says so: that is success, as for events --follow.
    finish(m_watching ? 0 : exitCode);
}

void AlertsCommand::printNow()
{
    const QList<Alert> active = m_alerts->active();
    for (const QString &e : m_alerts->errors())
        printErr(QStringLiteral("rule not evaluated: %1\n").arg(e));
    if (m_options.json()) {
        QJsonArray list;
        for (const Alert &a : active)
            list.append(toJson(a));
        printJson(QJsonObject {{QStringLiteral("alerts"), list}});
    } else if (active.isEmpty()) {
        printOut(QStringLiteral("no alert is pending or firing\n"));
    } else {
        TextTable t({QStringLiteral("STATE"), QStringLiteral("SEVERITY"), QStringLiteral("ALERT"),
            QStringLiteral("MEMBER"), QStringLiteral("SINCE"), QStringLiteral("SUMMARY")});
        for (const Alert &a : active) {
            const QString who = member(a);
            t.addRow({QString::fromLatin1(phaseName(a.phase)), QString::fromLatin1(severityName(a.severity)),
                QString::fromStdString(a.name), who.isEmpty() ? QStringLiteral("-") : who, rfc3339(a.sinceMs),
                QString::fromStdString(a.summary)});
        }
        printOut(t.toString());
    }
    // Every rule holds for a minute or more before it fires, longer than this look lasts:
    // a pending alert is a condition that holds now, and says as much as a firing one.
    finish(active.isEmpty() ? 0 : 2);
}

QString AlertsCommand::member(const Alert &a) const
{
    return m_alerts->memberName(a);
}

QJsonObject AlertsCommand::toJson(const Alert &a) const
{
    const QString who = member(a);
    return QJsonObject {
        {QStringLiteral("alert"), QString::fromStdString(a.name)},
        {QStringLiteral("severity"), QString::fromLatin1(severityName(a.severity))},
        {QStringLiteral("state"), QString::fromLatin1(phaseName(a.phase))},
        {QStringLiteral("member"), who.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(who)},
        {QStringLiteral("since"), rfc3339(a.sinceMs)},
        {QStringLiteral("summary"), QString::fromStdString(a.summary)},
    };
}

QString AlertsCommand::line(const Alert &a) const
{
    const QString who = member(a);
    return QStringLiteral("%1  %2  %3  %4  %5  %6")
        .arg(rfc3339(a.sinceMs), QString::fromLatin1(phaseName(a.phase)).leftJustified(8),
            QString::fromLatin1(severityName(a.severity)).leftJustified(8), QString::fromStdString(a.name),
            who.isEmpty() ? QStringLiteral("cluster") : who, QString::fromStdString(a.summary));
}

void AlertsCommand::listAlertmanager()
{
    const Result<ApiEndpoint> endpoint = ApiEndpointOption::fromOptions(m_options, QStringLiteral("alertmanager"));
    if (!endpoint) {
        fail(endpoint.error().describe());
        return;
    }
    QStringList filter;
    if (m_options.isSet(QStringLiteral("cluster")))
        filter << QStringLiteral("cluster=\"%1\"").arg(m_options.value(QStringLiteral("cluster")));
    auto *api = new AlertmanagerApi(endpoint.value(), this);
    api->alerts(filter, [this](const Result<QJsonArray> &r) {
        if (!r) {
            fail(r.error().describe());
            return;
        }
        QList<RemoteAlert> alerts;
        for (const QJsonValue &v : r.value())
            alerts << RemoteAlert::fromJson(v.toObject());
        std::sort(alerts.begin(), alerts.end(), [](const RemoteAlert &a, const RemoteAlert &b) {
            if (a.startsAt != b.startsAt)
                return a.startsAt < b.startsAt;
            return a.name() < b.name();
        });
        if (m_options.json()) {
            QJsonArray list;
            for (const RemoteAlert &a : alerts) {
                QJsonObject labels, annotations;
                for (auto it = a.labels.begin(); it != a.labels.end(); ++it)
                    labels.insert(it.key(), it.value());
                for (auto it = a.annotations.begin(); it != a.annotations.end(); ++it)
                    annotations.insert(it.key(), it.value());
                list.append(QJsonObject {{QStringLiteral("alert"), a.name()},
                    {QStringLiteral("severity"), a.labels.value(QStringLiteral("severity"))},
                    {QStringLiteral("state"), a.state},
                    {QStringLiteral("since"), rfc3339(a.startsAt.toMSecsSinceEpoch())},
                    {QStringLiteral("summary"), a.annotations.value(QStringLiteral("summary"))},
                    {QStringLiteral("labels"), labels}, {QStringLiteral("annotations"), annotations},
                    {QStringLiteral("silencedBy"), QJsonArray::fromStringList(a.silencedBy)},
                    {QStringLiteral("inhibitedBy"), QJsonArray::fromStringList(a.inhibitedBy)}});
            }
            printJson(QJsonObject {{QStringLiteral("alerts"), list}});
        } else if (alerts.isEmpty()) {
            printOut(QStringLiteral("Alertmanager holds no alert\n"));
        } else {
            TextTable t({QStringLiteral("STATE"), QStringLiteral("SEVERITY"), QStringLiteral("ALERT"),
                QStringLiteral("INSTANCE"), QStringLiteral("SINCE"), QStringLiteral("SUMMARY")});
            for (const RemoteAlert &a : alerts) {
                const QString state = a.silencedBy.isEmpty()
                    ? a.state
                    : QStringLiteral("silenced (%1)").arg(a.silencedBy.join(QLatin1Char(',')));
                t.addRow({state, a.labels.value(QStringLiteral("severity"), QStringLiteral("-")), a.name(),
                    a.labels.value(QStringLiteral("instance"), QStringLiteral("-")),
                    rfc3339(a.startsAt.toMSecsSinceEpoch()), a.annotations.value(QStringLiteral("summary"))});
            }
            printOut(t.toString());
        }
        finish(0);
    });
}
