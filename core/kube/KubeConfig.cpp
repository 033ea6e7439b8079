#include "kube/KubeConfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <yaml-cpp/yaml.h>

namespace {

QString str(const YAML::Node &node, const char *key)
{
    const YAML::Node v = node[key];
    return v && v.IsScalar() ? QString::fromStdString(v.as<std::string>()) : QString();
}

QByteArray base64(const YAML::Node &node, const char *key)
{
    const YAML::Node v = node[key];
    return v && v.IsScalar() ? QByteArray::fromBase64(QByteArray::fromStdString(v.as<std::string>())) : QByteArray();
}

bool flag(const YAML::Node &node, const char *key)
{
    const YAML::Node v = node[key];
    if (!v || !v.IsScalar())
        return false;
    const std::string s = v.as<std::string>();
    return s == "true" || s == "True" || s == "TRUE";
}

/// An absolute path, or one relative to the kubeconfig that names it.
QString pathFrom(const QString &baseDir, const QString &path)
{
    if (path.isEmpty() || QDir::isAbsolutePath(path))
        return path;
    if (path.startsWith(QLatin1String("~/")))
        return QDir::homePath() + path.mid(1);
    return QDir(baseDir).filePath(path);
}

Result<QByteArray> readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("%1: %2").arg(path, f.errorString()));
    return f.readAll();
}

template <typename T> const T *byName(const QList<T> &list, const QString &name)
{
    for (const T &item : list)
        if (item.name == name)
            return &item;
    return nullptr;
}

} // namespace

QStringList KubeConfig::defaultPaths(const QProcessEnvironment &env)
{
    const QString list = env.value(QStringLiteral("KUBECONFIG"));
    if (!list.isEmpty())
        return list.split(QLatin1Char(':'), Qt::SkipEmptyParts);
    const QString home = env.value(QStringLiteral("HOME"), QDir::homePath());
    return {home + QStringLiteral("/.kube/config")};
}

Result<void> KubeConfig::load(const QStringList &paths)
{
    int read = 0;
    QStringList missing;
    for (const QString &path : paths) {
        QFile f(path);
        if (!f.exists()) {
            missing << path;
            continue;
        }
        if (!f.open(QIODevice::ReadOnly)) {
            return Error::io(QStringLiteral("%1: %2").arg(path, f.errorString()));
        }
        if (const Result<void> parsed = parse(f.readAll(), QFileInfo(path).absolutePath()); !parsed)
            return parsed.error().context(path);
        ++read;
    }
    if (read == 0) {
        return Error::notFound(
            QStringLiteral("no kubeconfig found (looked for %1); set KUBECONFIG or create ~/.kube/config")
                .arg(missing.join(QStringLiteral(", "))));
    }
    return {};
}

Result<void> KubeConfig::parse(const QByteArray &text, const QString &baseDir)
{
    YAML::Node root;
    try {
        root = YAML::Load(text.toStdString());
    } catch (const YAML::Exception &e) {
        return Error::invalid(QStringLiteral("not valid YAML at line %1, column %2: %3")
                                  .arg(e.mark.line + 1)
                                  .arg(e.mark.column + 1)
                                  .arg(QString::fromStdString(e.msg)));
    }
    if (!root || root.IsNull())
        return {}; // an empty file defines nothing, as for kubectl
    if (!root.IsMap()) {
        return Error::invalid(QStringLiteral("a kubeconfig is a mapping with clusters, users and contexts"));
    }
    try {
        // The first file to define a name wins, and so does the first current-context.
        if (m_currentContext.isEmpty())
            m_currentContext = str(root, "current-context");
        for (const YAML::Node &entry : root["clusters"]) {
            Cluster c;
            c.name = str(entry, "name");
            c.baseDir = baseDir;
            const YAML::Node body = entry["cluster"];
            if (c.name.isEmpty() || !body || byName(m_clusters, c.name))
                continue;
            c.server = str(body, "server");
            c.caFile = str(body, "certificate-authority");
            c.caData = base64(body, "certificate-authority-data");
            c.tlsServerName = str(body, "tls-server-name");
            c.insecure = flag(body, "insecure-skip-tls-verify");
            m_clusters << c;
        }
        for (const YAML::Node &entry : root["users"]) {
            User u;
            u.name = str(entry, "name");
            u.baseDir = baseDir;
            const YAML::Node body = entry["user"];
            if (u.name.isEmpty() || !body || byName(m_users, u.name))
                continue;
            u.token = str(body, "token").toUtf8();
            u.tokenFile = str(body, "tokenFile");
            u.certFile = str(body, "client-certificate");
            u.certData = base64(body, "client-certificate-data");
            u.keyFile = str(body, "client-key");
            u.keyData = base64(body, "client-key-data");
            u.username = str(body, "username");
            u.password = str(body, "password").toUtf8();
            if (body["exec"])
                u.plugin = QStringLiteral("exec");
            else if (body["auth-provider"])
                u.plugin = QStringLiteral("auth-provider");
            m_users << u;
        }
        for (const YAML::Node &entry : root["contexts"]) {
            Context c;
            c.name = str(entry, "name");
            const YAML::Node body = entry["context"];
            if (c.name.isEmpty() || !body || byName(m_contexts, c.name))
                continue;
            c.cluster = str(body, "cluster");
            c.user = str(body, "user");
            m_contexts << c;
        }
    } catch (const YAML::Exception &e) {
        return Error::invalid(QStringLiteral("unexpected structure at line %1: %2")
                                  .arg(e.mark.line + 1)
                                  .arg(QString::fromStdString(e.msg)));
    }
    return {};
}

