#include "lb/HaproxyConfig.h"

QString HaproxyConfig::text() const
{
    QString out;
    out += QStringLiteral("# Written by QuorumDeck for its demo cluster; rewritten on every start.\n");
    out += QStringLiteral("global\n");
    out += QStringLiteral("    stats socket \"%1\" mode 600 level admin\n").arg(socketPath);
    out += QStringLiteral("    log stderr format short local0 notice\n");
    out += QStringLiteral("\ndefaults\n");
    out += QStringLiteral("    mode tcp\n    log global\n");
    out += QStringLiteral("    timeout connect 1s\n    timeout client 1h\n    timeout server 1h\n");
    out += QStringLiteral("\nfrontend %1\n").arg(QLatin1String(kFrontend));
    out += QStringLiteral("    bind 127.0.0.1:%1\n").arg(frontendPort);
    out += QStringLiteral("    default_backend %1\n").arg(QLatin1String(kBackend));
    out += QStringLiteral("\nbackend %1\n").arg(QLatin1String(kBackend));
    out += QStringLiteral("    balance roundrobin\n");
    // etcd answers /health with 200 only when it has a leader and no alarm.
    out += QStringLiteral("    option httpchk GET /health\n");
    out += QStringLiteral("    http-check expect status 200\n");
    for (const Server &s : servers)
        out += QStringLiteral("    server %1 %2 %3\n").arg(s.name, s.address, checkOptions());
    out += QStringLiteral("\nlisten stats\n");
    out += QStringLiteral("    bind 127.0.0.1:%1\n").arg(statsPort);
    out += QStringLiteral("    mode http\n    stats enable\n    stats uri /stats\n    stats refresh 5s\n");
    return out;
}

QString HaproxyConfig::checkOptions(bool forAdminSocket) const
{
    QString options = QStringLiteral("check inter %1ms fall %2 rise %3").arg(checkIntervalMs).arg(fall).arg(rise);
    if (!checkCaFile.isEmpty() && forAdminSocket) {
        auto escaped = [](QString path) { return path.replace(QLatin1Char(' '), QLatin1String("\\ ")); };
        options += QStringLiteral(" check-ssl verify required ca-file %1 crt %2")
                       .arg(escaped(checkCaFile), escaped(checkCertBundle));
    } else if (!checkCaFile.isEmpty())
        options
            += QStringLiteral(" check-ssl verify required ca-file \"%1\" crt \"%2\"").arg(checkCaFile, checkCertBundle);
    return options;
}

QString HaproxyConfig::statsUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1/stats;csv").arg(statsPort);
}

QString HaproxyConfig::frontendAddress() const
{
    return QStringLiteral("127.0.0.1:%1").arg(frontendPort);
}
