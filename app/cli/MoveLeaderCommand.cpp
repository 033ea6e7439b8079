#include "cli/MoveLeaderCommand.h"

#include "cluster/MemberOps.h"

void MoveLeaderCommand::start()
{
    if (m_options.positional.size() > 1) {
        fail(QStringLiteral("usage: quorumdeck move-leader [MEMBER]"));
        return;
    }
    const QString target = m_options.positional.value(0);
    withSnapshot([this, target](const ClusterSnapshot &s) {
        auto *ops = new MemberOps(client(), this);
        ops->moveLeader(s, target, [this, s, target](const OperationResult &r) {
            journal(s, QStringLiteral("move-leader"), target, r);
            finishWith(r);
        });
    });
}
