#include "kube/ControlPlaneLogs.h"

#include "kube/KubeClient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkReply>
#include <QUrlQuery>

QStringList ControlPlaneLogs::components()
{
    return {QStringLiteral("etcd"), QStringLiteral("kube-apiserver"), QStringLiteral("kube-scheduler"),
        QStringLiteral("kube-controller-manager")};
}

QString ControlPlaneLogs::componentNamed(const QString &name)
{
    for (const QString &c : components()) {
        if (name == c || QStringLiteral("kube-") + name == c)
            return c;
    }
    return {};
}

ControlPlaneLogs::ControlPlaneLogs(KubeClient *client, const Options &options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_options(options)
{
}

ControlPlaneLogs::~ControlPlaneLogs()
{
    for (const QPointer<QNetworkReply> &r : std::as_const(m_streams)) {
        if (r) {
            disconnect(r, nullptr, this, nullptr);
            r->abort();
            r->deleteLater();
        }
    }
}

void ControlPlaneLogs::start()
{
    const QString selector = QStringLiteral("component=") + m_options.component;
    QPointer<ControlPlaneLogs> self(this);
    m_client->listAll(
        QStringLiteral("/api/v1/namespaces/kube-system/pods"), QStringLiteral("pods in kube-system"),
        [self](const Result<KubeClient::Listed> &listed) {
            if (!self)
                return;
            if (!listed.ok()) {
                emit self->failed(listed.error().sentence());
                emit self->finished();
                return;
            }
            for (const QJsonObject &pod : listed.value().items) {
                const QJsonObject metadata = pod.value(QLatin1String("metadata")).toObject();
                // The selector is sent; it is checked here too, for servers that ignore it.
                if (metadata.value(QLatin1String("labels")).toObject().value(QLatin1String("component")).toString()
                    != self->m_options.component)
                    continue;
                const QJsonObject spec = pod.value(QLatin1String("spec")).toObject();
                const QJsonArray containers = spec.value(QLatin1String("containers")).toArray();
                Pod p;
                p.name = metadata.value(QLatin1String("name")).toString();
                p.node = spec.value(QLatin1String("nodeName")).toString();
                // kubeadm's static pods hold one container named for the component.
                for (const QJsonValue &c : containers) {
                    const QString name = c.toObject().value(QLatin1String("name")).toString();
                    if (p.container.isEmpty() || name == self->m_options.component)
                        p.container = name;
                }
                self->m_pods << p;
            }
            std::sort(
                self->m_pods.begin(), self->m_pods.end(), [](const Pod &a, const Pod &b) { return a.node < b.node; });
            emit self->podsFound(self->m_pods);
            if (self->m_pods.isEmpty()) {
                emit self->failed(tr("No pod in kube-system is labelled component=%1: is this a kubeadm control "
                                     "plane, and may the kubeconfig's user list its pods?")
                                      .arg(self->m_options.component));
                emit self->finished();
                return;
            }
            for (const Pod &p : std::as_const(self->m_pods))
                self->open(p);
        },
        selector);
}

void ControlPlaneLogs::stop()
{
    for (const QPointer<QNetworkReply> &r : std::as_const(m_streams))
        if (r && r->isRunning())
            r->abort();
}

void ControlPlaneLogs::open(const Pod &pod)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("timestamps"), QStringLiteral("true"));
    if (!pod.container.isEmpty())
        query.addQueryItem(QStringLiteral("container"), pod.container);
    if (m_options.tailLines > 0)
        query.addQueryItem(QStringLiteral("tailLines"), QString::number(m_options.tailLines));
    if (m_options.sinceSeconds > 0)
        query.addQueryItem(QStringLiteral("sinceSeconds"), QString::number(m_options.sinceSeconds));
    if (m_options.follow)
        query.addQueryItem(QStringLiteral("follow"), QStringLiteral("true"));
    QNetworkReply *reply = m_client->openStream(
        QStringLiteral("/api/v1/namespaces/kube-system/pods/%1/log?%2").arg(pod.name, query.toString()));
    m_streams << reply;
    connect(reply, &QNetworkReply::readyRead, this, [this, reply, pod] { read(reply, pod, false); });
    connect(reply, &QNetworkReply::finished, this, [this, reply, pod] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 200 && status < 300) {
            read(reply, pod, true);
        } else if (reply->error() != QNetworkReply::OperationCanceledError || status == 0) {
            const QString why = status
                ? KubeClient::errorSentence(status, reply->readAll(), QStringLiteral("the log of pod %1").arg(pod.name),
                    m_client->credentials().server, m_client->credentials().user)
                : reply->error() == QNetworkReply::OperationCanceledError
                ? tr("The log of pod %1 did not begin within the timeout.").arg(pod.name)
                : tr("The log of pod %1 could not be read: %2.").arg(pod.name, reply->errorString());
            emit failed(why);
        }
        ended(reply);
    });
}

void ControlPlaneLogs::read(QNetworkReply *reply, const Pod &pod, bool atEnd)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status && (status < 200 || status >= 300))
        return; // an error's body is a Status object, read when the reply ends
    QByteArray &partial = m_partial[reply];
    partial += reply->readAll();
    QList<MemberLogEntry> lines;
    qsizetype start = 0;
    for (qsizetype end = partial.indexOf('\n'); end >= 0; end = partial.indexOf('\n', start)) {
        const QByteArrayView line = QByteArrayView(partial).sliced(start, end - start);
        start = end + 1;
        if (line.trimmed().isEmpty())
            continue;
        MemberLogEntry e = MemberLogEntry::parseTimestamped(line);
        e.source = pod.node.isEmpty() ? pod.name : pod.node;
        lines << e;
    }
    partial.remove(0, start);
    if (atEnd && !partial.trimmed().isEmpty()) { // a last line without its newline
        MemberLogEntry e = MemberLogEntry::parseTimestamped(partial);
        e.source = pod.node.isEmpty() ? pod.name : pod.node;
        lines << e;
        partial.clear();
    }
    if (!lines.isEmpty())
        emit linesRead(lines);
}

void ControlPlaneLogs::ended(QNetworkReply *reply)
{
    m_partial.remove(reply);
    reply->deleteLater();
    const bool running = std::any_of(m_streams.cbegin(), m_streams.cend(),
        [reply](const QPointer<QNetworkReply> &r) { return r && r != reply && r->isRunning(); });
    if (!running && !m_finished) {
        m_finished = true;
        emit finished();
    }
}
