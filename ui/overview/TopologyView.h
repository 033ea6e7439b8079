#pragma once

#include "cluster/ClusterSnapshot.h"
#include "demo/MemberNetwork.h"
#include "kube/ControlPlaneReport.h"
#include "lb/LbSnapshot.h"
#include <QHash>
#include <QPointer>
#include <QStaticText>

#include <QWidget>

/// The overview drawing: clients → load balancer → members, and where a kubeconfig reaches
/// the Kubernetes control plane above, clients → the API's load balancer → the API servers →
/// etcd's load balancer → members. Each member is a node with its
/// name, role (the leader outlined in gold, learners dashed), health colour, term and a
/// replication-lag bar; an unreachable member is greyed with its error. A badge states
/// voters, quorum and fault tolerance in words. Positions depend only on the member list,
/// so nodes never jump as snapshots arrive.
class ConsoleSession;

class TopologyView : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopologyView)

public:
    explicit TopologyView(QWidget *parent = nullptr);

    /// Draws session's cluster, load balancer and peer network from now on.
    void setSession(ConsoleSession *session);
    void setSnapshot(const ClusterSnapshot &snapshot);
    /// Colours each load balancer → member edge by the LB's view of that backend (dashed
    /// orange where the LB disagrees with the member's health); an empty one for none.
    void setLbSnapshot(const LbSnapshot &lb);
    /// The LB's view of a member's backend, as drawn ("UP", "DOWN", ...; empty if unknown).
    QString edgeState(const QString &memberName) const;
    /// The demo members' peer links: each member hangs from a peer network line below the
    /// nodes, cut with a red gap when isolated, dashed and labelled when delayed or lossy.
    /// Empty for clusters without peer proxies (nothing is drawn then).
    void setNetwork(const QList<MemberNetwork> &network);
    /// How a member's peer link is drawn: "cut off", "delay 300±50 ms", ... ("" when fine).
    QString networkLabel(const QString &memberName) const;
    /// The API servers above etcd, as the control plane was last read (an empty report: none,
    /// and the drawing starts at etcd's load balancer).
    void setControlPlane(const ControlPlaneReport &report);
    /// The API servers drawn, e.g. "10.0.0.11:6443 ready", "10.0.0.12:6443 not ready".
    QStringList apiServersDrawn() const;
    /// What a member's box says below its name: role and health, version and term, raft
    /// index and lag, DB size against the quota, the last error (empty for no such member).
    QStringList memberText(const QString &name) const;
    /// Where the member's box is drawn (empty for no such member).
    QRectF memberBox(const QString &name) const;
    /// Rings the member's box as selected (0: none), as the members table selects it.
    void setSelectedMember(uint64_t id);
    uint64_t selectedMember() const { return m_selected; }
    /// The badge's text, e.g. "3 voters · quorum 2 · survives 1 failure".
    QString badgeText() const;
    QSize minimumSizeHint() const override { return {520, hasApiLayer() ? 440 : 320}; }

signals:
    /// A member's box was clicked.
    void memberClicked(uint64_t id);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QRectF nodeRect(int index, int count) const;
    bool hasApiLayer() const { return !m_apiServers.isEmpty(); }
    QRectF apiServerRect(int index, int count) const;
    QRectF etcdLbRect() const;
    void paintApiLayer(QPainter &p, const QRectF &clients) const;
    void paintMember(QPainter &p, const QRectF &r, const MemberState &m) const;
    QStringList memberLines(const MemberState &m) const;
    /// What the drawing shows of the snapshot, to tell a snapshot that changes it.
    QStringList drawnState() const;
    /// One line of a member's box, elided to width, laid out once for as long as it reads the same.
    const QStaticText &lineText(const QString &line, qreal width) const;
    void paintPeerNetwork(QPainter &p) const;
    /// Room kept below the nodes for the peer network line.
    qreal networkBand() const { return m_network.isEmpty() ? 0 : 46; }

    QPointer<ConsoleSession> m_session;
    ClusterSnapshot m_snapshot;
    LbSnapshot m_lb;
    QList<MemberNetwork> m_network;
    QList<ApiServerState> m_apiServers; ///< probed directly
    std::optional<ApiServerState> m_apiViaLb; ///< the kubeconfig's server
    QHash<uint64_t, qint64> m_quotas; ///< each member's backend quota, from the storage reads
    uint64_t m_selected = 0;
    QStringList m_drawn; ///< drawnState() as last painted
    mutable QHash<QString, QStaticText> m_lineTexts; ///< lineText()'s, by width and text
};
