#pragma once

#include "elections/LeadershipBands.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class ConsoleSession;

/// Who led when, one swimlane per etcd member and one per control-plane lease: a band in the
/// member's colour while it led (its term written in it), hatched grey where elections fell
/// between two samples, a marker at each election with its cause on hover, and the holders
/// of the kube-scheduler and kube-controller-manager leases on lanes of their own (red
/// hatching while nobody held one). markTime() draws a line at one moment (the event
/// selected in the list).
class ElectionsTimeline : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ElectionsTimeline)

public:
    using Band = LeadershipBands::Band;
    using LeaseBand = LeadershipBands::LeaseBand;

    explicit ElectionsTimeline(QWidget *parent = nullptr);

    /// Draws the session's events, snapshots and control plane from now on (nullptr: none).
    void setSession(ConsoleSession *session);
    void setData(const QList<ClusterEvent> &events, const ClusterSnapshot &snapshot);
    /// The control plane's leases as last read (none: no lease lanes beyond the events').
    void setLeases(const QList<KubeLease> &leases);
    void markTime(qint64 ms);
    qint64 markedTime() const { return m_markMs; }
    const QList<Band> &bands() const { return m_bands; }
    const QList<LeaseBand> &leaseBands() const { return m_leaseBands; }
    /// The lanes top to bottom: member names, then lease names.
    QStringList lanes() const;

    static QList<Band> bandsFrom(
        const QList<ClusterEvent> &events, const ClusterSnapshot &snapshot, qint64 historyStartMs = 0)
    {
        return LeadershipBands::fromEvents(events, snapshot, historyStartMs);
    }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Lane {
        QString title;
        uint64_t member = 0; ///< an etcd member's lane
        QString lease; ///< a lease's lane
    };
    struct Election {
        qint64 timeMs = 0;
        uint64_t leader = 0;
        QString text;
    };
    void rebuild();
    QRectF plotArea() const;
    QRectF laneRect(int lane) const;
    int laneHeight() const;
    double xOf(qint64 ms) const;
    QString tipAt(const QPointF &pos) const;

    QPointer<ConsoleSession> m_session;
    QList<ClusterEvent> m_events;
    ClusterSnapshot m_snapshot;
    QList<KubeLease> m_leases;
    QList<Band> m_bands;
    QList<LeaseBand> m_leaseBands;
    QList<Election> m_elections;
    QList<Lane> m_lanes;
    QHash<uint64_t, QString> m_names;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 0;
    qint64 m_markMs = 0;
    qint64 m_historyStartMs = 0; ///< the first snapshot's time
    uint64_t m_historyCluster = 0; ///< the cluster m_historyStartMs is of
};
