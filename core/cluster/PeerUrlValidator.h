#pragma once

#include "cluster/ClusterSnapshot.h"

#include <QStringList>

/// Checks peer URLs for a new member before anything is sent: each must be http(s) with a
/// host and a port, and none may already belong to a member. Used by the CLI and by the
/// window's Add member dialog as the user types.
class PeerUrlValidator {
public:
    /// Splits a comma-separated list, trimming blanks.
    static QStringList split(const QString &text);
    /// Empty when valid; otherwise one sentence naming the first problem.
    static QString check(const QStringList &urls, const ClusterSnapshot &snapshot);
};
