#pragma once

#include <QList>
#include <QString>
#include <optional>

/// HAProxy's own view of its proxies, as its stats CSV gives it (the stats page with
/// ";csv", or "show stat" on the admin socket). Columns are found by the names in the
/// header line, so versions that add or move columns read the same.
namespace HaproxyStats {

/// What HAProxy says of a server.
enum class ServerState {
    Up, ///< in rotation (also "no check": never checked, always used)
    Down,
    Maint, ///< administratively out, or tracking one that is
    Drain, ///< finishing its sessions, taking no new ones
    NoLb, ///< up, but kept out of load balancing
    Unknown,
};
QString stateName(ServerState state); ///< "UP", "DOWN", "MAINT", "DRAIN", "NOLB", "UNKNOWN"

struct Row {
    QString proxy; ///< pxname
    QString server; ///< svname: a server's name, or FRONTEND / BACKEND
    QString status; ///< as written, e.g. "UP", "UP 1/2" (going down), "MAINT (resolution)"
    ServerState state = ServerState::Unknown;
    bool transitioning = false; ///< "UP 1/2" or "DOWN 1/2": checks are changing its state
    int weight = 0;
    QString checkStatus; ///< L4OK, L4CON, L7OK, L7STS, L7TOUT, INI (not checked yet), ...
    bool checkRunning = false; ///< a check is under way ("* " before the status)
    int checkCode = 0; ///< the HTTP status of the last check
    int checkDurationMs = -1;
    QString checkDescription;
    qint64 secondsSinceChange = -1; ///< lastchg
    qint64 currentSessions = 0; ///< scur
    qint64 totalSessions = 0; ///< stot
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    QString address; ///< addr, when HAProxy reports it

    bool isFrontend() const { return server == QLatin1String("FRONTEND"); }
    bool isBackend() const { return server == QLatin1String("BACKEND"); }
    bool isServer() const { return !isFrontend() && !isBackend(); }
};

struct Result {
    QList<Row> rows;
    QString error; ///< empty when the text was a stats CSV
};

/// Parses the whole CSV: a "# pxname,svname,..." header, then a row per proxy and server.
Result parse(const QByteArray &csv);

ServerState stateOf(const QString &status, bool *transitioning = nullptr);

} // namespace HaproxyStats
