#include "widgets/SentenceCase.h"

#include <QStringList>

namespace SentenceCase {

QString of(const QString &text)
{
    if (text.isEmpty() || !text.front().isLower())
        return text;
    const qsizetype end = text.indexOf(QLatin1Char(' '));
    QString first = text.left(end < 0 ? text.size() : end);
    // "verified: restored …": punctuation after a word leaves it a word.
    while (first.size() > 1 && (first.back() == QLatin1Char(':') || first.back() == QLatin1Char(',')))
        first.chop(1);
    // A name, not a word: it has digits, dots, slashes, colons or underscores in it, or it
    // is a program's own name.
    static const QStringList names = {QStringLiteral("etcd"), QStringLiteral("etcdctl"), QStringLiteral("etcdutl"),
        QStringLiteral("kubectl"), QStringLiteral("kubeadm"), QStringLiteral("haproxy"), QStringLiteral("quorumdeck"),
        QStringLiteral("promtool"), QStringLiteral("http"), QStringLiteral("https"), QStringLiteral("grpc"),
        // the packages that prefix etcd's and Go's errors ("etcdserver: not leader")
        QStringLiteral("etcdserver"), QStringLiteral("etcdmain"), QStringLiteral("mvcc"), QStringLiteral("auth"),
        QStringLiteral("raft"), QStringLiteral("wal"), QStringLiteral("snap"), QStringLiteral("rpc"),
        QStringLiteral("tls"), QStringLiteral("x509"), QStringLiteral("dial"), QStringLiteral("context")};
    for (const QChar c : first) {
        if (c.isDigit() || c == QLatin1Char('.') || c == QLatin1Char('/') || c == QLatin1Char(':')
            || c == QLatin1Char('_') || c == QLatin1Char('-') || c == QLatin1Char('='))
            return text;
    }
    if (names.contains(first))
        return text;
    QString out = text;
    out[0] = out[0].toUpper();
    return out;
}

} // namespace SentenceCase
