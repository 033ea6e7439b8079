#include "cluster/OperationResult.h"

OperationResult OperationResult::done(const QString &sentence, const QJsonObject &details)
{
    return {Status::Done, sentence, details};
}

OperationResult OperationResult::refused(const QString &sentence, const QJsonObject &details)
{
    return {Status::Refused, sentence, details};
}

OperationResult OperationResult::failed(const QString &sentence, const QJsonObject &details)
{
    return {Status::Failed, sentence, details};
}

QJsonObject OperationResult::toJson() const
{
    static const char *const names[] = {"done", "refused", "failed"};
    QJsonObject o = details;
    o.insert(QStringLiteral("result"), QLatin1String(names[int(status)]));
    o.insert(QStringLiteral("message"), sentence);
    return o;
}
