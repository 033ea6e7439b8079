#include "demo/DemoNetwork.h"

#include "demo/DetachedProcess.h"
#include "demo/PeerProxyHost.h"
#include "demo/ProcessControl.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <QTimer>
#include <unistd.h>

namespace {

constexpr int kRequestMs = 2000;
constexpr int kStartMs = 5000;
constexpr int kPollMs = 10;

} // namespace

DemoNetwork::DemoNetwork(ClusterManifest &manifest)
    : m_manifest(manifest)
{
}

DemoNetwork::~DemoNetwork()
{
    stopThread();
    if (m_thread)
        m_thread->wait(); // an event loop with nothing left to do: it ends at once
}

QString DemoNetwork::socketPath(const QString &dir)
{
    const QString inDir = QDir(dir).filePath(QStringLiteral("network.sock"));
    if (inDir.toLocal8Bit().size() < 100)
        return inDir;
    const QByteArray hash = QCryptographicHash::hash(dir.toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    return QDir(QDir::tempPath())
        .filePath(QStringLiteral("quorumdeck-%1-%2.sock").arg(getuid()).arg(QString::fromLatin1(hash)));
}

void DemoNetwork::start(DemoNetworkHost host, const QString &helperProgram, std::function<bool()> cancelled,
    std::function<void(Result<void>)> done)
{
    stopThread();
    if (host == DemoNetworkHost::Thread) {
        m_manifest.network.host = QStringLiteral("window");
        m_manifest.network.pid = QCoreApplication::applicationPid();
        if (const Result<void> saved = m_manifest.save(); !saved)
            return done(saved);
        // Peer traffic must flow while this thread is busy (a dialog, a long paint): the
        // proxies get a thread of their own.
        m_thread = new QThread(this);
        m_thread->setObjectName(QStringLiteral("peer proxies"));
        auto *proxies = new PeerProxyHost;
        proxies->moveToThread(m_thread);
        connect(m_thread, &QThread::finished, proxies, &QObject::deleteLater);
        connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
        connect(m_thread, &QObject::destroyed, this, [this, thread = m_thread] {
            if (m_thread == thread)
                m_thread = nullptr;
        });
        m_host = proxies;
        m_thread->start();
        const ClusterManifest manifest = m_manifest;
        connect(
            proxies, &PeerProxyHost::started, this, [done](const Result<void> &started) { done(started); },
            Qt::SingleShotConnection);
        QMetaObject::invokeMethod(proxies, [proxies, manifest] { emit proxies->started(proxies->start(manifest)); });
        return;
    }
    // A helper process owns them, so that they outlive this command.
    if (const Result<void> started = startHelper(helperProgram, cancelled); !started)
        return done(started);
    waitUntilAnswering(QDateTime::currentMSecsSinceEpoch() + kStartMs, done);
}

Result<void> DemoNetwork::startHelper(const QString &program, const std::function<bool()> &cancelled)
{
    if (cancelled())
        return Error::refused(QStringLiteral("cancelled before the peer proxies started"));
    m_manifest.network.host = QStringLiteral("helper");
    m_manifest.network.logFile = QDir(m_manifest.dir).filePath(QStringLiteral("network.log"));
    if (const Result<void> saved = m_manifest.save(); !saved)
        return saved;
    DetachedProcess process;
    process.program = program;
    process.arguments = {QStringLiteral("demo"), QStringLiteral("net"), QStringLiteral("serve"),
        QStringLiteral("--dir"), m_manifest.dir};
    process.workingDirectory = m_manifest.dir;
    process.outputFile = m_manifest.network.logFile;
    process.truncate = true;
    if (program.isEmpty())
        return Error::unavailable(QStringLiteral("cannot start the peer proxies: no program to serve them"));
    const Result<qint64> started = process.start();
    if (!started)
        return Error::unavailable(QStringLiteral("the peer proxies (%1 demo net serve) did not start: %2")
                                      .arg(program, started.error().sentence()));
    const qint64 pid = started.value();
    m_manifest.network.pid = pid;
    if (const Result<void> saved = m_manifest.save(); !saved)
        return saved;
    QFile pidFile(QDir(m_manifest.dir).filePath(QStringLiteral("network.pid")));
    if (pidFile.open(QIODevice::WriteOnly | QIODevice::Truncate))
        pidFile.write(QByteArray::number(pid) + '\n');
    return {};
}

void DemoNetwork::waitUntilAnswering(qint64 giveUpAt, std::function<void(Result<void>)> done)
{
    request({{QStringLiteral("op"), QStringLiteral("status")}}, [=, this](const Result<QJsonObject> &status) {
        if (status)
            return done(Result<void>());
        const QString error = status.error().describe();
        const bool alive = ProcessControl::isAlive(pid_t(m_manifest.network.pid));
        if (alive && QDateTime::currentMSecsSinceEpoch() < giveUpAt) {
            QTimer::singleShot(kPollMs, this, [=, this] { waitUntilAnswering(giveUpAt, done); });
            return;
        }
        QFile log(m_manifest.network.logFile);
        const QString said = log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()).trimmed() : QString();
        done(Error::unavailable(
            QStringLiteral("the peer proxies did not start: %1").arg(said.isEmpty() ? error : said)));
    });
}

