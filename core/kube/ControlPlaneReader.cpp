#include "kube/ControlPlaneReader.h"

#include "kube/ApiServerEndpoints.h"
#include "kube/KubeClient.h"
#include "lb/HaproxyStatsReader.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QUrl>
#include <algorithm>

/// One read in flight: the report being filled and what is still out.
struct ControlPlaneReader::Run {
    ControlPlaneReport report;
    int waiting = 0;
    Callback done;
    QList<QJsonObject> nodes;
    QList<QJsonObject> pods;
    QString lbSource; ///< "" when no HAProxy is known
    QString lbBackend;
    QByteArray lbStats;
    QString lbError;

    void problem(const QString &sentence)
    {
        // A refused token fails every list with the same sentence: say it once.
        if (!sentence.isEmpty() && !report.problems.contains(sentence))
            report.problems << sentence;
    }
    void finishOne()
    {
        if (--waiting > 0)
            return;
        report.masters = ControlPlaneNode::fromLists(nodes, pods);
        std::stable_sort(
            report.apiServers.begin(), report.apiServers.end(), [](const ApiServerState &a, const ApiServerState &b) {
                return std::tie(a.viaLoadBalancer, a.address) < std::tie(b.viaLoadBalancer, b.address);
            });
        std::sort(report.leases.begin(), report.leases.end(),
            [](const KubeLease &a, const KubeLease &b) { return a.name < b.name; });
        if (!lbSource.isEmpty()) {
            // Matched once every API server has been probed: drift needs both sides.
            const HaproxyStats::Result stats = HaproxyStats::parse(lbStats);
            const QString error = !lbError.isEmpty() ? lbError : stats.error;
            if (!error.isEmpty()) {
                ApiServerBalancer b;
                b.source = lbSource;
                b.error = QStringLiteral("HAProxy in front of the API servers: %1").arg(error);
                report.problems << b.error;
                report.balancer = b;
            } else {
                report.balancer = ApiServerBalancer::match(lbSource, stats.rows, lbBackend, report);
            }
        }
        report.readAt = QDateTime::currentDateTimeUtc();
        done(report);
    }
};

const QStringList &ControlPlaneReader::componentLeases()
{
    static const QStringList names {QStringLiteral("kube-controller-manager"), QStringLiteral("kube-scheduler")};
    return names;
}

ControlPlaneReader::ControlPlaneReader(const KubeCredentials &credentials, QObject *parent)
    : QObject(parent)
    , m_client(new KubeClient(credentials, this))
{
}

ControlPlaneReader::~ControlPlaneReader() = default;

void ControlPlaneReader::setTimeoutMs(int ms)
{
    m_timeoutMs = ms;
    m_client->setTimeoutMs(ms);
}

void ControlPlaneReader::setLoadBalancer(const QString &statsSource, const QString &backend)
{
    m_lbSource = statsSource;
    m_lbBackend = backend;
}

void ControlPlaneReader::readBalancer(const std::shared_ptr<Run> &run)
{
    run->lbSource = m_lbSource;
    run->lbBackend = m_lbBackend;
    ++run->waiting;
    const bool url = HaproxyStatsReader::isStatsUrl(m_lbSource);
    if (url && !m_http)
        m_http = new QNetworkAccessManager(this);
    HaproxyStatsReader::read(m_http, url ? m_lbSource : QString(), url ? QString() : m_lbSource, m_timeoutMs, this,
        [run](const Result<QByteArray> &answer) {
            run->lbStats = answer.valueOr({});
            run->lbError = answer.problem();
            run->finishOne();
        });
}

