#pragma once

#include "cluster/OperationResult.h"
#include "demo/ProcessControl.h"
#include "lb/HaproxyConfig.h"
#include "profile/ClusterManifest.h"

#include "demo/NetworkControl.h"
#include "demo/NetworkFault.h"

#include <QObject>
#include <QSslConfiguration>
#include <functional>

class PeerProxyHost;
class QNetworkAccessManager;
class QThread;

struct LocalClusterOptions {
    QString dir;
    int members = 3; ///< 1 to 7
    QString etcdPath; ///< empty: the etcd on PATH
    quint16 basePort = 0; ///< 0: free ports; else clients at base+2i, peers at base+2i+1
    qint64 quotaBytes = 0; ///< 0: etcd's default (2 GiB)
    /// Members serve TLS on client and peer URLs and demand client certificates, from a CA
    /// made for the cluster in DIR/pki.
    bool tls = false;
    /// etcd authentication on, with a root user whose generated password the result carries
    /// (details "rootPassword") once and nothing stores.
    bool auth = false;
    int authTokenTtlSeconds = 0; ///< 0: etcd's default (300 s)
    int readyTimeoutMs = 30000;
    /// Where the peer proxies run: on a thread of this process (the window), or in a helper
    /// process that outlives it (`demo up` from the CLI), started from helperProgram.
    enum class NetworkHost { Thread, Helper };
    NetworkHost networkHost = NetworkHost::Thread;
    QString helperProgram; ///< the quorumdeck executable (Helper only)
    /// false: members talk to each other directly, as in a production cluster, and no
    /// network faults can be set (benchmarks measure the cluster without the proxies' hop).
    bool peerProxies = true;
    bool loadBalancer = true; ///< false: no HAProxy in front
};

/// A demo etcd cluster of real processes on 127.0.0.1, under one directory that holds
/// cluster.json, each member's data directory, log and pid file.
///
/// Members are started detached, so a cluster launched by `quorumdeck demo up` outlives
/// the command; any later command or the window attaches to the same cluster through
/// cluster.json. Every long step is asynchronous (timers, no waiting), reports progress,
/// and ends in one OperationResult. Destroying this object leaves the processes alone:
/// call down() to stop them.
class LocalCluster : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalCluster)

public:
    enum class MemberAction { Stop, Kill, Pause, Resume, Restart };
    static constexpr int kMaxMembers = 7;

    explicit LocalCluster(QObject *parent = nullptr);
    ~LocalCluster() override;

    /// The etcd binary to run: given (must be executable) or found on PATH.
    static QString locateEtcd(const QString &given, QString *error);
    /// HAProxy, if installed (empty otherwise).
    static QString locateHaproxy();
    static std::optional<MemberAction> actionFromName(const QString &name);
    /// The processes of a demo cluster in dir that still run (etcd members, HAProxy, the
    /// peer proxies' helper): a cluster whose console went without stopping it (a crash)
    /// leaves them. Reads a few small files; pids whose command line does not name dir are
    /// never counted, so a reused pid is not taken for a member.
    static QList<qint64> runningProcesses(const QString &dir);

    /// Reads DIR/cluster.json of a cluster started earlier; returns an error sentence.
    QString attach(const QString &dir);
    const ClusterManifest &manifest() const { return m_manifest; }
    QString directory() const { return m_manifest.dir; }
    ProcessControl::State memberState(const QString &name) const;

    /// Stops leftovers in the directory, starts the members and finishes when a leader is
    /// elected and every member answers /health.
    void up(const LocalClusterOptions &options, OperationCallback done);
    /// Signals every member at once (SIGTERM), then SIGKILL after a grace period.
    void down(OperationCallback done);
    /// Keeps an up() in progress from starting anything more (a member, the peer proxies,
    /// the load balancer); down() then stops what it had started.
    void cancel() { m_cancelled = true; }
    void memberAction(const QString &name, MemberAction action, OperationCallback done);
    /// Free peer and client URLs for a member about to be added.
    bool reserveUrls(QString *peerUrl, QString *clientUrl, QString *error) const;
    /// Starts the process of a member already added with MemberAdd, so that it joins.
    /// A learner joins the load balancer in maintenance: it cannot serve clients.
    void startJoiningMember(const QString &name, const QString &peerUrl, const QString &clientUrl,
        const QString &initialCluster, OperationCallback done, bool learner = false);
    /// Puts a promoted learner's backend in rotation on the demo's load balancer.
    void enableLoadBalancerServer(const QString &member, std::function<void(const QString &)> done);
    /// Stops a member's process and deletes its data (after a MemberRemove).
    void discardMember(const QString &name, OperationCallback done);

    /// After attach(): when the peer proxies went with the console that hosted them (it
    /// crashed), hosts them again on a thread of this process, on the same ports, so that
    /// the members reach each other. done(error sentence, empty when they run).
    void adoptNetwork(std::function<void(const QString &)> done);
    /// One request to the peer proxies' control socket (see PeerProxyHost).
    void networkRequest(const QJsonObject &request, NetworkControl::Reply done);
    /// Puts a fault on a member's peer links (an empty fault heals them); done once in force.
    void setNetworkFault(const QString &member, const NetworkFault &fault, OperationCallback done);
    void clearNetworkFaults(OperationCallback done);
    /// True when this object runs the peer proxies itself (on its own thread).
    bool hostsNetwork() const { return m_networkHost != nullptr; }
    /// The quorumdeck executable that takes the proxies over (`demo net serve`) when this
    /// object goes while the cluster still runs; default: this program, if it is quorumdeck.
    void setHelperProgram(const QString &path) { m_helperProgram = path; }

