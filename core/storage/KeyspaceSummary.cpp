#include "storage/KeyspaceSummary.h"

#include <QJsonArray>
#include <QStringDecoder>
#include <algorithm>

KeyspaceSummary::KeyspaceSummary(int depth, int topK)
    : m_depth(qMax(1, depth))
    , m_topK(qMax(0, topK))
{
}

QByteArray KeyspaceSummary::prefixOf(const QByteArray &key, int depth)
{
    // Segments are what lies between slashes; a leading slash opens the first one.
    const qsizetype lastSlash = key.lastIndexOf('/');
    if (lastSlash < 0)
        return {};
    qsizetype from = key.startsWith('/') ? 1 : 0;
    qsizetype end = from;
    for (int i = 0; i < depth; ++i) {
        const qsizetype slash = key.indexOf('/', from);
        if (slash < 0 || slash > lastSlash)
            break;
        end = slash;
        from = slash + 1;
    }
    // "/k" lives under "/": its only segment is its own name.
    return key.left(end);
}

void KeyspaceSummary::add(const QByteArray &key, int64_t valueBytes)
{
    const int64_t bytes = key.size() + valueBytes;
    ++m_keys;
    m_bytes += bytes;
    const QByteArray prefix = prefixOf(key, m_depth);
    Prefix &p = m_prefixes[prefix];
    p.prefix = prefix;
    ++p.keys;
    p.bytes += bytes;
    if (m_topK == 0)
        return;
    if (int(m_largest.size()) < m_topK) {
        m_largest.push({key, bytes});
    } else if (Smaller()({key, bytes}, m_largest.top())) {
        m_largest.pop();
        m_largest.push({key, bytes});
    }
}

QList<KeyspaceSummary::Prefix> KeyspaceSummary::prefixes() const
{
    QList<Prefix> out = m_prefixes.values();
    std::sort(out.begin(), out.end(),
        [](const Prefix &a, const Prefix &b) { return a.bytes != b.bytes ? a.bytes > b.bytes : a.prefix < b.prefix; });
    return out;
}

QList<KeyspaceSummary::Key> KeyspaceSummary::largest() const
{
    auto heap = m_largest;
    QList<Key> out;
    while (!heap.empty()) {
        out.prepend(heap.top());
        heap.pop();
    }
    return out;
}

QString KeyspaceSummary::printable(const QByteArray &key)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8.decode(key);
    if (!utf8.hasError())
        return text;
    QString out;
    for (char c : key) {
        const auto u = uchar(c);
        if (u >= 0x20 && u < 0x7f && c != '\\')
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    return out;
}

QJsonObject KeyspaceSummary::toJson() const
{
    QJsonArray prefixRows;
    for (const Prefix &p : prefixes())
        prefixRows << QJsonObject {{QStringLiteral("prefix"), printable(p.prefix)},
            {QStringLiteral("keys"), qint64(p.keys)}, {QStringLiteral("bytes"), qint64(p.bytes)}};
    QJsonArray keyRows;
    for (const Key &k : largest())
        keyRows << QJsonObject {{QStringLiteral("key"), printable(k.key)}, {QStringLiteral("bytes"), qint64(k.bytes)}};
    return {{QStringLiteral("revision"), qint64(revision)}, {QStringLiteral("keys"), qint64(m_keys)},
        {QStringLiteral("bytes"), qint64(m_bytes)}, {QStringLiteral("prefixes"), prefixRows},
        {QStringLiteral("largest"), keyRows}};
}
