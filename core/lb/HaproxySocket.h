#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <functional>

/// One command on HAProxy's admin (stats) socket, asynchronously, with a deadline:
/// "show stat", "set server be/srv state drain", ... HAProxy answers and closes the
/// connection. Deletes itself when done.
class HaproxySocket : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HaproxySocket)

public:
    /// HAProxy's answer, or why there is none (Unavailable, Timeout).
    using Callback = std::function<void(Result<QByteArray> answer)>;

    /// Runs `command` on the socket at `path`.
    static void run(const QString &path, const QString &command, int timeoutMs, QObject *context, Callback done);

private:
    HaproxySocket(QObject *context, Callback done);
    void finish(Result<QByteArray> answer);

    Callback m_done;
    bool m_finished = false;
};
