#pragma once

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

    /// done(error): empty on success.
    void store(const QString &profile, const QString &user, const QString &password,
        std::function<void(const QString &error)> done);
    /// done(password, error): the password, or an error sentence (also when none is stored).
    void read(const QString &profile, const QString &user,
        std::function<void(const QString &password, const QString &error)> done);
    void remove(const QString &profile, const QString &user, std::function<void(const QString &error)> done);

    static QString service() { return QStringLiteral("QuorumDeck"); }
    /// The keychain entry of one profile's user.
    static QString key(const QString &profile, const QString &user);
};
