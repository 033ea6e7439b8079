#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <cstdint>
#include <queue>
#include <vector>

/// What fills the database, summed key by key: the number of keys and their bytes (key plus
/// value) per prefix, and the largest keys.
///
/// A key's prefix is its first `depth` '/'-separated segments counted from the start of the
/// key, never including its last segment (its own name): with depth 3,
/// "/registry/pods/default/web-1" counts under "/registry/pods/default" and
/// "/registry/namespaces/default" under "/registry/namespaces". Memory grows with the number
/// of prefixes and with topK, never with the number of keys.
class KeyspaceSummary {
public:
    struct Prefix {
        QByteArray prefix;
        int64_t keys = 0;
        int64_t bytes = 0;
    };
    struct Key {
        QByteArray key;
        int64_t bytes = 0;
    };

    explicit KeyspaceSummary(int depth = 3, int topK = 10);

    void add(const QByteArray &key, int64_t valueBytes);
    static QByteArray prefixOf(const QByteArray &key, int depth);

    int64_t revision = 0;
    int64_t keys() const { return m_keys; }
    int64_t bytes() const { return m_bytes; }
    /// Largest share of the database first; equal sizes by prefix.
    QList<Prefix> prefixes() const;
    /// Largest first; equal sizes by key.
    QList<Key> largest() const;

    /// {"revision", "keys", "bytes", "prefixes": [{"prefix", "keys", "bytes"}], "largest":
    /// [{"key", "bytes"}]}. Keys that are not UTF-8 are written with \xNN escapes.
    QJsonObject toJson() const;
    /// A key as text: UTF-8 as it is, any other byte as \xNN.
    static QString printable(const QByteArray &key);

private:
    struct Smaller {
        bool operator()(const Key &a, const Key &b) const
        {
            return a.bytes != b.bytes ? a.bytes > b.bytes : a.key < b.key;
        }
    };

    int m_depth;
    int m_topK;
    int64_t m_keys = 0;
    int64_t m_bytes = 0;
    QHash<QByteArray, Prefix> m_prefixes;
    /// The topK largest seen so far, the smallest of them on top.
    std::priority_queue<Key, std::vector<Key>, Smaller> m_largest;
};

Q_DECLARE_METATYPE(KeyspaceSummary)
