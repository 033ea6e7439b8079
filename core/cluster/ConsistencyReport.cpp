#include "cluster/ConsistencyReport.h"

#include "cluster/ClusterSnapshot.h"
#include "common/MemberId.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QSet>
#include <optional>

namespace {

QString membersPhrase(int n)
{
    return n == 1 ? QStringLiteral("1 member") : QStringLiteral("%1 members").arg(n);
}

QString unanswered(const QList<MemberHash> &members)
{
    QStringList names;
    for (const MemberHash &m : members)
        if (m.outcome == MemberHash::Outcome::NoAnswer)
            names << m.name;
    if (names.isEmpty())
        return {};
    return QStringLiteral("; %1 %2 not answer")
        .arg(names.join(QStringLiteral(", ")), names.size() == 1 ? QStringLiteral("does") : QStringLiteral("do"));
}

} // namespace

int ConsistencyReport::exitCode() const
{
    switch (verdict) {
    case Verdict::Consistent:
        return 0;
    case Verdict::Divergent:
        return 2;
    case Verdict::Undecided:
        return 1;
    }
    return 1;
}

QStringList ConsistencyReport::divergentNames() const
{
    QStringList names;
    for (const MemberHash &m : members)
        if (m.divergent)
            names << m.name;
    return names;
}

QJsonObject ConsistencyReport::toJson() const
{
    QJsonArray rows;
    for (const MemberHash &m : members) {
        QJsonObject o {{QStringLiteral("id"), MemberId::toHex(m.id)}, {QStringLiteral("name"), m.name},
            {QStringLiteral("divergent"), m.divergent}};
        if (m.hashed()) {
            o.insert(QStringLiteral("hash"), qint64(m.hash));
            o.insert(QStringLiteral("compactRevision"), qint64(m.compactRevision));
            o.insert(QStringLiteral("hashRevision"), qint64(m.hashRevision));
        } else {
            o.insert(QStringLiteral("hash"), QJsonValue::Null);
            o.insert(QStringLiteral("compactRevision"),
                m.compactRevision > 0 ? QJsonValue(qint64(m.compactRevision)) : QJsonValue(QJsonValue::Null));
            o.insert(QStringLiteral("hashRevision"), QJsonValue::Null);
            o.insert(QStringLiteral("error"), m.error);
        }
        rows << o;
    }
    static const char *const verdicts[] = {"consistent", "divergent", "undecided"};
    return {{QStringLiteral("revision"), qint64(revision)}, {QStringLiteral("consistent"), consistent()},
        {QStringLiteral("verdict"), QString::fromLatin1(verdicts[int(verdict)])},
        {QStringLiteral("sentence"), sentence}, {QStringLiteral("members"), rows}};
}

ConsistencyReport ConsistencyReport::undecided(const QString &sentence, QList<MemberHash> members)
{
    ConsistencyReport r;
    r.members = std::move(members);
    r.sentence = sentence;
    r.checkedAtMs = QDateTime::currentMSecsSinceEpoch();
    return r;
}

ConsistencyReport ConsistencyReport::decide(int64_t revision, QList<MemberHash> members, int voters)
{
    ConsistencyReport r;
    r.revision = revision;
    r.checkedAtMs = QDateTime::currentMSecsSinceEpoch();
    QHash<uint32_t, int> votes;
    int hashed = 0;
    for (const MemberHash &m : members) {
        if (m.hashed()) {
            ++hashed;
            ++votes[m.hash];
        }
    }
    const int quorum = QuorumFigures::of(voters, hashed).quorum;
    if (hashed < quorum || (voters > 1 && hashed < 2)) {
        r.members = std::move(members);
        r.sentence = QStringLiteral("too few members answered to decide: %1 of %2 voters hashed at revision %3, "
                                    "%4 needed%5")
                         .arg(hashed)
                         .arg(voters)
                         .arg(revision)
                         .arg(qMax(quorum, voters > 1 ? 2 : 1))
                         .arg(unanswered(r.members));
        return r;
    }
    // HashKV hashes what lies above the member's own compact revision: a member that has not
    // applied a compaction yet hashes more, and differs without being wrong.
    QSet<int64_t> compactions;
    for (const MemberHash &m : members)
        if (m.hashed())
            compactions.insert(m.compactRevision);
    if (compactions.size() > 1) {
        r.members = std::move(members);
        r.sentence = QStringLiteral("no verdict at revision %1: a compaction was being applied (the members report "
                                    "different compact revisions); check again")
                         .arg(revision);
        return r;
    }
    if (votes.size() == 1) {
        r.verdict = Verdict::Consistent;
        r.members = std::move(members);
        r.sentence = QStringLiteral("consistent at revision %1: %2 agree (hash %3)%4")
                         .arg(revision)
                         .arg(membersPhrase(hashed))
                         .arg(votes.cbegin().key())
                         .arg(unanswered(r.members));
        return r;
    }

    // A strict majority of the hashed members is the data the cluster agreed on; with none,
    // no member can be called right.
    std::optional<uint32_t> majority;
    for (auto it = votes.cbegin(); it != votes.cend(); ++it)
        if (2 * it.value() > hashed)
            majority = it.key();
    QStringList named;
    for (MemberHash &m : members) {
        m.divergent = m.hashed() && (!majority || m.hash != *majority);
        if (m.divergent)
            named << QStringLiteral("%1 (hash %2)").arg(m.name).arg(m.hash);
    }
    r.verdict = Verdict::Divergent;
    r.members = std::move(members);
    if (majority)
        r.sentence = QStringLiteral("members diverge at revision %1: %2 %3 from the %4 that agree (hash %5)")
                         .arg(revision)
                         .arg(named.join(QStringLiteral(", ")),
                             named.size() == 1 ? QStringLiteral("differs") : QStringLiteral("differ"))
                         .arg(hashed - named.size())
                         .arg(*majority);
    else
        r.sentence = QStringLiteral("members diverge at revision %1 and no majority agrees: %2")
                         .arg(revision)
                         .arg(named.join(QStringLiteral(", ")));
    return r;
}
