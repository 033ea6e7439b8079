#include "storage/StorageReader.h"

#include "scrape/MetricsFetcher.h"
#include "scrape/PromText.h"
#include "tls/HttpTls.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

struct StorageReader::Pending {
    QList<MemberStorage> members;
    QStringList metricsUrls; ///< per member; empty when it has no client URL
    Callback done;
    int outstanding = 0;
};

namespace {

struct DiskWork {
    QList<LocalVolume> volumes; ///< per member, in order
    std::optional<QSslConfiguration> ssl; ///< built here when not yet known
    QString tlsError;
};

} // namespace

StorageReader::StorageReader(const TlsSettings &tls, QObject *parent)
    : QObject(parent)
    , m_tls(tls)
    , m_fetcher(new MetricsFetcher(this))
{
}

StorageReader::~StorageReader() = default;

std::optional<double> StorageReader::quotaFromMetrics(const QByteArray &payload)
{
    PromText::ParseResult parsed;
    PromText::parse(std::string_view(payload.constData(), size_t(payload.size())), parsed);
    for (const PromText::Sample &s : parsed.samples) {
        if (s.name == "etcd_server_quota_backend_bytes")
            return s.value;
    }
    return std::nullopt;
}

void StorageReader::read(const ClusterSnapshot &snapshot, Callback done)
{
    auto pending = std::make_shared<Pending>();
    pending->done = std::move(done);
    QStringList dataDirs;
    for (const MemberState &m : snapshot.members()) {
        MemberStorage s;
        s.id = m.id;
        s.name = m.displayName();
        s.isLeader = m.id == snapshot.leaderId();
        s.reachable = m.reachable;
        if (!m.reachable)
            s.error = m.errors.value(0);
        s.dbSize = m.dbSize;
        s.dbSizeInUse = m.dbSizeInUse;
        s.alarms = m.alarms;
        pending->members << s;
        const QString client = m.clientUrls.value(0);
        pending->metricsUrls << (client.isEmpty() ? QString() : client + QStringLiteral("/metrics"));
        dataDirs << m_dataDirs.value(m.name);
    }

    const bool needSsl = !m_sslConfig.has_value();
    const TlsSettings tls = m_tls;
    auto *watcher = new QFutureWatcher<DiskWork>(this);
    connect(watcher, &QFutureWatcher<DiskWork>::finished, this, [this, watcher, pending] {
        watcher->deleteLater();
        DiskWork work = watcher->result();
        for (qsizetype i = 0; i < pending->members.size(); ++i)
            pending->members[i].volume = work.volumes.value(i);
        if (work.ssl) {
            m_sslConfig = work.ssl;
            m_tlsError = work.tlsError;
        }
        fetchQuotas(pending);
    });
    // The TLS files and the data directories are read from disk: never on the caller's
    // (GUI) thread.
    watcher->setFuture(QtConcurrent::run([dataDirs, needSsl, tls] {
        DiskWork work;
        for (const QString &dir : dataDirs)
            work.volumes << (dir.isEmpty() ? LocalVolume() : LocalVolume::read(dir));
        if (needSsl) {
            const Result<QSslConfiguration> ssl = HttpTls::configuration(tls);
            work.ssl = ssl.valueOr(QSslConfiguration());
            work.tlsError = ssl.problem();
        }
        return work;
    }));
}

void StorageReader::fetchQuotas(const std::shared_ptr<Pending> &pending)
{
    for (qsizetype i = 0; i < pending->members.size(); ++i) {
        MemberStorage &s = pending->members[i];
        const QUrl url(pending->metricsUrls.at(i));
        if (!s.reachable || !url.isValid() || url.isEmpty()) {
            s.quotaError = QStringLiteral("the member does not answer");
            continue;
        }
        if (url.scheme() == QLatin1String("https") && !m_tlsError.isEmpty()) {
            s.quotaError = m_tlsError;
            continue;
        }
        ++pending->outstanding;
        m_fetcher->fetch(url, m_timeoutMs, m_sslConfig.value_or(QSslConfiguration()), m_tls.serverName,
            [pending, i](const MetricsFetcher::Answer &r) {
                MemberStorage &s = pending->members[i];
                if (!r.body)
                    s.quotaError = r.body.problem();
                else if (const auto quota = quotaFromMetrics(r.body.value()))
                    s.quota = int64_t(*quota);
                else
                    s.quotaError = QStringLiteral("the member's /metrics has no etcd_server_quota_backend_bytes");
                if (--pending->outstanding == 0)
                    pending->done(pending->members);
            });
    }
    if (pending->outstanding == 0)
        pending->done(pending->members);
}
