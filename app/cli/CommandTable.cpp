#include "cli/CommandTable.h"

#include "cli/AlarmCommand.h"
#include "cli/CheckCommand.h"
#include "cli/CliOptions.h"
#include "cli/EventsCommand.h"
#include "cli/MemberCommand.h"
#include "cli/MoveLeaderCommand.h"
#include "cli/StatusCommand.h"

namespace CommandTable {

namespace {

template <typename C> std::unique_ptr<CliCommand> make(const CliOptions &options)
{
    return std::make_unique<C>(options);
}

// -w and --dir apply to every command; "@connection" in a command's list stands for these.
constexpr const char *kEverywhere[] = {"write-out", "dir"};
constexpr const char *kConnection[] = {"endpoints", "cacert", "cert", "key", "user", "password", "dial-timeout",
    "command-timeout", "server-name", "insecure-skip-tls-verify", "profile"};

constexpr Option kOptions[] = {
    {"write-out", "w", "format", "Output format: table or json.", ValueKind::Format, nullptr},
    {"endpoints", nullptr, "list", "Comma-separated etcd endpoints (host:port or URL).", ValueKind::Text, nullptr},
    {"cacert", nullptr, "file", "CA bundle to verify servers (PEM).", ValueKind::File, nullptr},
    {"cert", nullptr, "file", "Client certificate (PEM).", ValueKind::File, nullptr},
    {"key", nullptr, "file", "Client certificate key (PEM).", ValueKind::File, nullptr},
    {"user", nullptr, "name[:password]", "etcd user.", ValueKind::Text, nullptr},
    {"password", nullptr, "password", "etcd password.", ValueKind::Text, nullptr},
    {"dial-timeout", nullptr, "duration", "Time allowed for one connection attempt (default 2s).", ValueKind::Text,
        nullptr},
    {"command-timeout", nullptr, "duration", "Deadline of each request (default 2s for reads, 5s for changes).",
        ValueKind::Text, nullptr},
    {"server-name", nullptr, "name", "Name to check the server certificate against instead of the endpoint's host.",
        ValueKind::Text, nullptr},
    {"insecure-skip-tls-verify", nullptr, nullptr, "Do not verify the server certificate (unsafe).", ValueKind::None,
        nullptr},
    {"dir", nullptr, "dir", "Demo cluster directory (default: the per-user demo directory).", ValueKind::Directory,
        nullptr},
    {"profile", nullptr, "name",
        "A connection profile saved in the window (endpoints, TLS, user, LB, metric targets, kubeconfig).",
        ValueKind::Profile, nullptr},
    {"peer-urls", nullptr, "urls", "member add: comma-separated peer URLs of the new member.", ValueKind::Text, "add"},
    {"learner", nullptr, nullptr, "member add: add as a non-voting learner.", ValueKind::None, "add"},
    {"force", nullptr, nullptr, "member remove: proceed although the cluster would survive no further failure.",
        ValueKind::None, "remove"},
    {"follow", nullptr, nullptr, "events, k8s logs: print events or lines as they happen until interrupted.",
        ValueKind::None, nullptr},
    {"tail", nullptr, "n", "k8s logs: the last N lines of each master's log to begin with (default 200; 0: all).",
        ValueKind::Text, "logs"},
    {"since", nullptr, "duration", "k8s logs: only lines of the last D, e.g. 10m.", ValueKind::Text, "logs"},
    {"interval", nullptr, "duration", "events: time between ticks (default 500ms, at least 100ms).", ValueKind::Text,
        nullptr},
    {"members", nullptr, "n", "demo up: number of members, 1 to 7 (default 3).", ValueKind::Text, "up"},
    {"etcd", nullptr, "path", "demo up, backup verify: the etcd binary (default: etcd on PATH).", ValueKind::File,
        nullptr},
    {"base-port", nullptr, "port", "demo up: first port to use instead of free ones.", ValueKind::Text, "up"},
    {"quota", nullptr, "bytes", "demo up: backend quota, e.g. 16MiB (default: etcd's 2GiB).", ValueKind::Text, "up"},
    {"auth", nullptr, nullptr, "demo up: etcd authentication with a root user; its generated password is shown once.",
        ValueKind::None, "up"},
    {"auth-token-ttl", nullptr, "seconds", "demo up: how long an idle auth token lives (default: etcd's 300).",
        ValueKind::Text, "up"},
    {"tls", nullptr, nullptr, "demo up: TLS with client certificates on client and peer URLs (a CA in DIR/pki).",
        ValueKind::None, "up"},
    {"size", nullptr, "bytes", "demo fill: stop after writing this much, e.g. 8MiB (default: until NOSPACE).",
        ValueKind::Text, "fill"},
    {"ms", nullptr, "n", "demo net delay: milliseconds added to each chunk on the member's peer links.",
        ValueKind::Text, "net"},
    {"jitter", nullptr, "n", "demo net delay: up to this many milliseconds more or less, at random.", ValueKind::Text,
        "net"},
    {"percent", nullptr, "p", "demo net drop: share of chunks to drop, 0 to 100.", ValueKind::Text, "net"},
    {"duration", nullptr, "duration",
        "demo chaos: how long to inject faults, e.g. 60s (default 60s); alerts watch: how long to watch (default: "
        "until interrupted).",
        ValueKind::Text, nullptr},
    {"seed", nullptr, "n", "demo chaos: seed of the fault schedule; the same seed gives the same schedule.",
        ValueKind::Text, "chaos"},
    {"all", nullptr, nullptr, "defrag: every member, one at a time; leadership moves off the leader before its turn.",
        ValueKind::None, nullptr},
    {"pause", nullptr, "duration",
        "defrag --all, reclaim: wait this long after a member has caught up before the next (default 5s).",
        ValueKind::Text, nullptr},
    {"min-free", nullptr, "size",
        "defrag --all, reclaim: skip members with less reclaimable space (db size - in use) than this, e.g. 64MiB.",
        ValueKind::Text, nullptr},
    {"prefix", nullptr, "prefix", "keyspace: walk only the keys starting with this (default: every key).",
        ValueKind::Text, nullptr},
    {"depth", nullptr, "n",
        "keyspace: group keys by their first N '/'-separated segments, counted from the key's start (default 3).",
        ValueKind::Text, nullptr},
    {"top", nullptr, "k", "keyspace: how many of the largest keys to list (default 10).", ValueKind::Text, nullptr},
    {"compact", nullptr, nullptr, "reclaim: compact the keyspace to the current revision first.", ValueKind::None,
        nullptr},
    {"data-dir", nullptr, "path",
        "restore plan, recover plan: the members' data directory on their hosts (default /var/lib/etcd).",
        ValueKind::Text, "plan"},
    {"to", nullptr, "dir", "backup: the backup directory (default: the per-user data directory's backups/CLUSTER-ID).",
        ValueKind::Directory, nullptr},
    {"from", nullptr, "member",
        "backup save: the member to stream from (default: the most up-to-date follower); demo recover, recover "
        "plan: the surviving member to rebuild the cluster from.",
        ValueKind::Text, nullptr},
    {"rollback", nullptr, nullptr,
        "demo restore, demo recover: undo an unfinished run, putting back the data it moved aside.", ValueKind::None,
        nullptr},
    {"keep", nullptr, "n", "backup save: afterwards keep only the newest N of this cluster's backups in the directory.",
        ValueKind::Text, "save"},
    {"kubeconfig", nullptr, "file",
        "k8s: the kubeconfig (default: $KUBECONFIG, else ~/.kube/config); certs --pki: kubeconfigs whose client "
        "certificates to list too (comma-separated, or repeated); events: follow the control plane's leases too.",
        ValueKind::File, nullptr},
    {"pki", nullptr, "dir",
        "certs: a kubeadm PKI directory (e.g. /etc/kubernetes/pki): every *.crt under it, sorted by expiry.",
        ValueKind::Directory, nullptr},
    {"context", nullptr, "name", "k8s: the kubeconfig context (default: its current-context).", ValueKind::Text,
        nullptr},
    {"prometheus", nullptr, "url",
        "metrics query: a Prometheus-compatible server (Prometheus, Thanos, Mimir, VictoriaMetrics), e.g. "
        "http://prometheus:9090 (default: the profile's).",
        ValueKind::Text, nullptr},
    {"alertmanager", nullptr, "url", "alerts: list the alerts this Alertmanager holds (API v2), e.g. http://am:9093.",
        ValueKind::Text, nullptr},
    {"bearer-token-file", nullptr, "file",
        "metrics query, alerts --alertmanager: a file holding the bearer token the server wants (https servers are "
        "checked with --cacert, and get --cert and --key).",
        ValueKind::File, nullptr},
    {"cluster", nullptr, "name", "alerts --alertmanager: only the alerts whose cluster label is NAME.", ValueKind::Text,
        nullptr},
    {"start", nullptr, "time",
        "metrics query: the start of a range: RFC 3339, unix seconds, now, or relative such as -30m.", ValueKind::Text,
        nullptr},
    {"end", nullptr, "time", "metrics query: the end of a range (default now), or the time of an instant query.",
        ValueKind::Text, nullptr},
    {"step", nullptr, "step",
        "metrics query: the range's resolution, a duration (15s) or seconds (default: the range over 250 points, at "
        "least 1s).",
        ValueKind::Text, nullptr},
    {"haproxy-stats", nullptr, "url",
        "lb, k8s control-plane: an HAProxy stats page (CSV), e.g. http://lb:8404/stats;csv (k8s: the one in front "
        "of the API servers).",
        ValueKind::Text, nullptr},
    {"haproxy-socket", nullptr, "path", "lb, k8s control-plane: an HAProxy admin socket.", ValueKind::File, nullptr},
    {"backend", nullptr, "name",
        "lb: the HAProxy backend in front of etcd (default: etcd_members); k8s control-plane: the one in front of the "
        "API servers (default: the backend holding their addresses).",
        ValueKind::Text, nullptr},
};

constexpr Command kCommands[] = {
    {"status",
        "  status                          the cluster as one snapshot (exit 0 healthy, 2 degraded, 1 no answer)\n", "",
        "@connection", Home::Binary, &make<StatusCommand>},
    {"member",
        "  member list                     members and their URLs\n"
        "  member add NAME --peer-urls URLS [--learner]\n"
        "  member remove MEMBER [--force]  refused when it would break quorum\n"
        "  member promote MEMBER           promote a learner once it has caught up\n",
        "list add remove promote", "@connection peer-urls learner force", Home::Binary, &make<MemberCommand>},
    {"move-leader", "  move-leader [MEMBER]            transfer leadership (default: the most up-to-date follower)\n",
        "", "@connection", Home::Binary, &make<MoveLeaderCommand>},
    {"events",
        "  events --follow [--kubeconfig FILE]\n"
        "                                  cluster events as they happen, one per line; with a kubeconfig, the\n"
        "                                  control plane's leader leases changing hands or going stale too\n",
        "", "@connection follow interval kubeconfig", Home::Binary, &make<EventsCommand>},
    {"metrics",
        "  metrics scrape URL              one /metrics scrape, parsed (exit 2 when lines were rejected)\n"
        "  metrics query EXPR --prometheus URL [--start T] [--end T] [--step S]\n"
        "                                  a PromQL query, instant without --start, else over a range\n",
        "scrape query",
        "cacert cert key command-timeout server-name profile prometheus start end step bearer-token-file", Home::Tools,
        nullptr},
    {"lb",
        "  lb [--haproxy-stats URL | --haproxy-socket PATH] [--backend NAME]\n"
        "                                  the load balancer's view of each backend beside the console's probe\n"
        "                                  (default: the demo cluster's; exit 2 on drift or a backend not UP)\n",
        "", "endpoints cacert cert key command-timeout server-name profile haproxy-stats haproxy-socket backend",
        Home::Tools, nullptr},
    {"volumes",
        "  volumes                         each member's database size, fragmentation, quota headroom and alarms\n"
        "                                  (with --dir also the data directory's disk; exit 2 on an alarm)\n",
        "", "@connection", Home::Tools, nullptr},
    {"alarm", "  alarm list | alarm disarm [MEMBER]\n", "list disarm", "@connection", Home::Binary,
        &make<AlarmCommand>},
    {"check",
        "  check consistency               every voter's keyspace hash at one revision (exit 0 consistent,\n"
        "                                  2 divergent members, 1 too few answers to decide)\n",
        "consistency", "@connection", Home::Binary, &make<CheckCommand>},
    {"defrag",
        "  defrag MEMBER | defrag --all [--pause D] [--min-free SIZE]\n"
        "                                  defragment, one member at a time, never the leader in place\n",
        "", "@connection all pause min-free", Home::Tools, nullptr},
    {"reclaim",
        "  reclaim [--compact] [--pause D] [--min-free SIZE]\n"
        "                                  the space runbook: compact, defragment each member, disarm NOSPACE\n",
        "", "@connection compact pause min-free", Home::Tools, nullptr},
    {"keyspace",
        "  keyspace [--prefix P] [--depth N] [--top K]\n"
        "                                  what fills the database: keys and bytes per prefix, the largest keys\n",
        "", "@connection prefix depth top", Home::Tools, nullptr},
    {"alerts",
        "  alerts                          what is pending or firing after 5 s of scraping (exit 2 if any)\n"
        "  alerts watch [--duration D]     each alert as it turns pending, firing or resolved\n"
        "  alerts rules                    the etcd alert rules as a Prometheus rules file\n"
        "  alerts --alertmanager URL [--cluster NAME]\n"
        "                                  the alerts an Alertmanager holds, silenced ones too\n",
        "rules watch", "@connection duration alertmanager cluster bearer-token-file", Home::Tools, nullptr},
    {"certs",
        "  certs                           certificate diagnostics: the chain each endpoint presents, the client\n"
        "                                  certificate, and one sentence for each failure (exit 2 on any)\n"
        "  certs --pki DIR [--kubeconfig FILE]\n"
        "                                  a control plane's certificates by expiry (exit 2 when any is critical)\n",
        "", "@connection pki kubeconfig", Home::Tools, nullptr},
    {"k8s",
        "  k8s volumes [--kubeconfig FILE] [--context NAME]\n"
        "                                  the Kubernetes cluster's persistent volumes, claims and storage classes\n"
        "  k8s control-plane [--kubeconfig FILE] [--context NAME] [--haproxy-stats URL | --haproxy-socket PATH]\n"
        "                                  API servers (direct and through the LB), leader leases, masters and their\n"
        "                                  static pods; with the HAProxy in front, its backends matched to the API\n"
        "                                  servers (exit 2 when anything is not ready, stale or drifting)\n"
        "  k8s logs COMPONENT [--follow] [--tail N] [--since D]\n"
        "                                  etcd, kube-apiserver, kube-scheduler or kube-controller-manager from\n"
        "                                  every master, merged by time, leadership lines marked\n",
        "volumes control-plane logs:etcd,kube-apiserver,kube-scheduler,kube-controller-manager",
        "profile kubeconfig context follow tail since haproxy-stats haproxy-socket backend", Home::Tools, nullptr},
    {"backup",
        "  backup save [--to DIR] [--from MEMBER] [--keep N]\n"
        "                                  stream a snapshot from a member into DIR with a manifest beside it\n"
        "  backup list [--to DIR]          the backups in DIR (default: every cluster's) with their state\n"
        "  backup verify FILE [--etcd PATH]\n"
        "                                  check its hashes and restore it into a throw-away etcd\n"
        "                                  (exit 0 verified or hash checked, 2 a check failed, 1 could not run)\n",
        "save list verify", "@connection to from keep etcd", Home::Tools, nullptr},
    {"restore",
        "  restore plan FILE [--data-dir PATH]\n"
        "                                  the commands that restore a real cluster from a backup, per host\n",
        "plan", "@connection data-dir", Home::Tools, nullptr},
    {"recover",
        "  recover plan [--from MEMBER] [--data-dir PATH]\n"
        "                                  after quorum loss, the commands that rebuild the cluster from one\n"
        "                                  member (default: the answering member with the highest raft index)\n",
        "plan", "@connection from data-dir", Home::Tools, nullptr},
    {"demo",
        "  demo up [--members N] [--etcd PATH] [--base-port P] [--quota SIZE] [--tls] [--auth]\n"
        "  demo status | down\n"
        "  demo fill [--size SIZE]         write until etcd raises NOSPACE (try it with demo up --quota 16MiB)\n"
        "  demo restore FILE               verify a backup and put it back into every demo member\n"
        "  demo recover --from MEMBER      rebuild the demo from one member after losing a majority\n"
        "  demo restore|recover --rollback put back what an unfinished restore or recovery moved aside\n"
        "  demo stop|kill|pause|resume|restart MEMBER\n"
        "  demo net isolate|heal MEMBER     cut a member off from its peers (both ways), or restore its links\n"
        "  demo net delay MEMBER --ms N [--jitter N]\n"
        "  demo net drop MEMBER --percent P\n"
        "  demo net status | clear         faults on each member's peer links (exit 2 while any is set); lift all\n"
        "  demo net serve                  run the demo's peer proxies (demo up starts this for you)\n"
        "  demo chaos [--duration D] [--seed S]\n"
        "                                  random, reproducible faults while checking Raft's and the console's\n"
        "                                  invariants; heals everything and exits 1 on any violation\n"
        "\n",
        "up down status fill restore recover stop kill pause resume restart "
        "net:isolate,heal,delay,drop,status,clear,serve chaos",
        "members etcd base-port quota auth auth-token-ttl tls size ms jitter percent duration seed from rollback user "
        "password",
        Home::Tools, nullptr},
};

QStringList words(const char *text)
{
    return QString::fromLatin1(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QString optionLine(const Option &o)
{
    QString flag = o.shortName ? QStringLiteral("-%1, --%2").arg(QLatin1String(o.shortName), QLatin1String(o.name))
                               : QStringLiteral("    --%1").arg(QLatin1String(o.name));
    if (o.valueName)
        flag += QStringLiteral(" <%1>").arg(QLatin1String(o.valueName));
    return QStringLiteral("  %1 %2\n").arg(flag.leftJustified(34), QString::fromUtf8(o.help));
}

const QString kEnvironmentNote
    = QStringLiteral("\nThe etcdctl environment (ETCDCTL_ENDPOINTS, ETCDCTL_CACERT, ETCDCTL_CERT, ETCDCTL_KEY,\n"
                     "ETCDCTL_USER, ETCDCTL_DIAL_TIMEOUT, ETCDCTL_COMMAND_TIMEOUT) is read too; flags win.\n");

} // namespace

std::span<const Command> commands()
{
    return kCommands;
}

std::span<const Option> options()
{
    return kOptions;
}

const Command *find(const QString &name)
{
    for (const Command &c : kCommands) {
        if (name == QLatin1String(c.name))
            return &c;
    }
    return nullptr;
}

const Option *findOption(const QString &name)
{
    for (const Option &o : kOptions) {
        if (name == QLatin1String(o.name) || (o.shortName && name == QLatin1String(o.shortName)))
            return &o;
    }
    return nullptr;
}

QStringList optionsOf(const Command &command)
{
    QStringList listed;
    for (const char *name : kEverywhere)
        listed << QString::fromLatin1(name);
    for (const QString &word : words(command.options)) {
        if (word == QLatin1String("@connection")) {
            for (const char *name : kConnection)
                listed << QString::fromLatin1(name);
        } else {
            listed << word;
        }
    }
    QStringList out; // in the table's order
    for (const Option &o : kOptions) {
        if (listed.contains(QLatin1String(o.name)))
            out << QString::fromLatin1(o.name);
    }
    return out;
}

bool applies(const Command &command, const QString &option)
{
    const Option *o = findOption(option);
    return o && optionsOf(command).contains(QLatin1String(o->name));
}

QStringList subcommandsOf(const Command &command)
{
    QStringList out;
    for (const QString &word : words(command.subcommands))
        out << word.section(QLatin1Char(':'), 0, 0);
    return out;
}

QStringList verbsOf(const Command &command, const QString &sub)
{
    for (const QString &word : words(command.subcommands)) {
        if (word.section(QLatin1Char(':'), 0, 0) == sub && word.contains(QLatin1Char(':')))
            return word.section(QLatin1Char(':'), 1).split(QLatin1Char(','), Qt::SkipEmptyParts);
    }
    return {};
}

QString usage()
{
    QString out = QStringLiteral("Usage: quorumdeck [--demo]                  open the console window\n"
                                 "       quorumdeck COMMAND [options]            run one command without a window\n"
                                 "       quorumdeck COMMAND --help               one command's usage and options\n"
                                 "\nCommands:\n");
    for (const Command &c : kCommands)
        out += QString::fromUtf8(c.usage);
    out += QStringLiteral("\nMEMBER is a member id (16 hex digits) or name.\n\nOptions:\n");
    for (const Option &o : kOptions)
        out += optionLine(o);
    return out + kEnvironmentNote;
}

QString help(const Command &command)
{
    QString out = QStringLiteral("Usage:\n") + QString::fromUtf8(command.usage);
    if (QString::fromUtf8(command.usage).contains(QLatin1String("MEMBER")))
        out += QStringLiteral("\nMEMBER is a member id (16 hex digits) or name.\n");
    out += QStringLiteral("\nOptions:\n");
    const QStringList applicable = optionsOf(command);
    for (const Option &o : kOptions) {
        if (applicable.contains(QLatin1String(o.name)))
            out += optionLine(o);
    }
    if (QString::fromLatin1(command.options).contains(QLatin1String("@connection")))
        out += kEnvironmentNote;
    return out;
}

} // namespace CommandTable
