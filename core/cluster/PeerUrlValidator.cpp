#include "cluster/PeerUrlValidator.h"

#include <QUrl>

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
        const QUrl url(text, QUrl::StrictMode);
        const QString scheme = url.scheme();
        if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
            return QStringLiteral("\"%1\" is not a peer URL: it must start with http:// or https://").arg(text);
        if (url.host().isEmpty())
            return QStringLiteral("\"%1\" has no host").arg(text);
        if (url.port() < 1 || url.port() > 65535)
            return QStringLiteral("\"%1\" needs an explicit port (1-65535), for example :2380").arg(text);
        if (!url.path().isEmpty() && url.path() != QLatin1String("/"))
            return QStringLiteral("\"%1\" has a path; a peer URL is only scheme, host and port").arg(text);
        const QString normal = url.adjusted(QUrl::StripTrailingSlash).toString();
        if (seen.contains(normal))
            return QStringLiteral("\"%1\" is listed twice").arg(text);
        seen << normal;
        for (const MemberState &m : snapshot.members()) {
            for (const QString &existing : m.peerUrls) {
                if (QUrl(existing).adjusted(QUrl::StripTrailingSlash).toString() == normal)
                    return QStringLiteral("\"%1\" is already the peer URL of member %2").arg(text, m.displayName());
            }
        }
    }
    return {};
}
