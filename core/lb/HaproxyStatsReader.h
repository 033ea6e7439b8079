#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QString>
#include <functional>

class QNetworkAccessManager;
class QObject;

/// HAProxy's stats CSV, from its stats page (an http(s) URL, read with http) or its admin
/// socket ("show stat"), within timeoutMs. done runs on context's thread, unless context is
/// gone by then.
namespace HaproxyStatsReader {

using Done = std::function<void(const Result<QByteArray> &csv)>;

void read(QNetworkAccessManager *http, const QString &statsUrl, const QString &socketPath, int timeoutMs,
    QObject *context, Done done);

/// A profile's one field for either: an http(s) URL is a stats page, anything else a socket.
inline bool isStatsUrl(const QString &source)
{
    return source.startsWith(QLatin1String("http://")) || source.startsWith(QLatin1String("https://"));
}

} // namespace HaproxyStatsReader
