#pragma once

#include "profile/ConnectionProfile.h"

#include <QStringList>
#include <optional>

/// Connection profiles in QSettings (the window and the CLI share them: `--profile NAME`),
/// under profiles/NAME/. Only what a profile describes is written — never a password.
class ProfileStore {
public:
    static QStringList names();
    static std::optional<ConnectionProfile> load(const QString &name);
    /// Returns an error sentence or "".
    static QString save(const ConnectionProfile &profile);
    static void remove(const QString &name);

    /// The profile the window opened last ("" when none).
    static QString lastUsed();
    static void setLastUsed(const QString &name);
};
