#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

/// What one kubeconfig context resolves to: where the API server is and how to prove who
/// we are. File references are read and inlined, so the value carries everything needed.
struct KubeCredentials {
    QString context;
    QString cluster;
    QString user;
    QString server; ///< https://host:port
    QString tlsServerName; ///< overrides the name checked against the server certificate
    bool insecureSkipVerify = false;
    QByteArray caPem; ///< empty: the system's trust store
    QByteArray clientCertPem;
    QByteArray clientKeyPem;
    QByteArray token; ///< bearer token; never printed
    QString username; ///< basic auth, for old clusters
    QByteArray password;
};

/// A kubeconfig, read the way kubectl reads it: KUBECONFIG (a list of files, merged with
/// the first file to define a name winning), else ~/.kube/config; the current context, or
/// a given one; a user's bearer token (inline or a token file) or client certificate; the
/// cluster's CA (inline data or a file, relative to the kubeconfig).
///
/// Credentials that need a program to run (exec and auth-provider plugins) are refused with
/// a sentence saying so: running commands a config file names is not something a viewer
/// should do behind the operator's back.
class KubeConfig {
public:
    /// The files to read: KUBECONFIG's entries, else ~/.kube/config.
    static QStringList defaultPaths(const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

    /// Reads and merges files. Missing files in a KUBECONFIG list are skipped, as kubectl
    /// does; none readable is an error.
    Result<void> load(const QStringList &paths);
    /// Parses one document (YAML or JSON); baseDir resolves relative file references.
    /// yaml-cpp's exceptions stop here: a malformed file is an Error naming line and column.
    Result<void> parse(const QByteArray &text, const QString &baseDir);

    QString currentContext() const { return m_currentContext; }
    QStringList contexts() const;
    /// Resolves a context (empty: the current one) into credentials; reads referenced files.
    Result<KubeCredentials> resolve(const QString &context) const;
    /// load(paths) then resolve(context): what a reader of the API needs. Reads files: call
    /// it off the GUI thread.
    static Result<KubeCredentials> credentialsFrom(const QStringList &paths, const QString &context = {});

    /// A user's client certificate, embedded or read from the file it names.
    struct UserCertificate {
        QString user;
        QByteArray pem;
    };
    /// Every user's that has one, in the order of the files; a file that cannot be read is
    /// an Error naming it.
    Result<QList<UserCertificate>> clientCertificates() const;

private:
    struct Cluster {
        QString name, baseDir, server, caFile, tlsServerName;
        QByteArray caData;
        bool insecure = false;
    };
    struct User {
        QString name, baseDir, tokenFile, certFile, keyFile, username;
        QByteArray token, certData, keyData, password;
        QString plugin; ///< "exec" or "auth-provider" when the user needs one
    };
    struct Context {
        QString name, cluster, user;
    };

    QList<Cluster> m_clusters;
    QList<User> m_users;
    QList<Context> m_contexts;
    QString m_currentContext;
};
