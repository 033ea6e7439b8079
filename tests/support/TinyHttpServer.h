#pragma once

#include <QByteArray>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <type_traits>

/// Serves one fixed HTTP response to every request, on a free loopback port. For tests of
/// code that scrapes a /metrics endpoint whose payload the test chooses. Over TLS with
/// Server = QSslServer (configured through setSslConfiguration()).
template <typename Server> class BasicHttpServer : public Server {
public:
    explicit BasicHttpServer(QByteArray body, QByteArray contentEncoding = {})
        : m_body(std::move(body))
        , m_encoding(std::move(contentEncoding))
    {
        this->listen(QHostAddress::LocalHost);
        QObject::connect(this, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = this->nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
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
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    QString url() const
    {
        const bool tls = std::is_base_of_v<QSslServer, Server>;
        return QStringLiteral("%1://127.0.0.1:%2/metrics").arg(tls ? "https" : "http").arg(this->serverPort());
    }
    QByteArray lastRequest() const { return m_request; }

private:
    QByteArray m_body;
    QByteArray m_encoding;
    QByteArray m_request;
};

using TinyHttpServer = BasicHttpServer<QTcpServer>;
using TinyHttpsServer = BasicHttpServer<QSslServer>;
