#include "etcd/EtcdError.h"

namespace {

struct KnownError {
    const char *needle; // a substring of etcd's message
    const char *sentence;
};

// etcd's messages are stable across 3.4 and 3.5; the sentences say what to do about them.
constexpr KnownError kKnown[] = {
    {"not leader", "the member asked is not the leader; the request must go to the leader"},
    {"bad leader transferee", "the target cannot become leader: it is unknown to the cluster or a learner"},
    {"leader transfer took too long",
        "the leader transfer did not finish in time; the target may be lagging or unreachable"},
    {"can only promote a learner member which is in sync with leader",
        "the learner has not caught up with the leader yet (it must be within 90 %); try again shortly"},
    {"can only promote a learner member", "only a learner can be promoted; this member already votes"},
    {"too many learner members", "the cluster already has a learner; promote or remove it first"},
    {"member not found", "no member with that id exists in the cluster"},
    {"Peer URLs already exists", "another member already uses that peer URL"},
    {"given member URLs are invalid", "etcd rejected the peer URLs as invalid"},
    {"not enough started members", "the change was refused: too few members are started for it to be safe"},
    {"unhealthy cluster",
        "the leader does not yet see every voter as active (common for a few seconds after an election); try again in "
        "about 5 s"},
    {"rpc not supported for learner", "the member asked is a learner, which serves only Status and serializable reads"},
    {"no leader", "the cluster has no leader: quorum is lost or an election is under way"},
    {"database space exceeded",
        "the database has reached its quota (NOSPACE alarm): compact, defragment and disarm the alarm"},
    {"invalid auth token", "the authentication token expired or is invalid; authenticate again"},
    {"authentication failed", "wrong user name or password"},
    {"user name is empty", "the cluster requires authentication; give --user"},
    {"permission denied", "the user lacks the permission for this (member changes need the root role)"},
    {"request timed out", "etcd did not commit the request in time; the cluster may be overloaded or losing quorum"},
    {"request cancelled", "the request was cancelled"},
    {"membership change", "the request was dropped by a concurrent membership change; try again"},
};

} // namespace

QString EtcdError::codeName() const
{
    static const char *const names[] = {"OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound",
        "AlreadyExists", "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange",
        "Unimplemented", "Internal", "Unavailable", "DataLoss", "Unauthenticated"};
    if (code >= 0 && code < int(std::size(names)))
        return QString::fromLatin1(names[code]);
    return QStringLiteral("Code%1").arg(code);
}

EtcdError EtcdError::fromStatus(int code, const QString &message, const QString &endpoint)
{
    EtcdError e;
    e.code = code;
    e.message = message;
    for (const KnownError &k : kKnown) {
        if (message.contains(QLatin1String(k.needle), Qt::CaseInsensitive)) {
            e.sentence = QString::fromUtf8(k.sentence);
            return e;
        }
    }
    switch (code) {
    case DeadlineExceeded:
        e.sentence
            = QStringLiteral("%1 did not answer before the deadline (stopped, paused or overloaded)").arg(endpoint);
        break;
    case Unavailable:
        if (message.startsWith(QLatin1String("etcdserver:")))
            // etcd itself is up and declined for now (not a transport failure).
            e.sentence = QStringLiteral("%1 could not serve the request now: %2").arg(endpoint, message);
        else if (message.contains(QLatin1String("timed out"), Qt::CaseInsensitive))
            // gRPC reports a connection attempt that outlived the dial timeout as unavailable.
            e.sentence = QStringLiteral("%1 did not complete the connection within the dial timeout (nothing "
                                        "answers there, or the port accepts but does not speak etcd's gRPC, as a "
                                        "TLS port reached with http:// does not)")
                             .arg(endpoint);
        else if (message.contains(QLatin1String("handshake"), Qt::CaseInsensitive)
            || message.contains(QLatin1String("ssl"), Qt::CaseInsensitive)
            || message.contains(QLatin1String("certificate"), Qt::CaseInsensitive))
            e.sentence = QStringLiteral("the TLS handshake with %1 failed: %2").arg(endpoint, message);
        else
            e.sentence = QStringLiteral("%1 cannot be reached (connection refused or closed)").arg(endpoint);
        break;
    case Unauthenticated:
        e.sentence = QStringLiteral("%1 refused the credentials").arg(endpoint);
        break;
    case PermissionDenied:
        e.sentence = QStringLiteral("%1 denied the request: the user lacks the permission").arg(endpoint);
        break;
    case Cancelled:
        e.sentence = QStringLiteral("the request to %1 was cancelled").arg(endpoint);
        break;
    default:
        e.sentence = QStringLiteral("%1 answered with an error: %2").arg(endpoint, message);
    }
    return e;
}

EtcdError EtcdError::local(int code, const QString &sentence)
{
    EtcdError e;
    e.code = code;
    e.message = sentence;
    e.sentence = sentence;
    return e;
}
