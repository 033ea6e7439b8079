#include "cli/CliOptions.h"

#include "local/ClusterManifest.h"
#include "profile/ProfileStore.h"

#include <QHash>
#include <QProcessEnvironment>

namespace {

struct OptionSpec {
    const char *name;
    const char *shortName;
    const char *valueName; // nullptr for a switch
    const char *help;
    const char *commands; // space-separated commands it applies to; "*" for all
};

constexpr OptionSpec kOptions[] = {
    {"write-out", "w", "format", "Output format: table or json.", "*"},
    {"endpoints", nullptr, "list", "Comma-separated etcd endpoints (host:port or URL).",
        "status member move-leader events lb volumes alarm defrag reclaim certs"},
    {"cacert", nullptr, "file", "CA bundle to verify servers (PEM).",
        "status member move-leader events metrics lb volumes alarm defrag reclaim certs"},
    {"cert", nullptr, "file", "Client certificate (PEM).",
        "status member move-leader events metrics lb volumes alarm defrag reclaim certs"},
    {"key", nullptr, "file", "Client certificate key (PEM).",
        "status member move-leader events metrics lb volumes alarm defrag reclaim certs"},
    {"user", nullptr, "name[:password]", "etcd user.",
        "status member move-leader events volumes alarm defrag reclaim certs"},
    {"password", nullptr, "password", "etcd password.",
        "status member move-leader events volumes alarm defrag reclaim certs"},
    {"dial-timeout", nullptr, "duration", "Time allowed for one connection attempt (default 2s).",
        "status member move-leader events volumes alarm defrag reclaim certs"},
    {"command-timeout", nullptr, "duration", "Deadline of each request (default 2s for reads, 5s for changes).",
        "status member move-leader events metrics lb volumes alarm defrag reclaim certs"},
    {"server-name", nullptr, "name", "Name to check the server certificate against instead of the endpoint's host.",
        "status member move-leader events metrics lb volumes alarm defrag reclaim certs"},
    {"insecure-skip-tls-verify", nullptr, nullptr, "Do not verify the server certificate (unsafe).",
        "status member move-leader events volumes alarm defrag reclaim certs"},
    {"dir", nullptr, "dir", "Demo cluster directory (default: the per-user demo directory).", "*"},
    {"profile", nullptr, "name",
        "A connection profile saved in the window (endpoints, TLS, user, LB, metric targets, kubeconfig).",
        "status member move-leader events metrics lb volumes alarm defrag reclaim certs k8s"},
    {"peer-urls", nullptr, "urls", "member add: comma-separated peer URLs of the new member.", "member"},
    {"learner", nullptr, nullptr, "member add: add as a non-voting learner.", "member"},
    {"force", nullptr, nullptr, "member remove: proceed although the cluster would survive no further failure.",
        "member"},
    {"follow", nullptr, nullptr, "events: print events as they happen until interrupted.", "events"},
    {"interval", nullptr, "duration", "events: time between ticks (default 500ms, at least 100ms).", "events"},
    {"members", nullptr, "n", "demo up: number of members, 1 to 7 (default 3).", "demo"},
    {"etcd", nullptr, "path", "demo up: the etcd binary (default: etcd on PATH).", "demo"},
    {"base-port", nullptr, "port", "demo up: first port to use instead of free ones.", "demo"},
    {"quota", nullptr, "bytes", "demo up: backend quota, e.g. 16MiB (default: etcd's 2GiB).", "demo"},
    {"auth", nullptr, nullptr, "demo up: etcd authentication with a root user; its generated password is shown once.",
        "demo"},
    {"auth-token-ttl", nullptr, "seconds", "demo up: how long an idle auth token lives (default: etcd's 300).", "demo"},
    {"tls", nullptr, nullptr, "demo up: TLS with client certificates on client and peer URLs (a CA in DIR/pki).",
        "demo"},
    {"size", nullptr, "bytes", "demo fill: stop after writing this much, e.g. 8MiB (default: until NOSPACE).", "demo"},
    {"ms", nullptr, "n", "demo net delay: milliseconds added to each chunk on the member's peer links.", "demo"},
    {"jitter", nullptr, "n", "demo net delay: up to this many milliseconds more or less, at random.", "demo"},
    {"percent", nullptr, "p", "demo net drop: share of chunks to drop, 0 to 100.", "demo"},
    {"duration", nullptr, "duration", "demo chaos: how long to inject faults, e.g. 60s (default 60s).", "demo"},
    {"seed", nullptr, "n", "demo chaos: seed of the fault schedule; the same seed gives the same schedule.", "demo"},
    {"all", nullptr, nullptr, "defrag: every member, one at a time, the leader last.", "defrag"},
    {"compact", nullptr, nullptr, "reclaim: compact the keyspace to the current revision first.", "reclaim"},
    {"kubeconfig", nullptr, "file", "k8s: the kubeconfig (default: $KUBECONFIG, else ~/.kube/config).", "k8s"},
    {"context", nullptr, "name", "k8s: the kubeconfig context (default: its current-context).", "k8s"},
    {"haproxy-stats", nullptr, "url", "lb: an HAProxy stats page (CSV), e.g. http://lb:8404/stats;csv.", "lb"},
    {"haproxy-socket", nullptr, "path", "lb: an HAProxy admin socket.", "lb"},
    {"backend", nullptr, "name", "lb: the HAProxy backend in front of etcd (default: etcd_members).", "lb"},
};

const QStringList kCommands = {QStringLiteral("status"), QStringLiteral("member"), QStringLiteral("move-leader"),
    QStringLiteral("events"), QStringLiteral("demo"), QStringLiteral("metrics"), QStringLiteral("lb"),
    QStringLiteral("volumes"), QStringLiteral("alarm"), QStringLiteral("defrag"), QStringLiteral("reclaim"),
    QStringLiteral("k8s"), QStringLiteral("certs")};

QString optionHelp()
{
    QString out;
    for (const OptionSpec &o : kOptions) {
        QString flag = o.shortName ? QStringLiteral("-%1, --%2").arg(QLatin1String(o.shortName), QLatin1String(o.name))
                                   : QStringLiteral("    --%1").arg(QLatin1String(o.name));
        if (o.valueName)
            flag += QStringLiteral(" <%1>").arg(QLatin1String(o.valueName));
        out += QStringLiteral("  %1 %2\n").arg(flag.leftJustified(34), QString::fromUtf8(o.help));
    }
    out += QStringLiteral("\nThe etcdctl environment (ETCDCTL_ENDPOINTS, ETCDCTL_CACERT, ETCDCTL_CERT, ETCDCTL_KEY,\n"
                          "ETCDCTL_USER, ETCDCTL_DIAL_TIMEOUT, ETCDCTL_COMMAND_TIMEOUT) is read too; flags win.\n");
    return out;
}

} // namespace

