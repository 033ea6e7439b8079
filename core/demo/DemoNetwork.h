#pragma once

#include "cluster/OperationResult.h"
#include "common/Result.h"
#include "demo/NetworkControl.h"
#include "demo/NetworkFault.h"
#include "profile/ClusterManifest.h"

#include <QJsonObject>
#include <QObject>
#include <functional>

class PeerProxyHost;
class QThread;

/// Where a demo's peer proxies run: on a thread of this process (the window), or in a
/// helper process that outlives it (`demo up` from the CLI).
enum class DemoNetworkHost { Thread, Helper };

/// The demo cluster's peer network: the proxies every member's peer traffic goes through,
/// which is what lets the console cut, delay or drop it. Starts them (on a thread of its own,
/// so that peer traffic flows while the GUI thread is busy, or as a helper process), takes
/// them back after a crash, and asks them to set and clear faults. Records where they run in
/// the manifest it is given, which must outlive it.
class DemoNetwork : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoNetwork)

public:
    explicit DemoNetwork(ClusterManifest &manifest);
    /// Stops the proxies this object hosts (see handOver() to keep them going).
    ~DemoNetwork() override;

    /// DIR/network.sock, unless DIR is too deep for a Unix socket's 108-byte path; then a
    /// name in the temporary directory that only this user and this directory produce.
    static QString socketPath(const QString &dir);

    /// Starts the proxies for the manifest (already saved) and waits until their control
    /// socket answers. cancelled() is asked before a helper is started.
    void start(DemoNetworkHost host, const QString &helperProgram, std::function<bool()> cancelled,
        std::function<void(Result<void>)> done);
    /// When the proxies went with the console that hosted them (it crashed), hosts them
    /// again on a thread of this process, on the same ports.
    void adopt(std::function<void(Result<void>)> done);
    /// One request to the proxies' control socket (see PeerProxyHost).
    void request(const QJsonObject &request, NetworkControl::Reply done);
    /// Puts a fault on a member's peer links (an empty fault heals them); done once in force.
    void setFault(const QString &member, const NetworkFault &fault, OperationCallback done);
    void clearFaults(OperationCallback done);

    /// True when this object runs the proxies itself (on its own thread).
    bool hosts() const { return m_host != nullptr; }
    void stopThread();
    /// When this object hosts the proxies and members still run (membersRun), passes them to
    /// a helper process (helperProgram, default this program if it is quorumdeck) so that
    /// the members keep reaching each other after this object goes.
    void handOver(const QString &helperProgram, bool membersRun);

private:
    Result<void> startHelper(const QString &program, const std::function<bool()> &cancelled);
    void waitUntilAnswering(qint64 giveUpAt, std::function<void(Result<void>)> done);

    ClusterManifest &m_manifest;
    QThread *m_thread = nullptr;
    PeerProxyHost *m_host = nullptr;
};
