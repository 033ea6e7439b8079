#include "window/FirstFrameTrace.h"

#include "session/ConsoleSession.h"

#include <QDateTime>
#include <QEvent>
#include <QWidget>
#include <cstdio>

void FirstFrameTrace::watch(ConsoleSession *session, QWidget *painted)
{
    static bool traced = false; // once per process: the first session's first frame
    if (traced || !qEnvironmentVariableIsSet("QUORUMDECK_TRACE_FIRST_FRAME"))
        return;
    traced = true;
    new FirstFrameTrace(session, painted);
}

FirstFrameTrace::FirstFrameTrace(ConsoleSession *session, QWidget *painted)
    : QObject(painted)
    , m_painted(painted)
{
    connect(session, &ConsoleSession::snapshotReady, this, [this](const ClusterSnapshot &snapshot) {
        if (m_armed)
            return;
        for (const MemberState &m : snapshot.members()) {
            if (m.reachable) {
                // The panels were told before this (they connected first): the next paint
                // of the painted widget shows this snapshot.
                m_armed = true;
                m_painted->installEventFilter(this);
                return;
            }
        }
    });
}

bool FirstFrameTrace::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_painted && event->type() == QEvent::Paint) {
        // After the paint itself, so that the frame is drawn when the time is taken.
        m_painted->removeEventFilter(this);
        QMetaObject::invokeMethod(
            this,
            [this] {
                std::fprintf(stderr, "quorumdeck: first live frame at %lld\n",
                    static_cast<long long>(QDateTime::currentMSecsSinceEpoch()));
                std::fflush(stderr);
                deleteLater();
            },
            Qt::QueuedConnection);
    }
    return QObject::eventFilter(watched, event);
}
