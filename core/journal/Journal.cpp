#include "journal/Journal.h"

#include "common/MemberId.h"
#include "journal/JournalStore.h"

#include <QDir>
#include <QStandardPaths>

Journal::Journal(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path.isEmpty() ? defaultPath() : path)
    , m_store(new JournalStore(m_path))
{
    qRegisterMetaType<QList<ClusterEvent>>();
    qRegisterMetaType<OperatorAction>();
    qRegisterMetaType<QList<OperatorAction>>();
    m_thread.setObjectName(QStringLiteral("journal"));
    m_store->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_store, &QObject::deleteLater);
    connect(m_store, &JournalStore::loaded, this,
        [this](const QString &cluster, const QList<ClusterEvent> &events, const QList<OperatorAction> &actions) {
            emit historyLoaded(MemberId::fromHex(cluster).value_or(0), events, actions);
        });
    connect(m_store, &JournalStore::problemChanged, this, [this](const QString &sentence) {
        m_problem = sentence;
        emit problemChanged(sentence);
    });
    connect(m_store, &JournalStore::exported, this, &Journal::exported);
    m_thread.start();
}

Journal::~Journal()
{
    // Let the store write everything queued before its thread ends (posted calls run in
    // order, so an empty blocking call returns once all earlier ones are done). This is the
    // one wait on the journal's disk work, and it happens only as the console closes.
    QMetaObject::invokeMethod(
        m_store, [] {}, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

QString Journal::defaultPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/quorumdeck");
    return QDir(dir).filePath(QStringLiteral("journal.sqlite"));
}

void Journal::recordEvents(uint64_t clusterId, const QList<ClusterEvent> &events)
{
    QMetaObject::invokeMethod(m_store, "appendEvents", Qt::QueuedConnection, Q_ARG(QString, MemberId::toHex(clusterId)),
        Q_ARG(QList<ClusterEvent>, events));
}

void Journal::recordAction(uint64_t clusterId, const OperatorAction &action)
{
    QMetaObject::invokeMethod(m_store, "appendAction", Qt::QueuedConnection, Q_ARG(QString, MemberId::toHex(clusterId)),
        Q_ARG(OperatorAction, action));
}

void Journal::loadHistory(uint64_t clusterId)
{
    QMetaObject::invokeMethod(m_store, "load", Qt::QueuedConnection, Q_ARG(QString, MemberId::toHex(clusterId)));
}

void Journal::exportHistory(uint64_t clusterId, const QString &path, const QString &format)
{
    QMetaObject::invokeMethod(m_store, "exportTo", Qt::QueuedConnection, Q_ARG(QString, MemberId::toHex(clusterId)),
        Q_ARG(QString, path), Q_ARG(QString, format));
}
