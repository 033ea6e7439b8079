#include "keychain/KeychainPasswords.h"

#include <qt6keychain/keychain.h>

namespace {

Error failure(QKeychain::Job *job)
{
    switch (job->error()) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::OtherError:
        return Error::unavailable(QStringLiteral("the system keychain is not available (%1)").arg(job->errorString()));
    case QKeychain::EntryNotFound:
        return Error::notFound(QStringLiteral("no password is stored in the keychain for this profile"));
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return Error::refused(QStringLiteral("the keychain refused access (%1)").arg(job->errorString()));
    default:
        return Error::io(QStringLiteral("the keychain failed: %1").arg(job->errorString()));
    }
}

} // namespace

KeychainPasswords::KeychainPasswords(QObject *parent)
    : QObject(parent)
{
}

QString KeychainPasswords::key(const QString &profile, const QString &user)
{
    return QStringLiteral("profile/%1/%2").arg(profile, user);
}

void KeychainPasswords::store(
    const QString &profile, const QString &user, const QString &password, std::function<void(Result<void>)> done)
{
    auto *job = new QKeychain::WritePasswordJob(service(), this);
    job->setInsecureFallback(false);
    job->setKey(key(profile, user));
    job->setTextData(password);
    connect(job, &QKeychain::Job::finished, this,
        [done](QKeychain::Job *j) { done(j->error() == QKeychain::NoError ? Result<void>() : failure(j)); });
    job->start();
}

void KeychainPasswords::read(const QString &profile, const QString &user, std::function<void(Result<QString>)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(service(), this);
    job->setInsecureFallback(false);
    job->setKey(key(profile, user));
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (j->error() == QKeychain::NoError)
            done(read->textData());
        else
            done(failure(j));
    });
    job->start();
}

void KeychainPasswords::remove(const QString &profile, const QString &user, std::function<void(Result<void>)> done)
{
    auto *job = new QKeychain::DeletePasswordJob(service(), this);
    job->setInsecureFallback(false);
    job->setKey(key(profile, user));
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        done(j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound ? Result<void>() : failure(j));
    });
    job->start();
}
