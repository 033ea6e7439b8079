#pragma once

#include "cluster/ClusterSnapshot.h"
#include "cluster/ConsistencyReport.h"

#include <QDateTime>
#include <QString>
#include <optional>

/// The whole state in one line of words for the status bar:
/// "3/3 healthy · leader etcd2 for 12 min · consistent · last backup 2 h ago".
/// Items whose facts are not known yet are left out.
namespace StatusSentence {

struct Facts {
    ClusterSnapshot snapshot;
    qint64 leaderSinceMs = 0; ///< when the current leader took over (0: not known)
    std::optional<ConsistencyReport> consistency;
    bool backupsKnown = false; ///< the backup directory has been read
    std::optional<QDateTime> lastBackup;
    qint64 nowMs = 0;
};

QString compose(const Facts &facts);
/// "40 s", "12 min", "3 h", "2 d".
QString age(qint64 ms);

} // namespace StatusSentence
