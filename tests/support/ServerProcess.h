#pragma once

// A server the tests run themselves (Prometheus, Alertmanager): on a free port of 127.0.0.1,
// with its configuration and data in a temporary directory of its own, stopped with the test.

#include "demo/PortAllocator.h"

#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

class ServerProcess {
public:
    ~ServerProcess() { stop(); }

    /// Stops the server (its directory stays until the object goes).
    void stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(10000)) {
                m_process.kill();
                m_process.waitForFinished(5000);
            }
        }
    }

    /// Writes `files` (name -> content) into the directory, then runs binary with args, in
    /// which {dir} and {port} stand for the directory and the port. Empty on success.
    QString start(const QString &binary, const QStringList &args, const QMap<QString, QByteArray> &files = {})
    {
        if (!m_dir.isValid())
            return QStringLiteral("cannot create a temporary directory");
        const Result<QList<quint16>> ports = PortAllocator::freePorts(1);
        if (!ports)
            return ports.error().describe();
        m_port = ports.value().front();
        for (auto it = files.begin(); it != files.end(); ++it) {
            QFile f(path(it.key()));
            if (!f.open(QIODevice::WriteOnly) || f.write(it.value()) != it.value().size())
                return QStringLiteral("cannot write ") + f.fileName();
        }
        QStringList expanded;
        for (QString a : args)
            expanded << a.replace(QStringLiteral("{dir}"), m_dir.path())
                            .replace(QStringLiteral("{port}"), QString::number(m_port));
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(binary, expanded);
        if (!m_process.waitForStarted(10000))
            return binary + QStringLiteral(" did not start: ") + m_process.errorString();
        return {};
    }

    /// An Alertmanager that routes every alert nowhere, on 127.0.0.1 only, with no
    /// cluster port. Empty on success.
    QString startAlertmanager(const QString &binary)
    {
        return start(binary,
            {"--config.file={dir}/alertmanager.yml", "--storage.path={dir}/data",
                "--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=warn"},
            {{"alertmanager.yml", "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n"}});
    }

    /// Waits until GET path answers 200 (bounded).
    bool waitReady(const QString &path, int timeoutMs = 30000)
    {
        QNetworkAccessManager net;
        return QTest::qWaitFor(
                   [&] {
                       if (m_process.state() == QProcess::NotRunning)
                           return true; // says false below
                       QNetworkRequest request(url(path));
                       request.setTransferTimeout(2000);
                       QNetworkReply *reply = net.get(request);
                       if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 3000))
                           reply->abort();
                       const bool ok = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
                       reply->deleteLater();
                       return ok;
                   },
                   timeoutMs)
            && m_process.state() == QProcess::Running;
    }

    /// One JSON request to url, a POST when `post` is given; the JSON answer (empty when
    /// none came within 6 s).
    static QJsonDocument request(const QUrl &url, const QByteArray *post = nullptr)
    {
        QNetworkAccessManager net;
        QNetworkRequest r(url);
        r.setTransferTimeout(5000);
        r.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *reply = post ? net.post(r, *post) : net.get(r);
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 6000))
            reply->abort();
        const QJsonDocument out = QJsonDocument::fromJson(reply->readAll());
        delete reply;
        return out;
    }

    QString path(const QString &name) const { return m_dir.filePath(name); }
    QUrl url(const QString &path = QString()) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
    }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};
