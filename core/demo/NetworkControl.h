#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <functional>

/// Speaks to a demo cluster's PeerProxyHost through its control socket: one request, one
/// answer, within a deadline. The answer (or an error sentence) comes back on context's
/// thread; nothing waits.
namespace NetworkControl {

using Reply = std::function<void(const QJsonObject &answer, const QString &error)>;

void request(const QString &socketPath, const QJsonObject &request, int timeoutMs, QObject *context, Reply done);

} // namespace NetworkControl
