#include "cluster/PeerUrlValidator.h"

#include <QUrl>

namespace {

/// The port written after the host, or -1 when none is written; 0 when it is not a number
/// that fits a port. QUrl rejects such a URL as a whole, which says nothing useful.
int writtenPort(const QString &text)
{
    const qsizetype start = text.indexOf(QLatin1String("://"));
    QStringView authority = QStringView(text).mid(start + 3);
    authority = authority.left(authority.indexOf(QLatin1Char('/')));
    const qsizetype colon = authority.lastIndexOf(QLatin1Char(':'));
    if (colon < 0 || authority.lastIndexOf(QLatin1Char(']')) > colon)
        return -1;
    bool ok = false;
    const int port = authority.mid(colon + 1).toInt(&ok);
    return ok && port >= 1 && port <= 65535 ? port : 0;
}

bool isLoopback(const QString &host)
{
    return host == QLatin1String("localhost") || host.startsWith(QLatin1String("127.")) || host == QLatin1String("::1");
}

/// Where a URL listens, so that two spellings of one socket compare equal: the scheme does
/// not matter (one port serves one of them), nor the case of the host, and every loopback
/// name is the same host. Other names are not resolved: that would block on DNS.
QString socketOf(const QUrl &url)
{
    const QString host = url.host().toLower();
    return (isLoopback(host) ? QStringLiteral("loopback") : host) + QLatin1Char(':') + QString::number(url.port());
}

} // namespace

QStringList PeerUrlValidator::split(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString t = part.trimmed();
        if (!t.isEmpty())
            out << t;
    }
    return out;
}

QString PeerUrlValidator::check(const QStringList &urls, const ClusterSnapshot &snapshot)
{
    if (urls.isEmpty())
        return QStringLiteral("give at least one peer URL, for example http://10.0.0.4:2380");
    QStringList seen;
    for (const QString &text : urls) {
        if (!text.startsWith(QLatin1String("http://"), Qt::CaseInsensitive)
            && !text.startsWith(QLatin1String("https://"), Qt::CaseInsensitive))
            return QStringLiteral("\"%1\" is not a peer URL: it must start with http:// or https://").arg(text);
        const int port = writtenPort(text);
        if (port <= 0)
            return QStringLiteral("\"%1\" needs an explicit port (1-65535), for example :2380").arg(text);
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid())
            return QStringLiteral("\"%1\" is not a valid URL: %2").arg(text, url.errorString());
        if (url.host().isEmpty())
            return QStringLiteral("\"%1\" has no host").arg(text);
        if (!url.path().isEmpty() && url.path() != QLatin1String("/"))
            return QStringLiteral("\"%1\" has a path; a peer URL is only scheme, host and port").arg(text);
        const QString socket = socketOf(url);
        if (seen.contains(socket))
            return QStringLiteral("\"%1\" is listed twice").arg(text);
        seen << socket;
        for (const MemberState &m : snapshot.members()) {
            for (const QString &existing : m.peerUrls) {
                if (socketOf(QUrl(existing)) == socket)
                    return QStringLiteral("\"%1\" is already the peer URL of member %2 (%3)")
                        .arg(text, m.displayName(), existing);
            }
            for (const QString &existing : m.clientUrls) {
                if (socketOf(QUrl(existing)) == socket)
                    return QStringLiteral("\"%1\" is the client URL of member %2; a peer URL needs a port of its own")
                        .arg(text, m.displayName());
            }
        }
    }
    return {};
}
