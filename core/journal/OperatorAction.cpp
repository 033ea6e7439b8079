#include "journal/OperatorAction.h"

#include <QDateTime>
#include <pwd.h>
#include <unistd.h>

QString OperatorAction::currentUser()
{
    if (const passwd *pw = ::getpwuid(::geteuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return qEnvironmentVariable("USER", QStringLiteral("unknown"));
}

QJsonObject OperatorAction::toJson() const
{
    return {{QStringLiteral("time"), QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("kind"), QStringLiteral("action")}, {QStringLiteral("user"), user},
        {QStringLiteral("action"), action}, {QStringLiteral("target"), target}, {QStringLiteral("result"), result},
        {QStringLiteral("detail"), detail}};
}
