#include "journal/OperatorAction.h"

#include "cluster/OperationResult.h"

#include <QDateTime>
#include <pwd.h>
#include <unistd.h>

QString OperatorAction::currentUser()
{
    if (const passwd *pw = ::getpwuid(::geteuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return qEnvironmentVariable("USER", QStringLiteral("unknown"));
}

OperatorAction OperatorAction::of(const QString &action, const QString &target, const OperationResult &result)
{
    static const char *const results[] = {"done", "refused", "failed"};
    OperatorAction a;
    a.timeMs = QDateTime::currentMSecsSinceEpoch();
    a.user = currentUser();
    a.action = action;
    a.target = target;
    a.result = QString::fromLatin1(results[int(result.status)]);
    a.detail = result.sentence;
    return a;
}

QJsonObject OperatorAction::toJson() const
{
    return {{QStringLiteral("time"), QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("kind"), QStringLiteral("action")}, {QStringLiteral("user"), user},
        {QStringLiteral("action"), action}, {QStringLiteral("target"), target}, {QStringLiteral("result"), result},
        {QStringLiteral("detail"), detail}};
}
