#pragma once

#include "common/Result.h"
#include "demo/MemberNetwork.h"

#include <QJsonObject>
#include <QMap>
#include <QObject>

class PeerProxy;
class QLocalServer;
class QLocalSocket;
struct ClusterManifest;

/// The peer proxies of one demo cluster, and the control socket through which the CLI and
/// the window set their faults. It runs wherever the cluster is owned: on a thread of the
/// window that launched it, or in the helper process `quorumdeck demo net serve` that
/// `demo up` starts; either way every client speaks to it through the same socket.
///
/// The control protocol is one JSON object per line each way. Requests:
///   {"op":"status"}                      → {"ok":true,"members":[…]}
///   {"op":"set","member":M,"fault":{…}}  → the new state, once the fault is in force
///   {"op":"clear"}                       → every fault lifted
///   {"op":"add","member":M,"port":P,"target":T}, {"op":"remove","member":M}
///   {"op":"watch"}                       → the state now and after every change, until closed
///   {"op":"quit"}
/// A refused request answers {"ok":false,"error":"<sentence>"}.
///
/// A member's fault applies to every connection with it at one end: those its peers open to
/// its proxy, and those it opens to its peers' proxies (found by the source port's owner),
/// so that isolating it cuts it off both ways.
class PeerProxyHost : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PeerProxyHost)

public:
    explicit PeerProxyHost(QObject *parent = nullptr);
    ~PeerProxyHost() override;

    /// A proxy for every member of the manifest that advertises a proxied peer URL, and the
    /// control socket at the manifest's network socket path.
    Result<void> start(const ClusterManifest &manifest);

    /// Listens on 127.0.0.1:port and forwards to the member's peer listener on target.
    Result<void> addRoute(const QString &member, quint16 port, quint16 target);
    void removeRoute(const QString &member);
    Result<void> setFault(const QString &member, const NetworkFault &fault);
    void clearFaults();
    QList<MemberNetwork> state() const;

    /// Answers one control request (also what the socket does with each line).
    QJsonObject handle(const QJsonObject &request);

signals:
    /// After start() ran on the host's thread: what start() answered.
    void started(const Result<void> &result);
    void stateChanged();
    void quitRequested();

private:
    void acceptControl();
    void readControl(QLocalSocket *socket);
    QJsonObject stateReply() const;
    /// The member whose process holds the connection from sourcePort to proxyPort: its pid
    /// comes from DIR/NAME.pid (it changes on every restart), its sockets from /proc.
    QString originOf(quint16 sourcePort, quint16 proxyPort) const;

    QString m_dir;

    QMap<QString, PeerProxy *> m_proxies;
    QLocalServer *m_control = nullptr;
    QList<QLocalSocket *> m_watchers;
};
