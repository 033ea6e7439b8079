#include "common/BuildInfo.h"

#include <QStringList>
#include <grpcpp/grpcpp.h>

namespace BuildInfo {

QString version()
{
    return QStringLiteral(QUORUMDECK_VERSION);
}

QString revision()
{
    return QStringLiteral(QUORUMDECK_REVISION);
}

QString buildDate()
{
    return QStringLiteral(QUORUMDECK_BUILD_DATE);
}

QString qtVersion()
{
    return QString::fromLatin1(qVersion());
}

QString grpcVersion()
{
    return QString::fromStdString(grpc::Version());
}

QString etcdApi()
{
    return QStringLiteral("etcd v3 gRPC API (servers 3.4 and 3.5)");
}

QString licence()
{
    return QStringLiteral("MIT");
}

QString versionLine()
{
    QStringList details;
    if (!revision().isEmpty())
        details << revision();
    details << QStringLiteral("built %1").arg(buildDate());
    return QStringLiteral("quorumdeck %1 (%2)").arg(version(), details.join(QStringLiteral(", ")));
}

} // namespace BuildInfo
