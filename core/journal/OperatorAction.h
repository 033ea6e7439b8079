#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>

struct OperationResult;

/// One thing an operator did through the console: who (the OS user), what, to which
/// member, and how it ended. Journalled beside the cluster's own events.
struct OperatorAction {
    qint64 timeMs = 0;
    QString user;
    QString action; ///< "move-leader", "member-remove", "demo-kill", ...
    QString target; ///< member name or id; empty when none
    QString result; ///< "done", "refused", "failed"
    QString detail; ///< the operation's sentence

    static QString currentUser();
    /// What the current user just did, now, and how it ended.
    static OperatorAction of(const QString &action, const QString &target, const OperationResult &result);
    QJsonObject toJson() const;
    bool operator==(const OperatorAction &) const = default;
};

Q_DECLARE_METATYPE(OperatorAction)
