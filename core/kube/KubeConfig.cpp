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

bool readFile(const QString &path, QByteArray *out, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return false;
    }
    *out = f.readAll();
    return true;
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

bool KubeConfig::load(const QStringList &paths, QString *error)
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
            *error = QStringLiteral("%1: %2").arg(path, f.errorString());
            return false;
        }
        QString problem;
        if (!parse(f.readAll(), QFileInfo(path).absolutePath(), &problem)) {
            *error = QStringLiteral("%1: %2").arg(path, problem);
            return false;
        }
        ++read;
    }
    if (read == 0) {
        *error = QStringLiteral("no kubeconfig found (looked for %1); set KUBECONFIG or create ~/.kube/config")
                     .arg(missing.join(QStringLiteral(", ")));
        return false;
    }
    return true;
}

bool KubeConfig::parse(const QByteArray &text, const QString &baseDir, QString *error)
{
    YAML::Node root;
    try {
        root = YAML::Load(text.toStdString());
    } catch (const YAML::Exception &e) {
        *error = QStringLiteral("not valid YAML at line %1, column %2: %3")
                     .arg(e.mark.line + 1)
                     .arg(e.mark.column + 1)
                     .arg(QString::fromStdString(e.msg));
        return false;
    }
    if (!root || root.IsNull())
        return true; // an empty file defines nothing, as for kubectl
    if (!root.IsMap()) {
        *error = QStringLiteral("a kubeconfig is a mapping with clusters, users and contexts");
        return false;
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
        *error = QStringLiteral("unexpected structure at line %1: %2")
                     .arg(e.mark.line + 1)
                     .arg(QString::fromStdString(e.msg));
        return false;
    }
    return true;
}

QStringList KubeConfig::contexts() const
{
    QStringList names;
    for (const Context &c : m_contexts)
        names << c.name;
    return names;
}

bool KubeConfig::resolve(const QString &contextName, KubeCredentials *out, QString *error) const
{
    const QString name = contextName.isEmpty() ? m_currentContext : contextName;
    if (name.isEmpty()) {
        *error = QStringLiteral("the kubeconfig sets no current-context; choose one of: %1")
                     .arg(contexts().join(QStringLiteral(", ")));
        return false;
    }
    const Context *context = byName(m_contexts, name);
    if (!context) {
        *error = QStringLiteral("the kubeconfig has no context named %1").arg(name);
        return false;
    }
    const Cluster *cluster = byName(m_clusters, context->cluster);
    if (!cluster) {
        *error = QStringLiteral("context %1 names cluster %2, which the kubeconfig does not define")
                     .arg(name, context->cluster);
        return false;
    }
    if (cluster->server.isEmpty()) {
        *error = QStringLiteral("cluster %1 has no server address").arg(cluster->name);
        return false;
    }
    KubeCredentials c;
    c.context = name;
    c.cluster = cluster->name;
    c.server = cluster->server;
    c.tlsServerName = cluster->tlsServerName;
    c.insecureSkipVerify = cluster->insecure;
    c.caPem = cluster->caData;
    if (c.caPem.isEmpty() && !cluster->caFile.isEmpty()
        && !readFile(pathFrom(cluster->baseDir, cluster->caFile), &c.caPem, error))
        return false;

    if (!context->user.isEmpty()) {
        const User *user = byName(m_users, context->user);
        if (!user) {
            *error = QStringLiteral("context %1 names user %2, which the kubeconfig does not define")
                         .arg(name, context->user);
            return false;
        }
        c.user = user->name;
        // As for kubectl, a token file wins over an inline token: it is the one rotated.
        c.token = user->token;
        if (!user->tokenFile.isEmpty()) {
            if (!readFile(pathFrom(user->baseDir, user->tokenFile), &c.token, error))
                return false;
            c.token = c.token.trimmed();
        }
        c.clientCertPem = user->certData;
        if (c.clientCertPem.isEmpty() && !user->certFile.isEmpty()
            && !readFile(pathFrom(user->baseDir, user->certFile), &c.clientCertPem, error))
            return false;
        c.clientKeyPem = user->keyData;
        if (c.clientKeyPem.isEmpty() && !user->keyFile.isEmpty()
            && !readFile(pathFrom(user->baseDir, user->keyFile), &c.clientKeyPem, error))
            return false;
        c.username = user->username;
        c.password = user->password;
        const bool hasCredentials = !c.token.isEmpty() || !c.clientCertPem.isEmpty() || !c.username.isEmpty();
        if (!hasCredentials && !user->plugin.isEmpty()) {
            *error = QStringLiteral("user %1 gets its credentials from an %2 plugin, which QuorumDeck does not run; "
                                    "use a context with a token or a client certificate")
                         .arg(user->name, user->plugin);
            return false;
        }
        if (!c.clientCertPem.isEmpty() && c.clientKeyPem.isEmpty()) {
            *error = QStringLiteral("user %1 has a client certificate but no client key").arg(user->name);
            return false;
        }
    }
    *out = c;
    return true;
}
