#pragma once

#include <QMetaType>
#include <QString>
#include <QUrl>

/// Something to scrape: a member's /metrics, or an extra target a profile names.
struct ScrapeTarget {
    QString instance; ///< the "instance" label its series carry, e.g. "127.0.0.1:2379"
    QUrl url;
    int intervalMs = 1000;
    int timeoutMs = 1000; ///< at most the interval

    bool operator==(const ScrapeTarget &) const = default;

    /// The /metrics of an etcd member at its client URL: instance "host:port", as
    /// Prometheus labels it. A URL with a path already (an extra target) is kept as it is.
    static ScrapeTarget at(const QString &url)
    {
        QUrl u(url);
        if (u.path().isEmpty() || u.path() == QLatin1String("/"))
            u.setPath(QStringLiteral("/metrics"));
        return ScrapeTarget {u.adjusted(QUrl::RemoveUserInfo).authority(), u};
    }
};

/// How the last scrape of one target went, as Prometheus records it per target.
struct ScrapeHealth {
    QString instance;
    bool up = false;
    double durationMs = 0;
    int samples = 0;
    qint64 bytes = 0; ///< payload size after decompression
    qint64 timeMs = 0; ///< when the scrape started
    QString error; ///< why it failed; the payload's first rejected line otherwise
};

Q_DECLARE_METATYPE(ScrapeTarget)
Q_DECLARE_METATYPE(ScrapeHealth)