signals:
    void progress(const QString &sentence);
    void changed();

private:
    QString startMember(LocalMember &member, const QString &initialCluster, bool newCluster);
    /// Makes the cluster's CA and certificates in DIR/pki; returns an error sentence or "".
    static QString makeCertificates(const QString &dir, LocalTls *out);
    /// The TLS the console's own HTTPS requests (health checks) use, from the manifest.
    void updateHttpTls();
    HaproxyConfig withChecks(HaproxyConfig config) const;
    /// Adds the root user with a fresh password and turns authentication on.
    void enableAuth(std::function<void(const QString &password, const QString &error)> done);
    QStringList argumentsFor(const LocalMember &member, const QString &initialCluster, bool newCluster) const;
    void stopProcesses(const QList<qint64> &pids, std::function<void()> done);
    /// Polls condition every 5 ms until it holds or timeoutMs passes.
    void waitUntil(std::function<bool()> condition, int timeoutMs, std::function<void(bool)> done);
    QList<qint64> leftoverPids(const QString &dir) const;
    /// The pids recorded in dir (pid files, cluster.json) and the given ones that still run
    /// as processes of the cluster in dir.
    static QList<qint64> alivePids(const QString &dir, QList<qint64> pids);
    void waitForHealth(const QStringList &names, qint64 giveUpAt, bool needLeader, OperationCallback done);
    QString logTail(const LocalMember &member) const;
    QString diagnoseExit(const LocalMember &member) const;
    void writePidFile(const LocalMember &member) const;
    /// Starts HAProxy in front of the members when it is installed; done(why not) with an
    /// empty sentence when it runs. The cluster works without it either way.
    void startLoadBalancer(std::function<void(const QString &whyNot)> done);
    /// Records that the cluster has no load balancer, and why.
    void recordNoLoadBalancer(const QString &why);
    /// The demo LB's configuration for the current members; where it is written.
    HaproxyConfig loadBalancerConfig() const;
    QString writeLoadBalancerConfig(const HaproxyConfig &config) const;
    /// Keeps the LB's backends equal to the members after one joined or left: the server is
    /// added or deleted at runtime through the admin socket (no restart, no dropped
    /// clients), and haproxy.cfg rewritten for the next start. done(problem, empty if none).
    void syncLoadBalancer(
        const QString &member, bool joined, bool inRotation, std::function<void(const QString &)> done);

    /// Starts the peer proxies for m_manifest (already saved) and waits until their control
    /// socket answers; done(error sentence, empty when they run).
    void startNetwork(const LocalClusterOptions &options, std::function<void(const QString &)> done);
    void waitForNetwork(qint64 giveUpAt, std::function<void(const QString &)> done);
    /// Starts `demo net serve` for m_manifest; returns an error sentence or "".
    QString startHelper(const LocalClusterOptions &options);
    /// Passes the proxies this object hosts to a helper process, when it goes while the
    /// cluster still runs.
    void handOverNetwork();
    void stopNetworkThread();
    void launchJoiningMember(LocalMember m, const QString &initialCluster, bool learner, OperationCallback done);
    /// Starts the members of a new cluster once its proxies run.
    void launchMembers(const LocalClusterOptions &options, OperationCallback done);

    ClusterManifest m_manifest;
    QThread *m_networkThread = nullptr;
    PeerProxyHost *m_networkHost = nullptr;
    QString m_helperProgram;
    QNetworkAccessManager *m_http;
    QSslConfiguration m_httpTls;
    bool m_cancelled = false;
};