QString CliOptions::usage()
{
    return QStringLiteral(R"(Usage: quorumdeck [--demo]                  open the console window
       quorumdeck COMMAND [options]            run one command without a window

Commands:
  status                          the cluster as one snapshot (exit 0 healthy, 2 degraded, 1 no answer)
  member list                     members and their URLs
  member add NAME --peer-urls URLS [--learner]
  member remove MEMBER [--force]  refused when it would break quorum
  member promote MEMBER           promote a learner once it has caught up
  move-leader [MEMBER]            transfer leadership (default: the most up-to-date follower)
  events --follow                 cluster events as they happen, one per line
  metrics scrape URL              one /metrics scrape, parsed (exit 2 when lines were rejected)
  lb [--haproxy-stats URL | --haproxy-socket PATH] [--backend NAME]
                                  the load balancer's view of each backend beside the console's probe
                                  (default: the demo cluster's; exit 2 on drift or a backend not UP)
  volumes                         each member's database size, fragmentation, quota headroom and alarms
                                  (with --dir also the data directory's disk; exit 2 on an alarm)
  alarm list | alarm disarm [MEMBER]
  defrag MEMBER | defrag --all    defragment, one member at a time, the leader last
  reclaim [--compact]             the space runbook: compact, defragment each member, disarm NOSPACE
  certs                           certificate diagnostics: the chain each endpoint presents, the client
                                  certificate, and one sentence for each failure (exit 2 on any)
  k8s volumes [--kubeconfig FILE] [--context NAME]
                                  the Kubernetes cluster's persistent volumes, claims and storage classes
  demo up [--members N] [--etcd PATH] [--base-port P] [--quota SIZE] [--tls] [--auth]
  demo status | down
  demo fill [--size SIZE]         write until etcd raises NOSPACE (try it with demo up --quota 16MiB)
  demo stop|kill|pause|resume|restart MEMBER
  demo net isolate|heal MEMBER     cut a member off from its peers (both ways), or restore its links
  demo net delay MEMBER --ms N [--jitter N]
  demo net drop MEMBER --percent P
  demo net status | clear         faults on each member's peer links (exit 2 while any is set); lift all
  demo net serve                  run the demo's peer proxies (demo up starts this for you)
  demo chaos [--duration D] [--seed S]
                                  random, reproducible faults while checking Raft's and the console's
                                  invariants; heals everything and exits 1 on any violation

MEMBER is a member id (16 hex digits) or name.

Options:
)") + optionHelp();
}

bool CliOptions::parse(const QStringList &arguments, QString *error)
{
    m_parser = std::make_shared<QCommandLineParser>();
    QCommandLineParser &p = *m_parser;
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    QHash<QString, QString> appliesTo;
    for (const OptionSpec &o : kOptions) {
        QStringList names {QString::fromLatin1(o.name)};
        if (o.shortName)
            names.prepend(QString::fromLatin1(o.shortName));
        QCommandLineOption option(names, QString::fromUtf8(o.help));
        if (o.valueName)
            option.setValueName(QString::fromLatin1(o.valueName));
        p.addOption(option);
        appliesTo.insert(QString::fromLatin1(o.name), QString::fromLatin1(o.commands));
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
    if (!kCommands.contains(command)) {
        *error = QStringLiteral("unknown command \"%1\"; see quorumdeck --help").arg(command);
        return false;
    }
    positional = rest;
    for (const QString &name : p.optionNames()) {
        const QString long_ = name == QLatin1String("w") ? QStringLiteral("write-out") : name;
        const QString commands = appliesTo.value(long_);
        if (commands != QLatin1String("*") && !commands.split(QLatin1Char(' ')).contains(command)) {
            *error = QStringLiteral("--%1 does not apply to %2").arg(long_, command);
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
        ClusterManifest manifest;
        if (const QString e = ClusterManifest::load(dir, &manifest); !e.isEmpty())
            return e;
        settings.endpoints = manifest.endpoints();
        useDemoCredentials(manifest);
    } else if (settings.endpoints.isEmpty()) {
        settings.endpoints = {QStringLiteral("127.0.0.1:2379")};
    }
    return settings.validate();
}
