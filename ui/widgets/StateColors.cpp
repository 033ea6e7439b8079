#include "widgets/StateColors.h"

namespace StateColors {

QColor good()
{
    return QColor(0x2e, 0x9d, 0x4f);
}

QColor bad()
{
    return QColor(0xc0, 0x39, 0x2b);
}

QColor warning()
{
    return QColor(0xe6, 0xa2, 0x3c);
}

QColor idle()
{
    return QColor(0x7f, 0x8c, 0x8d);
}

QColor lbServer(HaproxyStats::ServerState state)
{
    using S = HaproxyStats::ServerState;
    switch (state) {
    case S::Up:
        return good();
    case S::Down:
        return bad();
    case S::Drain:
    case S::NoLb:
        return warning();
    case S::Maint:
        return idle();
    case S::Unknown:
        break;
    }
    return QColor(0xbd, 0xc3, 0xc7);
}

} // namespace StateColors
