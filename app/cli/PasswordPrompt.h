#pragma once

#include <QString>
#include <optional>

/// Asks for a password on the controlling terminal without echoing it, as etcdctl does when
/// --user names no password. Nothing when there is no terminal (a script must pass it).
namespace PasswordPrompt {

std::optional<QString> ask(const QString &prompt);

} // namespace PasswordPrompt
