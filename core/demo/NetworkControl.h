#pragma once

#include "common/Result.h"

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <functional>

/// Speaks to a demo cluster's PeerProxyHost through its control socket: one request, one
/// answer, within a deadline. The answer (or why there is none: Unavailable when nothing
/// answers, Refused when the proxies say no) comes back on context's thread; nothing waits.
namespace NetworkControl {

using Reply = std::function<void(Result<QJsonObject> answer)>;

void request(const QString &socketPath, const QJsonObject &request, int timeoutMs, QObject *context, Reply done);

} // namespace NetworkControl
