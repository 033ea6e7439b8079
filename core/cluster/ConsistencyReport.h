#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <cstdint>

/// One member's answer to a consistency check.
struct MemberHash {
    enum class Outcome { Hashed, Learner, NoAnswer };

    uint64_t id = 0;
    QString name;
    Outcome outcome = Outcome::NoAnswer;
    QString error; ///< why it was not hashed
    int64_t currentRevision = 0; ///< the member's revision when it answered
    int64_t compactRevision = 0;
    uint32_t hash = 0;
    int64_t hashRevision = 0; ///< the revision hashed up to, as the member reports it (or the one asked)
    bool divergent = false; ///< in the minority, or in no majority at all

    bool hashed() const { return outcome == Outcome::Hashed; }
};

/// Whether the members hold the same keyspace: each voter's HashKV at one revision, and the
/// verdict. Members hashed at one revision must agree; those that do not are named.
struct ConsistencyReport {
    enum class Verdict { Consistent, Divergent, Undecided };

    Verdict verdict = Verdict::Undecided;
    int64_t revision = 0; ///< the revision every member was hashed at; 0 when none was
    QList<MemberHash> members;
    QString sentence; ///< the verdict for a person
    qint64 checkedAtMs = 0; ///< when the answers were in (ms since the epoch)
    uint64_t clusterId = 0;

    bool consistent() const { return verdict == Verdict::Consistent; }
    /// 0 consistent, 2 divergent, 1 too few answers to decide.
    int exitCode() const;
    QStringList divergentNames() const;
    /// {"revision", "consistent", "verdict", "sentence", "members": [{"id", "name", "hash",
    /// "compactRevision", "hashRevision", "divergent", "error"}]}; hash and the revisions are
    /// null for a member that was not hashed.
    QJsonObject toJson() const;

    /// The verdict from the members' answers: a decision needs a quorum of the voters (and two
    /// of them when there are more than one); the minority is what differs from a strict
    /// majority's hash, and with no strict majority every hashed member is named.
    static ConsistencyReport decide(int64_t revision, QList<MemberHash> members, int voters);
    /// No revision could be hashed; sentence says why.
    static ConsistencyReport undecided(const QString &sentence, QList<MemberHash> members);
};

Q_DECLARE_METATYPE(ConsistencyReport)
