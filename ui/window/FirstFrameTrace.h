#pragma once

#include <QObject>

class ConsoleSession;
class QWidget;

/// For bench/startup.sh: when QUORUMDECK_TRACE_FIRST_FRAME is set, writes
/// "quorumdeck: first live frame at EPOCH_MS" to standard error once, when the window first
/// paints a snapshot in which a member answered. The script takes the time before it starts
/// the process, so the figure is launch to frame as the operator sees it, measured outside
/// the window's own clocks. Does nothing when the variable is not set.
class FirstFrameTrace : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FirstFrameTrace)

public:
    /// Follows session; painted is the widget whose paint shows the live data.
    static void watch(ConsoleSession *session, QWidget *painted);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    FirstFrameTrace(ConsoleSession *session, QWidget *painted);

    QWidget *m_painted;
    bool m_armed = false;
};
