#include "demo/DemoAuth.h"

#include "common/StepChain.h"
#include "etcd/EtcdClient.h"

#include <QRandomGenerator>

namespace DemoAuth {

QString newPassword()
{
    QByteArray bytes(18, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    bytes[16] = char(QRandomGenerator::system()->bounded(256));
    bytes[17] = char(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding));
}

namespace {

struct AuthState {
    EtcdClient *client = nullptr;
    QObject *context = nullptr;
    QString endpoint;
    QString password;
};
using Chain = StepChain<AuthState>;

/// A step that makes one call and fails with the sentence an operator reads.
Chain::Step call(const QString &what,
    std::function<void(AuthState &, std::function<void(const EtcdResult<ResponseHeaderInfo> &)>)> request)
{
    return [what, request](AuthState &s, Chain::Next next) {
        request(s, [what, next](const EtcdResult<ResponseHeaderInfo> &r) {
            if (r.ok())
                next({});
            else
                next(Error::refused(
                    QStringLiteral("turning on authentication failed (%1): %2").arg(what, r.error.sentence)));
        });
    };
}

} // namespace

void enable(const ConnectionSettings &settings, const QString &endpoint, const QString &password, QObject *context,
    std::function<void(Result<void>)> done)
{
    auto state = std::make_shared<AuthState>();
    state->client = new EtcdClient(settings, context);
    state->context = context;
    state->endpoint = endpoint;
    state->password = password;
    Chain chain;
    chain.add(QStringLiteral("add root"), call(QStringLiteral("adding root"), [](AuthState &s, auto answer) {
        s.client->userAdd(s.endpoint, QStringLiteral("root"), s.password, s.context, answer);
    }));
    chain.add(QStringLiteral("grant root its role"),
        call(QStringLiteral("granting root its role"), [](AuthState &s, auto answer) {
            s.client->userGrantRole(s.endpoint, QStringLiteral("root"), QStringLiteral("root"), s.context, answer);
        }));
    chain.add(QStringLiteral("enable authentication"), call(QStringLiteral("enabling"), [](AuthState &s, auto answer) {
        s.client->authEnable(s.endpoint, s.context, answer);
    }));
    chain.run(state, {}, [done](Result<void> result, AuthState &s) {
        s.client->deleteLater();
        done(result);
    });
}

} // namespace DemoAuth
