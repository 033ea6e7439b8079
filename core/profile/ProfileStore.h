#pragma once

#include "common/Result.h"
#include "profile/ConnectionProfile.h"

#include <QStringList>
#include <optional>

/// Connection profiles in QSettings (the window and the CLI share them: `--profile NAME`),
/// under profiles/NAME/. Only what a profile describes is written — never a password.
class ProfileStore {
public:
    static QStringList names();
    static std::optional<ConnectionProfile> load(const QString &name);
    /// Invalid for a profile that does not validate, Io when the settings cannot be written.
    static Result<void> save(const ConnectionProfile &profile);
    static void remove(const QString &name);

    /// The profile the window opened last ("" when none).
    static QString lastUsed();
    static void setLastUsed(const QString &name);
};
