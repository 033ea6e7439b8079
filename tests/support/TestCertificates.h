#pragma once

#include <QDir>
#include <QProcess>
#include <QString>
#include <QStringList>

/// A throw-away certificate authority with a server certificate for 127.0.0.1 (RSA) and a
/// client certificate (EC), made with the openssl command in a directory the test owns.
/// ok() is false, and error() says why, when openssl is missing or fails.
class TestCertificates {
public:
    explicit TestCertificates(const QString &dir)
        : m_dir(dir)
    {
        QFile ext(path("server.ext"));
        if (ext.open(QIODevice::WriteOnly))
            ext.write("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        ext.close();
        QFile clientExt(path("client.ext"));
        if (clientExt.open(QIODevice::WriteOnly))
            clientExt.write("extendedKeyUsage=clientAuth\n");
        clientExt.close();
        const QString ec = QStringLiteral("ec_paramgen_curve:prime256v1");
        m_ok = run({"req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", path("ca.key"), "-out",
                   path("ca.pem"), "-days", "2", "-subj", "/CN=QuorumDeck test CA"})
            && run({"req", "-newkey", "rsa:2048", "-nodes", "-keyout", path("server.key"), "-out", path("server.csr"),
                "-subj", "/CN=127.0.0.1"})
            && run({"x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-out", path("server.pem"), "-days", "2", "-extfile", path("server.ext")})
            && run({"req", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", path("client.key"), "-out",
                path("client.csr"), "-subj", "/CN=root"})
            && run({"x509", "-req", "-in", path("client.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-out", path("client.pem"), "-days", "2", "-extfile", path("client.ext")});
    }

    bool ok() const { return m_ok; }
    QString error() const { return m_error; }
    QString path(const QString &name) const { return QDir(m_dir).filePath(name); }

private:
    bool run(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral("openssl"), args);
        if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            m_error = QStringLiteral("openssl %1: %2%3")
                          .arg(args.first(), p.errorString(), QString::fromLocal8Bit(p.readAllStandardError()));
            return false;
        }
        return true;
    }

    QString m_dir;
    bool m_ok = false;
    QString m_error;
};
