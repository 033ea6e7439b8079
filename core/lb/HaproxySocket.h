#pragma once

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
    using Callback = std::function<void(const QByteArray &answer, const QString &error)>;

    /// Runs `command` on the socket at `path`; done(answer, "") or done({}, sentence).
    static void run(const QString &path, const QString &command, int timeoutMs, QObject *context, Callback done);

private:
    HaproxySocket(QObject *context, Callback done);
    void finish(const QByteArray &answer, const QString &error);

    Callback m_done;
    bool m_finished = false;
};