QStringList KubeConfig::contexts() const
{
    QStringList names;
    for (const Context &c : m_contexts)
        names << c.name;
    return names;
}

Result<KubeCredentials> KubeConfig::resolve(const QString &contextName) const
{
    const QString name = contextName.isEmpty() ? m_currentContext : contextName;
    if (name.isEmpty()) {
        return Error::invalid(QStringLiteral("the kubeconfig sets no current-context; choose one of: %1")
                                  .arg(contexts().join(QStringLiteral(", "))));
    }
    const Context *context = byName(m_contexts, name);
    if (!context) {
        return Error::notFound(QStringLiteral("the kubeconfig has no context named %1").arg(name));
    }
    const Cluster *cluster = byName(m_clusters, context->cluster);
    if (!cluster) {
        return Error::notFound(QStringLiteral("context %1 names cluster %2, which the kubeconfig does not define")
                                   .arg(name, context->cluster));
    }
    if (cluster->server.isEmpty()) {
        return Error::invalid(QStringLiteral("cluster %1 has no server address").arg(cluster->name));
    }
    KubeCredentials c;
    c.context = name;
    c.cluster = cluster->name;
    c.server = cluster->server;
    c.tlsServerName = cluster->tlsServerName;
    c.insecureSkipVerify = cluster->insecure;
    c.caPem = cluster->caData;
    if (c.caPem.isEmpty() && !cluster->caFile.isEmpty()) {
        const Result<QByteArray> ca = readFile(pathFrom(cluster->baseDir, cluster->caFile));
        if (!ca)
            return ca.error();
        c.caPem = ca.value();
    }

    if (!context->user.isEmpty()) {
        const User *user = byName(m_users, context->user);
        if (!user) {
            return Error::notFound(QStringLiteral("context %1 names user %2, which the kubeconfig does not define")
                                       .arg(name, context->user));
        }
        c.user = user->name;
        // As for kubectl, a token file wins over an inline token: it is the one rotated.
        c.token = user->token;
        if (!user->tokenFile.isEmpty()) {
            const Result<QByteArray> token = readFile(pathFrom(user->baseDir, user->tokenFile));
            if (!token)
                return token.error();
            c.token = token.value().trimmed();
        }
        c.clientCertPem = user->certData;
        if (c.clientCertPem.isEmpty() && !user->certFile.isEmpty()) {
            const Result<QByteArray> cert = readFile(pathFrom(user->baseDir, user->certFile));
            if (!cert)
                return cert.error();
            c.clientCertPem = cert.value();
        }
        c.clientKeyPem = user->keyData;
        if (c.clientKeyPem.isEmpty() && !user->keyFile.isEmpty()) {
            const Result<QByteArray> key = readFile(pathFrom(user->baseDir, user->keyFile));
            if (!key)
                return key.error();
            c.clientKeyPem = key.value();
        }
        c.username = user->username;
        c.password = user->password;
        const bool hasCredentials = !c.token.isEmpty() || !c.clientCertPem.isEmpty() || !c.username.isEmpty();
        if (!hasCredentials && !user->plugin.isEmpty()) {
            return Error::refused(
                QStringLiteral("user %1 gets its credentials from an %2 plugin, which QuorumDeck does not run; "
                               "use a context with a token or a client certificate")
                    .arg(user->name, user->plugin));
        }
        if (!c.clientCertPem.isEmpty() && c.clientKeyPem.isEmpty()) {
            return Error::invalid(QStringLiteral("user %1 has a client certificate but no client key").arg(user->name));
        }
    }
    return c;
}

Result<QList<KubeConfig::UserCertificate>> KubeConfig::clientCertificates() const
{
    QList<UserCertificate> out;
    for (const User &u : m_users) {
        QByteArray pem = u.certData;
        if (pem.isEmpty() && !u.certFile.isEmpty()) {
            const Result<QByteArray> read = readFile(pathFrom(u.baseDir, u.certFile));
            if (!read)
                return read.error();
            pem = read.value();
        }
        if (!pem.isEmpty())
            out << UserCertificate {u.name, pem};
    }
    return out;
}

Result<KubeCredentials> KubeConfig::credentialsFrom(const QStringList &paths, const QString &context)
{
    KubeConfig config;
    if (const Result<void> loaded = config.load(paths); !loaded)
        return loaded.error();
    return config.resolve(context);
}
