#pragma once

#include "common/Result.h"

#include <QString>
#include <QUrl>

/// One etcd client endpoint. Operators type endpoints the way etcdctl takes them
/// ("127.0.0.1:2379", "http://10.0.0.1:2379", "https://etcd-0:2379"); this normalises them
/// into a URL with a scheme and an explicit port, and the "host:port" target gRPC dials.
class Endpoint {
public:
    /// Parses one endpoint, or an Invalid error whose sentence names the bad text. A missing
    /// scheme means https when tls is true.
    static Result<Endpoint> parse(const QString &text, bool tls);

    bool isValid() const { return m_url.isValid() && !m_url.isEmpty(); }
    QUrl url() const { return m_url; }
    /// "http://host:port", the canonical spelling used as a key everywhere.
    QString toString() const;
    /// What a gRPC channel dials: "ipv4:1.2.3.4:2379", "ipv6:[::1]:2379", or "host:2379".
    QString grpcTarget() const;
    bool isTls() const { return m_url.scheme() == QLatin1String("https"); }

    bool operator==(const Endpoint &other) const { return m_url == other.m_url; }

private:
    QUrl m_url;
};
