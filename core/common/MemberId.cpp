#include "common/MemberId.h"

namespace MemberId {

QString toHex(uint64_t id)
{
    return QStringLiteral("%1").arg(id, 16, 16, QLatin1Char('0'));
}

std::optional<uint64_t> fromHex(QStringView text)
{
    if (text.startsWith(u"0x", Qt::CaseInsensitive))
        text = text.mid(2);
    if (text.isEmpty() || text.size() > 16)
        return std::nullopt;
    bool ok = false;
    const uint64_t value = text.toULongLong(&ok, 16);
    if (!ok)
        return std::nullopt;
    return value;
}

} // namespace MemberId
