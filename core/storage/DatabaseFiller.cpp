#include "storage/DatabaseFiller.h"

#include "common/Format.h"
#include "etcd/EtcdClient.h"

#include <QJsonObject>
#include <QRandomGenerator>

namespace {

// A runaway guard: with etcd's 2 GiB default quota and 256 KiB values this is far more
// than enough, and it stops a filler pointed at a cluster without a quota.
constexpr int kMaxPuts = 20000;

} // namespace

DatabaseFiller::DatabaseFiller(EtcdClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

void DatabaseFiller::start(const QString &endpoint, qint64 budgetBytes, int valueBytes)
{
    m_endpoint = endpoint;
    m_budget = budgetBytes;
    m_written = 0;
    m_puts = 0;
    m_cancelled = false;
    m_running = true;
    // Random bytes, so that nothing on the way (a compressing filesystem) shrinks them.
    m_value.resize(qMax(1, valueBytes));
    QRandomGenerator::global()->fillRange(
        reinterpret_cast<quint32 *>(m_value.data()), qsizetype(m_value.size() / sizeof(quint32)));
    putNext();
}

void DatabaseFiller::putNext()
{
    auto finish = [this](const OperationResult &r) {
        m_running = false;
        emit finished(r);
    };
    const QJsonObject details {{QStringLiteral("puts"), m_puts}, {QStringLiteral("writtenBytes"), m_written}};
    if (m_cancelled) {
        finish(OperationResult::failed(
            QStringLiteral("cancelled after writing %1 in %2 puts").arg(Format::bytes(m_written)).arg(m_puts),
            details));
        return;
    }
    if ((m_budget > 0 && m_written >= m_budget) || m_puts >= kMaxPuts) {
        finish(OperationResult::done(
            QStringLiteral("wrote %1 in %2 puts without reaching the quota").arg(Format::bytes(m_written)).arg(m_puts),
            details));
        return;
    }
    const QByteArray key = prefix() + QByteArray::number(m_puts % kKeyRing);
    m_client->put(m_endpoint, key, m_value, this, [this, finish](const EtcdResult<ResponseHeaderInfo> &r) {
        if (!r.ok()) {
            QJsonObject details {{QStringLiteral("puts"), m_puts}, {QStringLiteral("writtenBytes"), m_written},
                {QStringLiteral("error"), r.error.message}};
            if (r.error.message.contains(QLatin1String("database space exceeded"))) {
                details.insert(QStringLiteral("nospace"), true);
                finish(OperationResult::done(QStringLiteral("etcd raised NOSPACE after %1 in %2 puts: %3")
                                                 .arg(Format::bytes(m_written))
                                                 .arg(m_puts)
                                                 .arg(r.error.message),
                    details));
            } else {
                finish(OperationResult::failed(QStringLiteral("filling stopped: %1").arg(r.error.sentence), details));
            }
            return;
        }
        ++m_puts;
        m_written += m_value.size();
        emit progress(m_written, m_puts);
        putNext();
    });
}
