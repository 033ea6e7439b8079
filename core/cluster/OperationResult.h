#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <functional>

/// What every member operation ends with: success or not, one sentence for a person (the
/// CLI prints it, the window shows it), and details for scripts.
struct OperationResult {
    enum class Status { Done, Refused, Failed };

    Status status = Status::Done;
    QString sentence;
    QJsonObject details;

    bool ok() const { return status == Status::Done; }
    static OperationResult done(const QString &sentence, const QJsonObject &details = {});
    static OperationResult refused(const QString &sentence, const QJsonObject &details = {});
    static OperationResult failed(const QString &sentence, const QJsonObject &details = {});
    QJsonObject toJson() const;
};

using OperationCallback = std::function<void(const OperationResult &)>;

Q_DECLARE_METATYPE(OperationResult)
