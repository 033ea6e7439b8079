#include "widgets/MemberColors.h"

namespace MemberColors {

QColor of(uint64_t memberId)
{
    // Hues spread by a multiplicative hash; saturation and value kept readable on light
    // and dark palettes.
    const int hue = int((memberId * 0x9E3779B97F4A7C15ULL) >> 55) % 360;
    return QColor::fromHsv(hue, 150, 210);
}

QColor healthy()
{
    return QColor(0x3f, 0xa3, 0x5b);
}

QColor warning()
{
    return QColor(0xe0, 0x9b, 0x1a);
}

QColor unreachable()
{
    return QColor(0x9a, 0x9a, 0x9a);
}

} // namespace MemberColors
