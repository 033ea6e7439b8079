#pragma once

#include "cluster/ClusterEvent.h"
#include "cluster/ClusterSnapshot.h"

#include <QChartView>
#include <QHash>
#include <QPointer>

class ConsoleSession;

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

/// Who led when: one band per leadership, coloured per member and labelled with its term,
/// on a time axis. The bands are derived from the LeaderChanged / LeaderLost / ElectionsUnseen
/// events and the current snapshot; nothing else is kept. Elections that fell between two
/// samples are a hatched grey band over that interval: who led there is unknown.
/// markTime() draws a marker at one moment (the event selected in the list).
class ElectionsTimeline : public QChartView {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ElectionsTimeline)

public:
    struct Band {
        uint64_t leader = 0;
        uint64_t term = 0;
        qint64 startMs = 0;
        qint64 endMs = 0; ///< the snapshot's time for the current leadership
        int unseenElections = 0; ///< > 0: a gap between two samples, no leader known (leader 0)
        QString detail; ///< for a gap: the event's sentence
    };

    explicit ElectionsTimeline(QWidget *parent = nullptr);

    /// Draws the session's events and snapshots from now on (nullptr: none).
    void setSession(ConsoleSession *session);
    void setData(const QList<ClusterEvent> &events, const ClusterSnapshot &snapshot);
    void markTime(qint64 ms);
    qint64 markedTime() const { return m_markMs; }
    const QList<Band> &bands() const { return m_bands; }

    /// Pure: the leaderships that events and the current snapshot describe.
    /// historyStartMs: when the window first saw the cluster (0: the first event's time); the
    /// leadership before the first election seen is drawn from there.
    static QList<Band> bandsFrom(
        const QList<ClusterEvent> &events, const ClusterSnapshot &snapshot, qint64 historyStartMs = 0);

private:
    void rebuild();

    QPointer<ConsoleSession> m_session;
    QList<Band> m_bands;
    QHash<uint64_t, QString> m_names;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
    QLineSeries *m_marker;
    qint64 m_markMs = 0;
    qint64 m_historyStartMs = 0; ///< the first snapshot's time
    uint64_t m_historyCluster = 0; ///< the cluster m_historyStartMs is of
};
