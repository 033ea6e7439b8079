#include "etcd/EtcdTypes.h"

QString alarmTypeName(AlarmType type)
{
    switch (type) {
    case AlarmType::NoSpace:
        return QStringLiteral("NOSPACE");
    case AlarmType::Corrupt:
        return QStringLiteral("CORRUPT");
    case AlarmType::None:
        break;
    }
    return QStringLiteral("NONE");
}
