#pragma once

#include "cluster/OperationResult.h"
#include "common/Result.h"
#include "demo/DemoNetwork.h"
#include "demo/ProcessControl.h"
#include "profile/ClusterManifest.h"

#include <QObject>
#include <QSslConfiguration>
#include <functional>
#include <memory>

class QNetworkAccessManager;

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
    using NetworkHost = DemoNetworkHost;
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
/// cluster.json. up(), down() and the recovery after a crash (reattach(), cleanUp()) are
/// lists of named asynchronous steps (StepChain): no waiting, progress at each, one
/// OperationResult at the end. The parts live beside it:
/// MemberProcesses (the etcd processes), DemoPki (certificates), DemoAuth (the root user),
/// DemoLoadBalancer (HAProxy) and DemoNetwork (the peer proxies and their faults); the
/// manifest is profile/ClusterManifest. Destroying this object leaves the processes alone:
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
    static Result<QString> locateEtcd(const QString &given);
    /// HAProxy, if installed (empty otherwise).
    static QString locateHaproxy();
    static std::optional<MemberAction> actionFromName(const QString &name);
    /// The processes of a demo cluster in dir that still run (etcd members, HAProxy, the
    /// peer proxies' helper): a cluster whose console went without stopping it (a crash)
    /// leaves them. Reads a few small files; pids whose command line does not name dir are
    /// never counted, so a reused pid is not taken for a member.
    static QList<qint64> runningProcesses(const QString &dir);

    /// Reads DIR/cluster.json of a cluster started earlier.
    Result<void> attach(const QString &dir);
    const ClusterManifest &manifest() const { return m_manifest; }
    QString directory() const { return m_manifest.dir; }
    ProcessControl::State memberState(const QString &name) const;

    /// Stops leftovers in the directory, starts the members and finishes when a leader is
    /// elected and every member answers /health.
    void up(const LocalClusterOptions &options, OperationCallback done);
    /// Signals every member at once (SIGTERM), then SIGKILL after a grace period.
    void down(OperationCallback done);
    /// Carries on with a cluster whose console went without stopping it: reads its manifest,
    /// checks that a member still runs and hosts its peer proxies again if they went with
    /// that console. details: members, running, ownedByWindow.
    void reattach(const QString &dir, OperationCallback done);
    /// Stops whatever of a demo still runs in dir (its data stays), manifest or not.
    void cleanUp(const QString &dir, OperationCallback done);
    /// Keeps an up() in progress from starting anything more (a member, the peer proxies,
    /// the load balancer); down() then stops what it had started.
    void cancel() { m_cancelled = true; }
    void memberAction(const QString &name, MemberAction action, OperationCallback done);
    struct MemberUrls {
        QString peer;
        QString client;
    };
    /// Free peer and client URLs for a member about to be added.
    Result<MemberUrls> reserveUrls() const;
    /// Starts the process of a member already added with MemberAdd, so that it joins.
    /// A learner joins the load balancer in maintenance: it cannot serve clients.
    void startJoiningMember(const QString &name, const QString &peerUrl, const QString &clientUrl,
        const QString &initialCluster, OperationCallback done, bool learner = false);
    /// Puts a promoted learner's backend in rotation on the demo's load balancer.
    void enableLoadBalancerServer(const QString &member, std::function<void(Result<void>)> done);
    /// Stops a member's process and deletes its data (after a MemberRemove).
    void discardMember(const QString &name, OperationCallback done);

    /// After attach(): when the peer proxies went with the console that hosted them (it
    /// crashed), hosts them again on a thread of this process, on the same ports, so that
    /// the members reach each other.
    void adoptNetwork(std::function<void(Result<void>)> done);
    /// One request to the peer proxies' control socket (see PeerProxyHost).
    void networkRequest(const QJsonObject &request, NetworkControl::Reply done);
    /// Puts a fault on a member's peer links (an empty fault heals them); done once in force.
    void setNetworkFault(const QString &member, const NetworkFault &fault, OperationCallback done);
    void clearNetworkFaults(OperationCallback done);
    /// True when this object runs the peer proxies itself (on its own thread).
    bool hostsNetwork() const { return m_network->hosts(); }
    /// The quorumdeck executable that takes the proxies over (`demo net serve`) when this
    /// object goes while the cluster still runs; default: this program, if it is quorumdeck.
    void setHelperProgram(const QString &path) { m_helperProgram = path; }

signals:
    void progress(const QString &sentence);
    void changed();

private:
    struct UpState;
    struct DownState;
    struct ReattachState;

    /// The TLS the console's own HTTPS requests (health checks) use, from the manifest.
    void updateHttpTls();
    QList<qint64> leftoverPids(const QString &dir) const;
    void waitForHealth(const QStringList &names, qint64 giveUpAt, bool needLeader, OperationCallback done);
    /// Starts HAProxy in front of the members when it is installed, and records it (or why
    /// there is none) in the manifest; done(why not, empty when it runs).
    void startLoadBalancer(std::function<void(const QString &whyNot)> done);
    void recordNoLoadBalancer(const QString &why);
    /// Keeps the LB's backends equal to the members after one joined or left.
    void syncLoadBalancer(
        const QString &member, bool joined, bool inRotation, std::function<void(const QString &)> done);
    void launchJoiningMember(LocalMember m, const QString &initialCluster, bool learner, OperationCallback done);
    /// Saves the manifest where a failure must not stop what is under way (a member already
    /// stopped, a load balancer already gone): says so through progress() instead.
    void recordManifest();
    /// Whether any member process of the manifest still runs.
    bool anyMemberRuns() const;

    ClusterManifest m_manifest;
    /// After m_manifest, which it refers to: destroyed first.
    std::unique_ptr<DemoNetwork> m_network;
    QString m_helperProgram;
    QNetworkAccessManager *m_http;
    QSslConfiguration m_httpTls;
    bool m_cancelled = false;
};
