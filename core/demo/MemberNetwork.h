#pragma once

#include "demo/NetworkFault.h"

#include <QJsonArray>
#include <QList>
#include <QString>

/// One demo member's link to its peers as its proxy sees it: the fault in force and where
/// the proxy listens and forwards.
struct MemberNetwork {
    QString member;
    NetworkFault fault;
    quint16 proxyPort = 0; ///< the advertised peer port
    quint16 targetPort = 0; ///< the member's own peer listener
    int connections = 0;
    qint64 bytesForwarded = 0;
    qint64 chunksDropped = 0;

    /// "ok", "isolated" or "impaired" (delayed or lossy).
    QString state() const;
    QJsonObject toJson() const;
    static MemberNetwork fromJson(const QJsonObject &o);
    static QList<MemberNetwork> listFromJson(const QJsonArray &members);
};
