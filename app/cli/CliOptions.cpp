#include "cli/CliOptions.h"

#include "cli/CommandTable.h"
#include "profile/ClusterManifest.h"
#include "profile/ProfileStore.h"

#include <QProcessEnvironment>

bool CliOptions::parse(const QStringList &arguments, QString *error)
{
    m_parser = std::make_shared<QCommandLineParser>();
    QCommandLineParser &p = *m_parser;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    for (const CommandTable::Option &o : CommandTable::options()) {
        QStringList names {QString::fromLatin1(o.name)};
        if (o.shortName)
            names.prepend(QString::fromLatin1(o.shortName));
        QCommandLineOption option(names, QString::fromUtf8(o.help));
        if (o.valueName)
            option.setValueName(QString::fromLatin1(o.valueName));
        p.addOption(option);
    }
    if (!p.parse(arguments)) {
        *error = p.errorText();
        return false;
    }
    QStringList rest = p.positionalArguments();
    if (rest.isEmpty()) {
        *error = QStringLiteral("no command given; see quorumdeck --help");
        return false;
    }
    command = rest.takeFirst();
    const CommandTable::Command *spec = CommandTable::find(command);
    if (!spec) {
        *error = QStringLiteral("unknown command \"%1\"; see quorumdeck --help").arg(command);
        return false;
    }
    positional = rest;
    for (const QString &name : p.optionNames()) {
        if (!CommandTable::applies(*spec, name)) {
            *error = QStringLiteral("--%1 does not apply to %2")
                         .arg(QLatin1String(CommandTable::findOption(name)->name), command);
            return false;
        }
    }

    const QString format = p.value(QStringLiteral("write-out"));
    if (format.isEmpty() || format == QLatin1String("table") || format == QLatin1String("simple"))
        this->format = Format::Table;
    else if (format == QLatin1String("json"))
        this->format = Format::Json;
    else {
        *error = QStringLiteral("-w %1: the output format is table or json").arg(format);
        return false;
    }

    if (const QString e = settings.applyEnvironment(QProcessEnvironment::systemEnvironment()); !e.isEmpty()) {
        *error = e;
        return false;
    }
    if (p.isSet(QStringLiteral("profile"))) {
        // A profile stands where the environment would; flags still win over both.
        const QString name = p.value(QStringLiteral("profile"));
        const auto loaded = ProfileStore::load(name);
        if (!loaded) {
            const QStringList known = ProfileStore::names();
            *error = known.isEmpty() ? QStringLiteral("no profile is called %1 (none is saved yet)").arg(name)
                                     : QStringLiteral("no profile is called %1; saved profiles: %2")
                                           .arg(name, known.join(QStringLiteral(", ")));
            return false;
        }
        profile = *loaded;
        // The profile replaces what the environment said about the cluster; a password from
        // the environment still serves the same user (a profile never holds one).
        const ConnectionSettings environment = settings;
        settings = profile->connectionSettings();
        settings.deadlines = environment.deadlines;
        if (!environment.password.isEmpty() && (settings.user.isEmpty() || settings.user == environment.user)) {
            if (settings.user.isEmpty())
                settings.user = environment.user;
            settings.password = environment.password;
        }
        if (settings.metricTargets.isEmpty())
            settings.metricTargets = environment.metricTargets;
    }
    auto take = [&](const char *name, QString &into) {
        if (p.isSet(QString::fromLatin1(name)))
            into = p.value(QString::fromLatin1(name));
    };
    take("cacert", settings.tls.caFile);
    take("cert", settings.tls.certFile);
    take("key", settings.tls.keyFile);
    take("server-name", settings.tls.serverName);
    if (p.isSet(QStringLiteral("user")))
        settings.setUserSpec(p.value(QStringLiteral("user")));
    take("password", settings.password);
    if (p.isSet(QStringLiteral("insecure-skip-tls-verify")))
        settings.tls.insecureSkipVerify = true;
    for (const char *flag : {"dial-timeout", "command-timeout"}) {
        const QString name = QString::fromLatin1(flag);
        if (!p.isSet(name))
            continue;
        const auto ms = ConnectionSettings::parseDurationMs(p.value(name));
        if (!ms || *ms <= 0) {
            *error = (ms ? QStringLiteral("--%1 %2: a timeout must be longer than 0; write for example 2s or 500ms")
                         : QStringLiteral("--%1 %2: not a duration; write for example 2s or 500ms"))
                         .arg(name, p.value(name));
            return false;
        }
        if (name == QLatin1String("dial-timeout"))
            settings.deadlines.dialMs = *ms;
        else
            settings.setCommandTimeout(*ms);
    }
    dirGiven = p.isSet(QStringLiteral("dir"));
    dir = dirGiven ? p.value(QStringLiteral("dir")) : ClusterManifest::defaultDirectory();
    return true;
}

void CliOptions::useDemoCredentials(const ClusterManifest &manifest)
{
    // The demo's own certificates and user, unless the command line or the environment
    // names others.
    const ConnectionSettings demo = manifest.connectionSettings();
    // File by file, so that a flag such as --insecure-skip-tls-verify keeps the demo's
    // client certificate (its members demand one).
    if (settings.tls.caFile.isEmpty())
        settings.tls.caFile = demo.tls.caFile;
    if (settings.tls.certFile.isEmpty() && settings.tls.keyFile.isEmpty()) {
        settings.tls.certFile = demo.tls.certFile;
        settings.tls.keyFile = demo.tls.keyFile;
    }
    if (settings.user.isEmpty())
        settings.user = demo.user;
}

QString CliOptions::resolveEndpoints()
{
    const bool endpointsGiven = isSet(QStringLiteral("endpoints"));
    if (endpointsGiven && dirGiven)
        return QStringLiteral("give either --endpoints or --dir, not both");
    if (profile && dirGiven)
        return QStringLiteral("give either --profile or --dir, not both");
    if (endpointsGiven) {
        settings.endpoints = value(QStringLiteral("endpoints")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    } else if (profile && !dirGiven) {
        settings.endpoints = profile->endpoints;
    } else if (dirGiven) {
        const Result<ClusterManifest> manifest = ClusterManifest::read(dir);
        if (!manifest)
            return manifest.error().describe();
        settings.endpoints = manifest->endpoints();
        useDemoCredentials(manifest.value());
    } else if (settings.endpoints.isEmpty()) {
        settings.endpoints = {QStringLiteral("127.0.0.1:2379")};
    }
    return settings.validate();
}

QStringList CliOptions::values(const QString &name) const
{
    QStringList out;
    if (!m_parser)
        return out;
    for (const QString &value : m_parser->values(name)) {
        for (const QString &part : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!part.trimmed().isEmpty())
                out << part.trimmed();
        }
    }
    return out;
}
