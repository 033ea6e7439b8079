#pragma once

#include <QColor>
#include <QHash>
#include <QList>
#include <QString>
#include <cstdint>

/// The colours that tell members apart, the same in every panel (overview, charts, timeline,
/// logs). Slots are given in order, first come first served, so two members never share a
/// colour while there are at most seven. The seven are chosen to stay apart by CIEDE2000 ≥ 20
/// for normal vision and under deuteranopia, and none is red, green, amber or grey: those
/// mean state (StateColors).
class MemberPalette {
public:
    /// The seven colours, in the order they are given out.
    static QList<QColor> colours();
    /// The colour of slot `slot`; past the seventh the colours repeat, lighter or darker.
    static QColor colour(int slot);

    /// Black or white, whichever reads better on `background` (by WCAG contrast).
    static QColor textOn(const QColor &background);

    /// The assignment the whole window shares.
    static MemberPalette &shared();

    struct Member {
        uint64_t id = 0;
        QString name;
    };
    /// Gives each member without a slot the first free one, in the order given. A member
    /// keeps its slot until clear().
    void assign(const QList<Member> &members);
    /// The slot of `id`, given now if it has none.
    int slotOf(uint64_t id);
    QColor of(uint64_t id) { return colour(slotOf(id)); }
    /// The colour of the member of that name (as logs name them); invalid when none has it.
    QColor ofName(const QString &name) const;
    /// Forgets every assignment (a new connection).
    void clear();

private:
    QHash<uint64_t, int> m_slots;
    QHash<QString, uint64_t> m_names;
};
