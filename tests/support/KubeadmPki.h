#pragma once

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

/// A throw-away PKI laid out as kubeadm lays out /etc/kubernetes/pki (the cluster CA, the
/// API server's certificates, the front proxy's, etcd's under etcd/), made with the openssl
/// command, each certificate valid for the days the test asks. ok() is false, and error()
/// says why, when openssl is missing or fails.
class KubeadmPki {
public:
    explicit KubeadmPki(const QString &dir)
        : m_dir(dir)
    {
        QDir().mkpath(path("etcd"));
    }

    /// A self-signed CA at name.crt / name.key.
    bool ca(const QString &name, const QString &commonName, int days = 3650)
    {
        return run({"req", "-x509", "-newkey", "ec", "-pkeyopt", kCurve, "-nodes", "-keyout", path(name + ".key"),
            "-out", path(name + ".crt"), "-days", QString::number(days), "-subj", "/CN=" + commonName});
    }

    /// A certificate at name.crt signed by the CA at caName, for `subject` (an openssl
    /// subject, "/CN=…/O=…") and `sans` ("DNS:kubernetes,IP:10.96.0.1"; "" for none).
    bool issue(const QString &name, const QString &caName, const QString &subject, int days, const QString &sans = {})
    {
        QFile ext(path(name + ".ext"));
        if (!ext.open(QIODevice::WriteOnly))
            return fail("cannot write " + ext.fileName());
        if (!sans.isEmpty())
            ext.write("subjectAltName=" + sans.toUtf8() + "\n");
        ext.write("basicConstraints=CA:FALSE\n");
        ext.close();
        const bool made = run({"req", "-newkey", "ec", "-pkeyopt", kCurve, "-nodes", "-keyout", path(name + ".key"),
                              "-out", path(name + ".csr"), "-subj", subject})
            && run({"x509", "-req", "-in", path(name + ".csr"), "-CA", path(caName + ".crt"), "-CAkey",
                path(caName + ".key"), "-CAcreateserial", "-out", path(name + ".crt"), "-days", QString::number(days),
                "-extfile", ext.fileName()});
        QFile::remove(path(name + ".csr"));
        QFile::remove(ext.fileName());
        return made;
    }

    /// The PEM of a file of the PKI.
    QByteArray read(const QString &name) const
    {
        QFile f(path(name));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    /// What `openssl x509 -enddate` says of a certificate: the reference the console agrees with.
    QString opensslEndDate(const QString &name)
    {
        QProcess p;
        p.start(QStringLiteral("openssl"), {"x509", "-noout", "-enddate", "-in", path(name)});
        p.waitForFinished(30000);
        return QString::fromLatin1(p.readAllStandardOutput()).trimmed().section(QLatin1Char('='), 1);
    }

    QString error() const { return m_error; }
    QString path(const QString &name) const { return QDir(m_dir).filePath(name); }

private:
    static constexpr const char *kCurve = "ec_paramgen_curve:prime256v1";

    bool fail(const QString &why)
    {
        m_error = why;
        return false;
    }

    bool run(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral("openssl"), args);
        if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            return fail(QStringLiteral("openssl %1: %2%3")
                            .arg(args.first(), p.errorString(), QString::fromLocal8Bit(p.readAllStandardError())));
        return true;
    }

    QString m_dir;
    QString m_error;
};
