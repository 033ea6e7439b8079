#pragma once

#include "common/Result.h"
#include "etcd/ConnectionSettings.h"

#include <QObject>
#include <functional>

/// etcd authentication on a demo cluster: a root user with a generated password, granted the
/// root role, then authentication enabled. The password is shown once by whoever asked and
/// stored nowhere.
namespace DemoAuth {

/// 24 characters from 18 random bytes (base64url): easy to copy, impossible to guess.
QString newPassword();

/// Adds root with password at endpoint, grants it the root role and enables authentication;
/// done(success, or which of the three failed and why) on context's thread.
void enable(const ConnectionSettings &settings, const QString &endpoint, const QString &password, QObject *context,
    std::function<void(Result<void>)> done);

} // namespace DemoAuth
