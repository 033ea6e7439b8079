#pragma once

#include "etcd/ConnectionSettings.h"
#include "profile/ConnectionProfile.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

struct ClusterManifest;

/// What the command line said, parsed once: the command and its sub-command, the
/// positional arguments, the output format and the connection settings (flags over the
/// etcdctl environment, or a demo cluster's directory).
struct CliOptions {
    enum class Format { Table, Json };

    QString command; ///< "status", "member", ...
    QStringList positional; ///< after the command
    Format format = Format::Table;
    ConnectionSettings settings;
    QString dir; ///< --dir, or the default demo directory
    std::optional<ConnectionProfile> profile; ///< --profile
    bool dirGiven = false;

    bool json() const { return format == Format::Json; }
    QString value(const QString &name) const { return m_parser ? m_parser->value(name) : QString(); }
    bool isSet(const QString &name) const { return m_parser && m_parser->isSet(name); }
    /// Every value of an option given more than once, and each comma-separated part.
    QStringList values(const QString &name) const;

    /// Parses argv for one command; on failure returns false with *error set.
    bool parse(const QStringList &arguments, QString *error);
    /// Resolves the endpoints: --endpoints, else --dir's cluster.json, else ETCDCTL_ENDPOINTS,
    /// else 127.0.0.1:2379 as etcdctl does. Returns an error sentence or empty.
    QString resolveEndpoints();
    /// Takes a demo cluster's certificates and user where none were given.
    void useDemoCredentials(const ClusterManifest &manifest);

private:
    std::shared_ptr<QCommandLineParser> m_parser;
};
