#include "session/MemberInstances.h"

#include "cluster/ClusterSnapshot.h"
#include "scrape/ScrapeTarget.h"

#include <algorithm>

void MemberInstances::update(const ClusterSnapshot &snapshot)
{
    for (const MemberState &m : snapshot.members()) {
        if (!m.clientUrls.isEmpty() && !m.name.isEmpty())
            m_learned.insert(ScrapeTarget::at(m.clientUrls.front()).instance, {m.id, m.displayName()});
    }
}

void MemberInstances::setCorrections(const QHash<QString, QString> &instanceToName)
{
    m_corrections = instanceToName;
}

MemberInstances::Member MemberInstances::at(const QString &instance) const
{
    const auto corrected = m_corrections.constFind(instance);
    if (corrected != m_corrections.constEnd()) {
        for (const Member &m : m_learned) {
            if (m.name == *corrected)
                return m;
        }
        return {0, *corrected};
    }
    return m_learned.value(instance, Member {0, instance});
}

uint64_t MemberInstances::idOf(const QString &name) const
{
    for (const Member &m : m_learned) {
        if (!name.isEmpty() && m.name == name)
            return m.id;
    }
    return 0;
}

QStringList MemberInstances::instances() const
{
    QStringList out = m_learned.keys();
    for (auto it = m_corrections.begin(); it != m_corrections.end(); ++it) {
        if (!out.contains(it.key()))
            out << it.key();
    }
    std::sort(out.begin(), out.end());
    return out;
}
