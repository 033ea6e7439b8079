#pragma once

#include "common/Result.h"

#include <QObject>
#include <QString>
#include <functional>

/// Passwords in the system keychain (the Secret Service on a Linux desktop, through
/// QtKeychain), for operators who opt in per profile. Never a plain-text fallback: when no
/// keychain answers, the caller is told so and asks for the password instead.
class KeychainPasswords : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeychainPasswords)

public:
    explicit KeychainPasswords(QObject *parent = nullptr);

    void store(
        const QString &profile, const QString &user, const QString &password, std::function<void(Result<void>)> done);
    /// The password, or an Error (NotFound when none is stored, Unavailable without a
    /// keychain, Refused when access is denied).
    void read(const QString &profile, const QString &user, std::function<void(Result<QString>)> done);
    /// Removing what is not there succeeds.
    void remove(const QString &profile, const QString &user, std::function<void(Result<void>)> done);

    static QString service() { return QStringLiteral("QuorumDeck"); }
    /// The keychain entry of one profile's user.
    static QString key(const QString &profile, const QString &user);
};
