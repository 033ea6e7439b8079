#pragma once

#include "common/EventLoopLag.h"

#include <QWidget>

class QProgressBar;
class QToolButton;

/// The status bar's view of a long operation (verifying a backup, restoring or rebuilding
/// the demo): a bar that counts its steps (or just moves, while no step is known), a Stop
/// button that is enabled only where the operation can stop without leaving anything half
/// done, and a meter of how long the window's event loop stalled while it ran, so that
/// "the window never freezes" is a figure (figures(), also in the bar's tooltip).
class OperationProgress : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OperationProgress)

public:
    explicit OperationProgress(QWidget *parent = nullptr);

    /// Shows the bar (busy) or hides it; each start measures the event loop afresh.
    void setBusy(bool busy);
    /// Step index (from 0) of count has started; stoppable enables Stop.
    void setStep(const QString &sentence, int index, int count, bool stoppable);
    /// An operation measured in an amount (entries a joining member holds): done of total,
    /// as a percentage; total 0 while unknown. Such an operation ends by itself: no Stop.
    void setAmount(const QString &sentence, qint64 done, qint64 total);

    /// The event loop's lag over the last (or current) operation.
    EventLoopLag::Figures figures() const;
    QToolButton *stopButton() const { return m_stop; }
    QProgressBar *bar() const { return m_bar; }

signals:
    void stopRequested();

private:
    /// What runs now: the lag's phase and the bar's tooltip.
    void showSentence(const QString &sentence);

    QProgressBar *m_bar;
    QToolButton *m_stop;
    EventLoopLag m_lag;
    EventLoopLag::Figures m_lastFigures;
};