void ControlPlaneReader::read(Callback done)
{
    auto run = std::make_shared<Run>();
    run->done = std::move(done);
    run->report.server = m_client->credentials().server;
    run->report.context = m_client->credentials().context;
    if (!m_client->credentialsError().isEmpty()) {
        run->problem(m_client->credentialsError());
        run->waiting = 1;
        run->finishOne();
        return;
    }
    // Held open until every part has been started, so none can finish the run early.
    run->waiting = 1;
    if (!m_lbSource.isEmpty())
        readBalancer(run);

    // The API servers, directly, and the kubeconfig's server (usually the load balancer).
    const QUrl server(m_client->credentials().server);
    probe(run, QStringLiteral("%1:%2").arg(server.host()).arg(server.port(443)), true);
    if (!m_apiServers.isEmpty()) {
        probeAll(run, m_apiServers);
    } else {
        ++run->waiting;
        m_client->listAll(
            QStringLiteral("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices"),
            QStringLiteral("endpointslices"),
            [this, run](const Result<KubeClient::Listed> &listed) {
                if (!listed)
                    run->problem(listed.problem());
                else
                    probeAll(run, ApiServerEndpoints::addresses(listed.value().items));
                run->finishOne();
            },
            QString::fromLatin1(ApiServerEndpoints::kSelector));
    }

    ++run->waiting;
    m_client->listAll(QStringLiteral("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases"),
        QStringLiteral("leases"), [run](const Result<KubeClient::Listed> &listed) {
            if (!listed) {
                run->problem(listed.problem());
            } else {
                for (const QJsonObject &item : listed.value().items) {
                    const KubeLease lease = KubeLease::fromJson(item);
                    if (componentLeases().contains(lease.name))
                        run->report.leases << lease;
                }
                run->problem(listed.value().cutShort);
            }
            run->finishOne();
        });

    ++run->waiting;
    m_client->listAll(
        QStringLiteral("/api/v1/nodes"), QStringLiteral("nodes"), [run](const Result<KubeClient::Listed> &listed) {
            if (listed)
                run->nodes = listed.value().items;
            else
                run->problem(listed.problem());
            run->finishOne();
        });
    ++run->waiting;
    m_client->listAll(QStringLiteral("/api/v1/namespaces/kube-system/pods"), QStringLiteral("pods in kube-system"),
        [run](const Result<KubeClient::Listed> &listed) {
            if (listed)
                run->pods = listed.value().items;
            else
                run->problem(listed.problem());
            run->finishOne();
        });
    run->finishOne();
}

void ControlPlaneReader::probeAll(const std::shared_ptr<Run> &run, const QStringList &addresses)
{
    for (const QString &address : addresses)
        probe(run, address, false);
}

void ControlPlaneReader::probe(const std::shared_ptr<Run> &run, const QString &address, bool viaLoadBalancer)
{
    ++run->waiting;
    auto state = std::make_shared<ApiServerState>();
    state->address = address;
    state->viaLoadBalancer = viaLoadBalancer;
    auto answers = std::make_shared<int>(3);
    auto answered = [run, state, answers](const Result<KubeClient::Raw> &r, auto use) {
        if (!r) {
            if (state->error.isEmpty())
                state->error = r.error().describe();
        } else {
            if (!r.value().peerCertificate.isNull())
                state->certExpiry = r.value().peerCertificate.expiryDate().toUTC();
            use(r.value());
        }
        if (--*answers > 0)
            return;
        run->report.apiServers << *state;
        run->finishOne();
    };
    // Through the load balancer the kubeconfig's own server; directly, the address itself.
    const QString server = viaLoadBalancer ? QString() : QStringLiteral("https://") + address;
    m_client->getRaw(server, QStringLiteral("/livez?verbose"), [answered, state](const Result<KubeClient::Raw> &r) {
        answered(r, [&](const KubeClient::Raw &raw) { state->live = HealthReport::parse(raw.httpStatus, raw.body); });
    });
    m_client->getRaw(server, QStringLiteral("/readyz?verbose"), [answered, state](const Result<KubeClient::Raw> &r) {
        answered(r, [&](const KubeClient::Raw &raw) {
            state->ready = HealthReport::parse(raw.httpStatus, raw.body);
            state->responseMs = raw.ms;
        });
    });
    m_client->getRaw(server, QStringLiteral("/version"), [answered, state](const Result<KubeClient::Raw> &r) {
        answered(r, [&](const KubeClient::Raw &raw) {
            if (raw.httpStatus == 200)
                state->version = QJsonDocument::fromJson(raw.body).object()[QStringLiteral("gitVersion")].toString();
        });
    });
}