void DemoNetwork::adopt(std::function<void(Result<void>)> done)
{
    if (!m_manifest.network.enabled())
        return done(Result<void>());
    request({{QStringLiteral("op"), QStringLiteral("status")}}, [=, this](const Result<QJsonObject> &status) {
        if (status)
            return done(Result<void>()); // their host still serves them
        start(
            DemoNetworkHost::Thread, {}, [] { return false; }, done);
    });
}

void DemoNetwork::request(const QJsonObject &request, NetworkControl::Reply done)
{
    if (!m_manifest.network.enabled()) {
        done(Error::refused(QStringLiteral("the demo cluster in %1 was started without peer proxies; start it again "
                                           "with quorumdeck demo up to use network faults")
                                .arg(m_manifest.dir)));
        return;
    }
    NetworkControl::request(m_manifest.network.socketPath, request, kRequestMs, this, std::move(done));
}

void DemoNetwork::setFault(const QString &member, const NetworkFault &fault, OperationCallback done)
{
    const QJsonObject request {{QStringLiteral("op"), QStringLiteral("set")}, {QStringLiteral("member"), member},
        {QStringLiteral("fault"), fault.toJson()}};
    this->request(request, [=](const Result<QJsonObject> &answer) {
        if (!answer)
            return done(OperationResult::refused(answer.error().describe()));
        const QString sentence = fault.any() ? QStringLiteral("%1's peer links: %2").arg(member, fault.describe())
                                             : QStringLiteral("%1's peer links are healed").arg(member);
        done(OperationResult::done(sentence, answer.value()));
    });
}

void DemoNetwork::clearFaults(OperationCallback done)
{
    request({{QStringLiteral("op"), QStringLiteral("clear")}}, [=](const Result<QJsonObject> &answer) {
        if (!answer)
            return done(OperationResult::failed(answer.error().describe()));
        done(OperationResult::done(QStringLiteral("every member's peer links are healed"), answer.value()));
    });
}

void DemoNetwork::handOver(const QString &helperProgram, bool membersRun)
{
    if (!m_host)
        return;
    stopThread();
    if (m_thread)
        m_thread->wait(); // an event loop with nothing left to do: it ends at once
    const QString program = helperProgram.isEmpty() ? QCoreApplication::applicationFilePath() : helperProgram;
    if (QFileInfo(program).fileName() != QLatin1String("quorumdeck"))
        return; // only the quorumdeck binary can run `demo net serve`
    if (!membersRun)
        return;
    // Nothing to report to: the object is going. The helper logs to network.log.
    static_cast<void>(startHelper(program, [] { return false; }));
}

void DemoNetwork::stopThread()
{
    if (!m_thread)
        return;
    // The host belongs to the thread; it is deleted there when the thread's loop ends.
    m_host = nullptr;
    m_thread->quit();
}
