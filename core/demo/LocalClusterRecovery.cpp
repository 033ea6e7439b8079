// LocalCluster's recovery after a crash: the console that started a demo went without
// stopping it, and a new console either carries on with what still runs (reattach) or
// stops it (cleanUp). Both are named steps, as up() and down() are.

#include "demo/LocalCluster.h"

#include "common/Format.h"
#include "common/StepChain.h"

#include <QJsonObject>

/// What reattach() has found so far.
struct LocalCluster::ReattachState {
    int members = 0;
    int running = 0;
};

void LocalCluster::reattach(const QString &dir, OperationCallback done)
{
    using Chain = StepChain<ReattachState>;
    using Next = Chain::Next;
    Chain chain;

    chain.add(QStringLiteral("read the manifest"), [this, dir](ReattachState &, Next next) { next(attach(dir)); });

    chain.add(QStringLiteral("find the members that still run"), [this, dir](ReattachState &s, Next next) {
        for (const LocalMember &m : std::as_const(m_manifest.members)) {
            ++s.members;
            if (memberState(m.name) != ProcessControl::State::Gone)
                ++s.running;
        }
        if (s.running == 0) {
            return next(Error::unavailable(
                QStringLiteral("no member of the demo cluster in %1 runs, so there is nothing to reattach to; "
                               "clean it up instead (its data stays on disk)")
                    .arg(dir)));
        }
        next({});
    });

    // The peer proxies lived on a thread of the console that crashed; the members cannot
    // reach each other until someone hosts them again on the same ports.
    chain.add(QStringLiteral("host the peer proxies again"),
        [this](ReattachState &, Next next) { adoptNetwork(std::move(next)); });

    chain.run(std::make_shared<ReattachState>(), {}, [this, dir, done](Result<void> result, ReattachState &s) {
        if (!result) {
            done(OperationResult::failed(result.error().describe()));
            return;
        }
        emit changed();
        const QJsonObject details {{QStringLiteral("members"), s.members}, {QStringLiteral("running"), s.running},
            {QStringLiteral("ownedByWindow"), m_manifest.network.host == QLatin1String("window")}};
        done(OperationResult::done(
            QStringLiteral("reattached to the demo cluster in %1 (%2 of %3 run)")
                .arg(dir)
                .arg(s.running)
                .arg(Format::count(s.members, QStringLiteral("member"), QStringLiteral("members"))),
            details));
    });
}

void LocalCluster::cleanUp(const QString &dir, OperationCallback done)
{
    // Without a readable manifest the pid files and command lines still name what runs in
    // dir, so down() is pointed at the directory either way.
    if (!attach(dir))
        m_manifest.dir = dir;
    down(std::move(done));
}
