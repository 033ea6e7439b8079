#include "widgets/StateColors.h"

namespace StateColors {

QColor lbServer(HaproxyStats::ServerState state)
{
    using S = HaproxyStats::ServerState;
    switch (state) {
    case S::Up:
        return QColor(0x2e, 0x9d, 0x4f);
    case S::Down:
        return QColor(0xc0, 0x39, 0x2b);
    case S::Drain:
    case S::NoLb:
        return QColor(0xe6, 0xa2, 0x3c);
    case S::Maint:
        return QColor(0x7f, 0x8c, 0x8d);
    case S::Unknown:
        break;
    }
    return QColor(0xbd, 0xc3, 0xc7);
}

} // namespace StateColors
