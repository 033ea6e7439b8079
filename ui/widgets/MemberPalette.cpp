#include "widgets/MemberPalette.h"

#include <algorithm>
#include <cmath>

QList<QColor> MemberPalette::colours()
{
    // Cyan, plum and yellow first, the most distinct three for the common three-member
    // cluster; then periwinkle and brown for five; deep blue and aquamarine for seven.
    // Chosen by a search over sRGB for the largest smallest pairwise CIEDE2000 under
    // normal vision and the Machado (2009) deuteranopia simulation, among colours that are
    // neither red, green, amber nor grey and stay apart from the state colours
    // (tst_memberpalette checks the result).
    return {QColor(0x00, 0xd2, 0xff), QColor(0xa5, 0x2d, 0x78), QColor(0xe1, 0xd2, 0x0f), QColor(0x5a, 0x78, 0xf0),
        QColor(0x69, 0x4b, 0x1e), QColor(0x00, 0x1e, 0xe1), QColor(0x5a, 0xf0, 0xd2)};
}

QColor MemberPalette::colour(int slot)
{
    static const QList<QColor> palette = colours();
    const int n = int(palette.size());
    const int index = ((slot % n) + n) % n;
    const int round = slot / n;
    if (round == 0)
        return palette[index];
    // An eighth member and beyond: the same hues, alternately lighter and darker.
    return round % 2 == 1 ? palette[index].lighter(100 + 25 * ((round + 1) / 2))
                          : palette[index].darker(100 + 25 * (round / 2));
}

QColor MemberPalette::textOn(const QColor &background)
{
    auto linear = [](double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    const double luminance = 0.2126 * linear(background.redF()) + 0.7152 * linear(background.greenF())
        + 0.0722 * linear(background.blueF());
    // Contrast with black (L + 0.05) / 0.05 against white 1.05 / (L + 0.05): equal at L ≈ 0.18.
    return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? QColor(Qt::black) : QColor(Qt::white);
}

MemberPalette &MemberPalette::shared()
{
    static MemberPalette palette;
    return palette;
}

void MemberPalette::assign(const QList<Member> &members)
{
    for (const Member &m : members) {
        slotOf(m.id);
        if (!m.name.isEmpty())
            m_names.insert(m.name, m.id);
    }
}

QColor MemberPalette::ofName(const QString &name) const
{
    const auto id = m_names.constFind(name);
    if (id == m_names.constEnd())
        return {};
    const auto slot = m_slots.constFind(id.value());
    return slot == m_slots.constEnd() ? QColor() : colour(slot.value());
}

void MemberPalette::clear()
{
    m_slots.clear();
    m_names.clear();
}

int MemberPalette::slotOf(uint64_t id)
{
    const auto it = m_slots.constFind(id);
    if (it != m_slots.constEnd())
        return it.value();
    int slot = 0;
    QList<int> taken = m_slots.values();
    std::sort(taken.begin(), taken.end());
    for (int t : taken) {
        if (t != slot)
            break;
        ++slot;
    }
    m_slots.insert(id, slot);
    return slot;
}
