#pragma once

#include "common/TlsSettings.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <optional>

/// Deadlines for every kind of call. Each RPC carries one; there is no "wait forever".
struct Deadlines {
    int readMs = 2000; ///< Status, MemberList, Range, Alarm list, HashKV, Authenticate
    int writeMs = 5000; ///< Put, member add/remove/update/promote, alarm disarm
    int moveLeaderMs = 15000; ///< etcd itself gives up a transfer after about an election timeout
    int defragmentMs = 120000; ///< a member blocks while it rewrites its database
    int dialMs = 2000; ///< how long one connection attempt may take
};

/// Everything needed to reach one etcd cluster: endpoints, TLS files, credentials and
/// deadlines. Filled from etcdctl's environment variables and flags so that an operator's
/// habits carry over. A plain value; copy it freely.
struct ConnectionSettings {
    QStringList endpoints;
    TlsSettings tls;
    QString user;
    QString password; ///< kept in memory only; never written anywhere
    Deadlines deadlines;
    /// Extra /metrics URLs scraped beside the members' own (a node exporter, an API
    /// server): QUORUMDECK_METRIC_TARGETS, comma-separated.
    QStringList metricTargets;

    /// Reads ETCDCTL_ENDPOINTS, ETCDCTL_CACERT, ETCDCTL_CERT, ETCDCTL_KEY, ETCDCTL_USER
    /// ("name" or "name:password"), ETCDCTL_PASSWORD, ETCDCTL_DIAL_TIMEOUT and
    /// ETCDCTL_COMMAND_TIMEOUT, and QUORUMDECK_METRIC_TARGETS. Returns an error sentence for
    /// an unreadable value.
    QString applyEnvironment(const QProcessEnvironment &env);

    /// "name" or "name:password", as etcdctl's --user takes it.
    void setUserSpec(const QString &spec);

    /// Sets every non-long deadline to a --command-timeout value.
    void setCommandTimeout(int ms);

    /// Checks endpoints and files; returns an empty string when usable.
    QString validate() const;

    /// Parses etcdctl-style durations: "2s", "500ms", "1m30s", "1.5s", or bare seconds.
    static std::optional<int> parseDurationMs(const QString &text);
};
