#include "session/StorageSession.h"

#include "cluster/Preflight.h"
#include "common/MemberId.h"
#include "etcd/EtcdClient.h"
#include "kube/KubeClient.h"
#include "kube/KubeConfig.h"
#include "storage/DatabaseFiller.h"
#include "storage/StorageReader.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

StorageSession::StorageSession(EtcdClient *client, const TlsSettings &tls, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_reader(new StorageReader(tls, this))
    , m_runbook(new ReclaimRunbook(client, this))
    , m_kubeconfigPaths(KubeConfig::defaultPaths())
{
    m_reader->setTimeoutMs(client->settings().deadlines.readMs);
    m_timer.setInterval(kRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &StorageSession::refresh);
    connect(m_runbook, &ReclaimRunbook::stepChanged, this, &StorageSession::reclaimStepChanged);
    connect(m_runbook, &ReclaimRunbook::leaderTransferRequested, this, &StorageSession::leaderTransferRequested);
    connect(m_runbook, &ReclaimRunbook::finished, this, [this](const OperationResult &r) {
        finishOperation(m_reclaimAction, m_reclaimTarget, r);
        refresh();
    });
}

StorageSession::~StorageSession() = default;

void StorageSession::setLocalDataDirs(const QHash<QString, QString> &dirs)
{
    m_reader->setLocalDataDirs(dirs);
}

void StorageSession::setSnapshot(const ClusterSnapshot &snapshot)
{
    m_snapshot = snapshot;
    // The first snapshot in which a member answers starts the reads (a cluster may be down
    // when the console connects).
    if (!m_timer.isActive() && !m_stopped && snapshot.anyAnswered()) {
        refresh();
        m_timer.start();
    }
}

void StorageSession::stop()
{
    m_stopped = true;
    m_timer.stop();
    // Whatever is under way ends here, as far as the journal is concerned: the session's
    // client goes with it and would drop the answers.
    if (m_runbook->isRunning()) {
        disconnect(m_runbook, &ReclaimRunbook::finished, this, nullptr);
        m_runbook->cancel();
        finishOperation(m_reclaimAction, m_reclaimTarget,
            OperationResult::failed(QStringLiteral("abandoned: the console left the cluster during the runbook")));
    }
    if (isFilling()) {
        disconnect(m_filler, &DatabaseFiller::finished, this, nullptr);
        m_filler->cancel();
        finishOperation(QStringLiteral("demo-fill"), {},
            OperationResult::failed(QStringLiteral("abandoned: the console left the cluster while filling")));
    }
}

void StorageSession::refresh()
{
    if (!m_snapshot.isValid())
        return;
    if (m_reading) {
        m_readAgain = true;
        return;
    }
    m_reading = true;
    m_reader->read(m_snapshot, [this](const QList<MemberStorage> &storage) {
        m_reading = false;
        m_storage = storage;
        emit storageReady(storage);
        if (m_readAgain) {
            m_readAgain = false;
            refresh();
        }
    });
}

void StorageSession::finishOperation(const QString &action, const QString &target, const OperationResult &result)
{
    emit operationFinished(action, target, result);
}

void StorageSession::reclaim(const ReclaimOptions &options)
{
    const QString action = options.member.isEmpty() ? QStringLiteral("reclaim") : QStringLiteral("defragment");
    emit operationStarted();
    if (m_runbook->isRunning()) {
        finishOperation(
            action, options.member, OperationResult::refused(QStringLiteral("a reclaim runbook is already running")));
        return;
    }
    m_reclaimAction = action;
    m_reclaimTarget = options.member;
    m_runbook->start(m_snapshot, options);
}

void StorageSession::cancelReclaim()
{
    m_runbook->cancel();
}

bool StorageSession::isReclaiming() const
{
    return m_runbook->isRunning();
}

const QList<ReclaimStep> &StorageSession::reclaimSteps() const
{
    return m_runbook->steps();
}

void StorageSession::disarm(uint64_t memberId, AlarmType type)
{
    const MemberState *m = m_snapshot.member(memberId);
    const QString target = m ? m->displayName() : MemberId::toHex(memberId);
    emit operationStarted();
    const QString endpoint = Preflight::writeEndpoint(m_snapshot);
    if (endpoint.isEmpty()) {
        finishOperation(QStringLiteral("alarm-disarm"), target,
            OperationResult::refused(QStringLiteral("no voting member answers, so the alarm cannot be disarmed")));
        return;
    }
    const AlarmInfo alarm {memberId, type};
    m_client->alarmDisarm(endpoint, alarm, this, [this, target, type](const EtcdResult<QList<AlarmInfo>> &r) {
        finishOperation(QStringLiteral("alarm-disarm"), target,
            r.ok() ? OperationResult::done(QStringLiteral("disarmed %1 on %2").arg(alarmTypeName(type), target))
                   : OperationResult::failed(QStringLiteral("disarming %1 on %2 failed: %3")
                                                 .arg(alarmTypeName(type), target, r.error.sentence)));
        refresh();
    });
}

void StorageSession::fillDatabase()
{
    emit operationStarted();
    const QString endpoint = Preflight::writeEndpoint(m_snapshot);
    if (isFilling() || endpoint.isEmpty()) {
        finishOperation(QStringLiteral("demo-fill"), {},
            OperationResult::refused(isFilling()
                    ? QStringLiteral("the database is being filled already")
                    : QStringLiteral("no voting member answers, so nothing can be written")));
        return;
    }
    if (!m_filler) {
        m_filler = new DatabaseFiller(m_client, this);
        connect(m_filler, &DatabaseFiller::progress, this, [this](qint64 written, int) { emit fillProgress(written); });
        connect(m_filler, &DatabaseFiller::finished, this, [this](const OperationResult &r) {
            finishOperation(QStringLiteral("demo-fill"), {}, r);
            refresh();
        });
    }
    m_filler->start(endpoint);
}

void StorageSession::cancelFill()
{
    if (m_filler)
        m_filler->cancel();
}

bool StorageSession::isFilling() const
{
    return m_filler && m_filler->isRunning();
}

void StorageSession::refreshKube()
{
    if (m_kubeReading)
        return;
    m_kubeReading = true;
    auto *watcher = new QFutureWatcher<Result<KubeCredentials>>(this);
    connect(watcher, &QFutureWatcher<Result<KubeCredentials>>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Result<KubeCredentials> loaded = watcher->result();
        if (!loaded) {
            m_kubeReading = false;
            emit kubeUnavailable(loaded.error().describe());
            return;
        }
        delete m_kube;
        m_kube = new KubeClient(loaded.value(), this);
        m_kube->listVolumes([this](const KubeVolumes &v) {
            m_kubeReading = false;
            emit kubeVolumesReady(v);
        });
    });
    // The kubeconfig and the files it names are read off the GUI thread.
    watcher->setFuture(QtConcurrent::run([paths = m_kubeconfigPaths] { return KubeConfig::credentialsFrom(paths); }));
}
