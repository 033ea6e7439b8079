#include "session/DemoLauncher.h"

#include "common/Format.h"
#include "demo/LocalCluster.h"
#include "demo/ProcessControl.h"
#include "session/DemoController.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace {

DemoLauncher::Survivor lookAt(const QString &dir)
{
    DemoLauncher::Survivor s;
    s.dir = dir;
    s.processes = int(LocalCluster::runningProcesses(dir).size());
    if (s.processes == 0)
        return s;
    LocalCluster cluster;
    if (!cluster.attach(dir))
        return s;
    for (const LocalMember &m : cluster.manifest().members) {
        ++s.members;
        if (cluster.memberState(m.name) == ProcessControl::State::Running)
            ++s.runningMembers;
    }
    const LocalNetwork &network = cluster.manifest().network;
    s.proxiesGone = network.enabled() && !ProcessControl::isAlive(pid_t(network.pid));
    return s;
}

} // namespace

DemoLauncher::DemoLauncher(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<DemoLauncher::Survivor>();
}

QString DemoLauncher::describe(const Survivor &s)
{
    QString text = tr("A demo cluster started earlier still runs in %1: %2 of its %3 run, %4 in all. The console "
                      "that started it did not stop it.")
                       .arg(s.dir)
                       .arg(s.runningMembers)
                       .arg(Format::count(s.members, tr("member"), tr("members")),
                           Format::count(s.processes, tr("process"), tr("processes")));
    if (s.proxiesGone)
        text += QLatin1Char(' ')
            + tr("Its peer proxies went with that console, so its members cannot reach each other until it is "
                 "reattached.");
    if (s.runningMembers == 0)
        text += QLatin1Char(' ') + tr("No member runs: it can only be cleaned up.");
    return text + QLatin1Char(' ') + tr("Reattach to carry on with it, or clean it up (its data stays on disk).");
}

void DemoLauncher::look(const QString &dir, std::function<void()> ifNothing)
{
    // A few small files and /proc entries, but the GUI thread never waits on the disk.
    auto *watcher = new QFutureWatcher<Survivor>(this);
    connect(watcher, &QFutureWatcher<Survivor>::finished, this, [this, watcher, ifNothing] {
        watcher->deleteLater();
        const Survivor s = watcher->result();
        if (s.processes > 0)
            emit survivorFound(s);
        else
            ifNothing();
    });
    watcher->setFuture(QtConcurrent::run([dir] { return lookAt(dir); }));
}

void DemoLauncher::launch(const Options &options)
{
    if (isStarting())
        return;
    // Kept while a survivor is offered: a clean-up goes on with it, a reattach drops it.
    m_pending = options;
    look(options.dir, [this] {
        if (!m_pending)
            return;
        const Options o = *m_pending;
        m_pending.reset();
        start(o);
    });
}

void DemoLauncher::start(const Options &options)
{
    auto *demo = new LocalCluster(this);
    m_starting = demo;
    connect(demo, &LocalCluster::progress, this, &DemoLauncher::progress);
    LocalClusterOptions o;
    o.dir = options.dir;
    o.members = options.members;
    o.quotaBytes = options.quotaBytes;
    o.tls = options.tls;
    o.auth = options.auth;
    emit progress(tr("Starting %1…").arg(Format::count(options.members, tr("etcd member"), tr("etcd members"))));
    demo->up(o, [this, demo](const OperationResult &r) {
        if (m_starting != demo)
            return; // cancelled: cancelStart() reports
        m_starting.clear();
        if (!r.ok()) {
            demo->deleteLater();
            emit failed(r.sentence);
            return;
        }
        emit ready(
            new DemoController(demo), true, r.sentence, r.details.value(QStringLiteral("rootPassword")).toString());
    });
}

void DemoLauncher::cancelStart(OperationCallback done)
{
    LocalCluster *demo = m_starting.data();
    if (!demo)
        return done(OperationResult::done(QStringLiteral("nothing was starting")));
    m_starting.clear();
    demo->cancel();
    demo->down([demo, done](const OperationResult &r) {
        demo->deleteLater();
        done(r);
    });
}

void DemoLauncher::reattach(const QString &dir)
{
    m_pending.reset();
    auto *demo = new LocalCluster(this);
    emit progress(tr("Reattaching to the demo cluster in %1…").arg(dir));
    demo->reattach(dir, [this, demo](const OperationResult &r) {
        if (!r.ok()) {
            demo->deleteLater();
            emit failed(r.sentence);
            return;
        }
        // A window's demo is this window's now; one from `quorumdeck demo up` outlives it,
        // as it always does.
        const bool ownedByWindow = r.details.value(QStringLiteral("ownedByWindow")).toBool();
        emit ready(new DemoController(demo), ownedByWindow, r.sentence, QString());
    });
}

void DemoLauncher::cleanUp(const QString &dir)
{
    auto *demo = new LocalCluster(this);
    emit progress(tr("Stopping the demo cluster in %1…").arg(dir));
    demo->cleanUp(dir, [this, demo](const OperationResult &r) {
        demo->deleteLater();
        if (!r.ok()) {
            emit failed(r.sentence);
            return;
        }
        if (m_pending) {
            const Options o = *m_pending;
            m_pending.reset();
            start(o);
            return;
        }
        emit cleanedUp(r.sentence);
    });
}
