#pragma once

#include <QByteArray>
#include <QTcpServer>
#include <QTcpSocket>

/// Serves one fixed HTTP response to every request, on a free loopback port. For tests of
/// code that scrapes a /metrics endpoint whose payload the test chooses.
class TinyHttpServer : public QTcpServer {
public:
    explicit TinyHttpServer(QByteArray body, QByteArray contentEncoding = {})
        : m_body(std::move(body))
        , m_encoding(std::move(contentEncoding))
    {
        listen(QHostAddress::LocalHost);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_request += socket->readAll();
                    if (!m_request.contains("\r\n\r\n"))
                        return;
                    QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: "
                        + QByteArray::number(m_body.size()) + "\r\nConnection: close\r\n";
                    if (!m_encoding.isEmpty())
                        head += "Content-Encoding: " + m_encoding + "\r\n";
                    socket->write(head + "\r\n" + m_body);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    QString url() const { return QStringLiteral("http://127.0.0.1:%1/metrics").arg(serverPort()); }
    QByteArray lastRequest() const { return m_request; }

private:
    QByteArray m_body;
    QByteArray m_encoding;
    QByteArray m_request;
};
