#include "etcd/EtcdClient.h"

#include "etcd/CompletionPump.h"
#include "etcd/Endpoint.h"
#include "rpc.grpc.pb.h"

#include <QFile>
#include <QHash>
#include <QPointer>
#include <QThread>
#include <grpcpp/grpcpp.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace {

using Clock = std::chrono::steady_clock;
// gRPC takes deadlines on the system clock only.
using Deadline = std::chrono::system_clock::time_point;

ResponseHeaderInfo toHeader(const etcdserverpb::ResponseHeader &h)
{
    return {h.cluster_id(), h.member_id(), h.revision(), h.raft_term()};
}

QStringList toStrings(const google::protobuf::RepeatedPtrField<std::string> &in)
{
    QStringList out;
    out.reserve(in.size());
    for (const std::string &s : in)
        out.append(QString::fromStdString(s));
    return out;
}

MemberInfo toMember(const etcdserverpb::Member &m)
{
    return {
        m.id(), QString::fromStdString(m.name()), toStrings(m.peerurls()), toStrings(m.clienturls()), m.islearner()};
}

QList<MemberInfo> toMembers(const google::protobuf::RepeatedPtrField<etcdserverpb::Member> &in)
{
    QList<MemberInfo> out;
    out.reserve(in.size());
    for (const auto &m : in)
        out.append(toMember(m));
    return out;
}

template <typename Resp> MemberListInfo toMemberList(const Resp &r)
{
    return {toHeader(r.header()), toMembers(r.members())};
}

template <typename Resp> ResponseHeaderInfo headerOnly(const Resp &r)
{
    return toHeader(r.header());
}

QList<AlarmInfo> toAlarms(const etcdserverpb::AlarmResponse &r)
{
    QList<AlarmInfo> out;
    for (const auto &a : r.alarms())
        out.append({a.memberid(), AlarmType(int(a.alarm()))});
    return out;
}

std::string readPem(const QString &path, QString *error)
{
    if (path.isEmpty())
        return {};
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return {};
    }
    return f.readAll().toStdString();
}

/// TLS that accepts any server certificate: what --insecure-skip-tls-verify asks for.
/// The client certificate is still presented when one is given.
std::shared_ptr<grpc::ChannelCredentials> unverifiedCredentials(const grpc::SslCredentialsOptions &files)
{
    namespace gx = grpc::experimental;
    gx::TlsChannelCredentialsOptions options;
    options.set_verify_server_certs(false);
    options.set_check_call_host(false);
    options.set_certificate_verifier(std::make_shared<gx::NoOpCertificateVerifier>());
    if (!files.pem_cert_chain.empty()) {
        options.set_certificate_provider(std::make_shared<gx::StaticDataCertificateProvider>(
            std::vector<gx::IdentityKeyCertPair> {{files.pem_private_key, files.pem_cert_chain}}));
        options.watch_identity_key_cert_pairs();
    }
    return gx::TlsCredentials(options);
}

/// Whether a call carries the user's token (when the settings name a user).
enum class TokenUse {
    Required, ///< authenticate first; no call without a token
    /// Calls etcd serves without one (Status, MemberList): authenticate first, so that wrong
    /// credentials are still reported, but go on without a token when authentication is out
    /// of reach there: a learner serves no Authenticate, and a member without quorum cannot
    /// commit one. Those are exactly the members whose status matters.
    WhenAvailable,
    Never,
};

/// Authentication failed for a reason other than the credentials.
bool authenticationOutOfReach(const EtcdError &e)
{
    // A member without quorum cannot commit the token: the call runs into its deadline. The
    // member may say so itself before the client's own deadline fires, as an Unknown error
    // carrying Go's "context deadline exceeded" (or etcd's "request timed out").
    return e.code == EtcdError::Unavailable || e.code == EtcdError::DeadlineExceeded
        || e.message.contains(QLatin1String("context deadline exceeded"))
        || e.message.contains(QLatin1String("request timed out"))
        || e.message.contains(QLatin1String("authentication is not enabled"));
}

/// Calls that gRPC still holds, so that the client's destructor can cancel them.
class InFlightCalls {
public:
    void add(grpc::ClientContext *call)
    {
        std::lock_guard lock(m_mutex);
        m_calls.insert(call);
    }
    void remove(grpc::ClientContext *call)
    {
        std::lock_guard lock(m_mutex);
        m_calls.erase(call);
    }
    void cancelAll()
    {
        std::lock_guard lock(m_mutex);
        for (grpc::ClientContext *call : m_calls)
            call->TryCancel();
    }

private:
    std::mutex m_mutex;
    std::unordered_set<grpc::ClientContext *> m_calls;
};

} // namespace

struct EndpointChannel {
    Endpoint endpoint;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<etcdserverpb::KV::Stub> kv;
    std::unique_ptr<etcdserverpb::Cluster::Stub> cluster;
    std::unique_ptr<etcdserverpb::Maintenance::Stub> maintenance;
    std::unique_ptr<etcdserverpb::Auth::Stub> auth;
    std::string token; // touched only on the client's thread
    // Until then, TokenUse::WhenAvailable calls skip authenticating: it just failed there
    // for a reason other than the credentials.
    Clock::time_point authOutOfReachUntil {};
};

struct EtcdClient::Private {
    ConnectionSettings settings;
    std::shared_ptr<grpc::ChannelCredentials> tlsCredentials;
    QString credentialsError;
    std::unordered_map<std::string, std::unique_ptr<EndpointChannel>> channels;
    // The same channels by the text callers gave, so that a call names an endpoint it named
    // before without parsing it again (each parse costs microseconds of every tick).
    QHash<QString, EndpointChannel *> channelsByText;
    QStringList endpoints; // the settings' endpoints, normalised
    InFlightCalls inFlight;
    int authentications = 0;
    // Declared last: destroyed first, it waits for every call still on its queue.
    std::unique_ptr<CompletionPump> pump = std::make_unique<CompletionPump>();

    EndpointChannel *channelFor(const QString &text, QString *error)
    {
        if (EndpointChannel *known = channelsByText.value(text))
            return known;
        EndpointChannel *ch = openChannel(text, error);
        if (ch && channelsByText.size() < 1024) // bounded: names come from members, few
            channelsByText.insert(text, ch);
        return ch;
    }

    EndpointChannel *openChannel(const QString &text, QString *error)
    {
        const Endpoint endpoint = Endpoint::parse(text, settings.tls.enabled(), error);
        if (!endpoint.isValid())
            return nullptr;
        const std::string key = endpoint.toString().toStdString();
        auto it = channels.find(key);
        if (it != channels.end())
            return it->second.get();

        if (endpoint.isTls() && !tlsCredentials && credentialsError.isEmpty() && !settings.tls.enabled()) {
            // https with no TLS settings at all: verify the server against the system's CAs,
            // as etcdctl does.
            tlsCredentials = grpc::SslCredentials(grpc::SslCredentialsOptions());
        }
        if (endpoint.isTls() && !tlsCredentials) {
            *error = credentialsError.isEmpty()
                ? QStringLiteral("%1 uses https but no TLS settings were given").arg(text)
                : credentialsError;
            return nullptr;
        }
        grpc::ChannelArguments args;
        // Reconnect quickly: a restarted member should be seen again within a tick or two,
        // not after gRPC's default back-off of up to two minutes.
        args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
        args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
        // gRPC uses the minimum back-off as the timeout of one connection attempt.
        args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, std::max(100, settings.deadlines.dialMs));
        args.SetMaxReceiveMessageSize(-1);
        // QuorumDeck decides itself what to retry (it knows which answers are worth it);
        // gRPC's transparent retry layer only adds buffering to every call.
        args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
        // Each endpoint gets its own connection, even when two names reach one host.
        args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
        if (!settings.tls.serverName.isEmpty())
            args.SetSslTargetNameOverride(settings.tls.serverName.toStdString());

        auto ch = std::make_unique<EndpointChannel>();
        ch->endpoint = endpoint;
        ch->channel = grpc::CreateCustomChannel(endpoint.grpcTarget().toStdString(),
            endpoint.isTls() ? tlsCredentials : grpc::InsecureChannelCredentials(), args);
        ch->kv = etcdserverpb::KV::NewStub(ch->channel);
        ch->cluster = etcdserverpb::Cluster::NewStub(ch->channel);
        ch->maintenance = etcdserverpb::Maintenance::NewStub(ch->channel);
        ch->auth = etcdserverpb::Auth::NewStub(ch->channel);
        EndpointChannel *raw = ch.get();
        channels.emplace(key, std::move(ch));
        return raw;
    }
};

/// One unary call: sends the request with its deadline and token, converts the answer to a
/// Qt value on the pump thread, and delivers it on the client's thread.
template <typename Req, typename Resp, typename Out> struct UnaryCall {
    using Prepare = std::unique_ptr<grpc::ClientAsyncResponseReader<Resp>> (*)(
        EndpointChannel &, grpc::ClientContext *, const Req &, grpc::CompletionQueue *);
    using Convert = Out (*)(const Resp &);

    struct State : CompletionPump::Call {
        grpc::ClientContext context;
        Req request;
        Resp response;
        grpc::Status status;
        Clock::time_point started;
        std::unique_ptr<grpc::ClientAsyncResponseReader<Resp>> reader;
        std::function<void(State &)> onFinish;

        void finish() override
        {
            onFinish(*this);
            delete this;
        }
    };

    static void start(EtcdClient *client, const QString &endpoint, Req request, int deadlineMs, QObject *context,
        Prepare prepare, Convert convert, EtcdCallback<Out> done, TokenUse token = TokenUse::Required)
    {
        // The channel cache and the tokens are the client's thread's alone.
        Q_ASSERT_X(QThread::currentThread() == client->thread(), "EtcdClient", "called from another thread");
        // One absolute deadline covers everything this call may need: authenticating first,
        // and authenticating again when the token has expired.
        const Deadline deadline = std::chrono::system_clock::now() + std::chrono::milliseconds(deadlineMs);
        run(client, endpoint, std::move(request), deadline, QPointer<QObject>(context ? context : client), prepare,
            convert, std::move(done), token, true);
    }

    static void run(EtcdClient *client, const QString &endpoint, Req request, Deadline deadline,
        QPointer<QObject> guard, Prepare prepare, Convert convert, EtcdCallback<Out> done, TokenUse token,
        bool mayReauthenticate)
    {
        if (!guard)
            return; // whoever asked is gone: nobody to answer
        EtcdClient::Private *d = client->d.get();
        QString error;
        EndpointChannel *ch = d->channelFor(endpoint, &error);
        if (!ch) {
            EtcdResult<Out> result;
            result.error = EtcdError::local(EtcdError::InvalidArgument, error);
            result.endpoint = endpoint;
            // Deliver later, as every other answer, so callers see one behaviour.
            QMetaObject::invokeMethod(
                client,
                [guard, done, result] {
                    if (guard)
                        done(result);
                },
                Qt::QueuedConnection);
            return;
        }

        const bool optional = token == TokenUse::WhenAvailable;
        const bool wantsToken = token != TokenUse::Never && !d->settings.user.isEmpty()
            && !(optional && ch->token.empty() && Clock::now() < ch->authOutOfReachUntil);
        if (wantsToken && ch->token.empty()) {
            // An optional token may take half of the time left, so that the call itself still
            // fits when authentication hangs (no quorum to commit it).
            const Deadline authDeadline
                = optional ? deadline - (deadline - std::chrono::system_clock::now()) / 2 : deadline;
            etcdserverpb::AuthenticateRequest auth;
            auth.set_name(d->settings.user.toStdString());
            auth.set_password(d->settings.password.toStdString());
            using AuthCall = UnaryCall<etcdserverpb::AuthenticateRequest, etcdserverpb::AuthenticateResponse, QString>;
            AuthCall::run(
                client, endpoint, std::move(auth), authDeadline, QPointer<QObject>(client),
                [](EndpointChannel &c, grpc::ClientContext *ctx, const etcdserverpb::AuthenticateRequest &r,
                    grpc::CompletionQueue *cq) { return c.auth->PrepareAsyncAuthenticate(ctx, r, cq); },
                [](const etcdserverpb::AuthenticateResponse &r) { return QString::fromStdString(r.token()); },
                [=](const EtcdResult<QString> &obtained) {
                    if (!obtained.ok() && optional && authenticationOutOfReach(obtained.error)) {
                        ch->authOutOfReachUntil = Clock::now() + std::chrono::seconds(10);
                        run(client, endpoint, request, deadline, guard, prepare, convert, done, token,
                            mayReauthenticate);
                        return;
                    }
                    if (!obtained.ok()) {
                        EtcdResult<Out> result;
                        result.error = obtained.error;
                        result.endpoint = obtained.endpoint;
                        if (guard)
                            done(result);
                        return;
                    }
                    ch->token = obtained->toStdString();
                    ++client->d->authentications;
                    run(client, endpoint, request, deadline, guard, prepare, convert, done, token, mayReauthenticate);
                },
                TokenUse::Never, false);
            return;
        }

        auto *state = new State;
        state->request = std::move(request);
        state->started = Clock::now();
        state->context.set_deadline(deadline);
        if (wantsToken)
            state->context.AddMetadata("token", ch->token);

        InFlightCalls *inFlight = &d->inFlight;
        const QString endpointName = ch->endpoint.toString();
        state->onFinish = [=](State &call) {
            inFlight->remove(&call.context);
            EtcdResult<Out> result;
            result.endpoint = endpointName;
            result.latencyMs = std::chrono::duration<double, std::milli>(Clock::now() - call.started).count();
            if (call.status.ok())
                result.value = convert(call.response);
            else
                result.error = EtcdError::fromStatus(
                    int(call.status.error_code()), QString::fromStdString(call.status.error_message()), endpointName);
            QMetaObject::invokeMethod(
                client,
                [=, retry = call.request] {
                    const bool expired = result.error.code == EtcdError::Unauthenticated
                        && result.error.message.contains(QLatin1String("invalid auth token"));
                    if (expired && wantsToken && mayReauthenticate) {
                        ch->token.clear();
                        run(client, endpoint, retry, deadline, guard, prepare, convert, done, token, false);
                        return;
                    }
                    if (guard)
                        done(result);
                },
                Qt::QueuedConnection);
        };
        inFlight->add(&state->context);
        state->reader = prepare(*ch, &state->context, state->request, d->pump->queue());
        state->reader->StartCall();
        state->reader->Finish(&state->response, &state->status, state);
    }
};

EtcdClient::EtcdClient(const ConnectionSettings &settings, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->settings = settings;
    for (const QString &e : settings.endpoints) {
        const Endpoint ep = Endpoint::parse(e, settings.tls.enabled());
        d->endpoints.append(ep.isValid() ? ep.toString() : e);
    }
    if (settings.tls.enabled()) {
        grpc::SslCredentialsOptions options;
        QString error;
        options.pem_root_certs = readPem(settings.tls.caFile, &error);
        options.pem_cert_chain = readPem(settings.tls.certFile, &error);
        options.pem_private_key = readPem(settings.tls.keyFile, &error);
        d->credentialsError = error;
        if (error.isEmpty() && settings.tls.insecureSkipVerify)
            d->tlsCredentials = unverifiedCredentials(options);
        else if (error.isEmpty())
            d->tlsCredentials = grpc::SslCredentials(options);
    }
}

EtcdClient::~EtcdClient()
{
    // Cancelled calls complete at once; the pump's destructor then waits for them, and
    // their answers, posted to this object, are discarded with it.
    d->inFlight.cancelAll();
    d->pump.reset();
}

int EtcdClient::authentications() const
{
    return d->authentications;
}

const ConnectionSettings &EtcdClient::settings() const
{
    return d->settings;
}

QStringList EtcdClient::endpoints() const
{
    return d->endpoints;
}

namespace {
int orDefault(int deadlineMs, int fallback)
{
    return deadlineMs > 0 ? deadlineMs : fallback;
}
} // namespace

#define QD_INVOKE(stub, method)                                                                                        \
    [](EndpointChannel &ch, grpc::ClientContext *c, const auto &req, grpc::CompletionQueue *cq) {                      \
        return ch.stub->PrepareAsync##method(c, req, cq);                                                              \
    }

void EtcdClient::memberList(
    const QString &endpoint, QObject *context, EtcdCallback<MemberListInfo> done, int deadlineMs)
{
    using Call = UnaryCall<etcdserverpb::MemberListRequest, etcdserverpb::MemberListResponse, MemberListInfo>;
    Call::start(this, endpoint, {}, orDefault(deadlineMs, d->settings.deadlines.readMs), context,
        QD_INVOKE(cluster, MemberList), &toMemberList<etcdserverpb::MemberListResponse>, std::move(done),
        TokenUse::WhenAvailable);
}

void EtcdClient::memberAdd(const QString &endpoint, const QStringList &peerUrls, bool learner, QObject *context,
    EtcdCallback<MemberAddInfo> done)
{
    etcdserverpb::MemberAddRequest req;
    for (const QString &u : peerUrls)
        req.add_peerurls(u.toStdString());
    req.set_islearner(learner);
    using Call = UnaryCall<etcdserverpb::MemberAddRequest, etcdserverpb::MemberAddResponse, MemberAddInfo>;
    Call::start(
        this, endpoint, std::move(req), d->settings.deadlines.writeMs, context, QD_INVOKE(cluster, MemberAdd),
        [](const etcdserverpb::MemberAddResponse &r) {
            return MemberAddInfo {toHeader(r.header()), toMember(r.member()), toMembers(r.members())};
        },
        std::move(done));
}

void EtcdClient::memberRemove(const QString &endpoint, uint64_t id, QObject *context, EtcdCallback<MemberListInfo> done)
{
    etcdserverpb::MemberRemoveRequest req;
    req.set_id(id);
    using Call = UnaryCall<etcdserverpb::MemberRemoveRequest, etcdserverpb::MemberRemoveResponse, MemberListInfo>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.writeMs, context,
        QD_INVOKE(cluster, MemberRemove), &toMemberList<etcdserverpb::MemberRemoveResponse>, std::move(done));
}

void EtcdClient::memberPromote(
    const QString &endpoint, uint64_t id, QObject *context, EtcdCallback<MemberListInfo> done)
{
    etcdserverpb::MemberPromoteRequest req;
    req.set_id(id);
    using Call = UnaryCall<etcdserverpb::MemberPromoteRequest, etcdserverpb::MemberPromoteResponse, MemberListInfo>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.writeMs, context,
        QD_INVOKE(cluster, MemberPromote), &toMemberList<etcdserverpb::MemberPromoteResponse>, std::move(done));
}

void EtcdClient::memberUpdate(const QString &endpoint, uint64_t id, const QStringList &peerUrls, QObject *context,
    EtcdCallback<MemberListInfo> done)
{
    etcdserverpb::MemberUpdateRequest req;
    req.set_id(id);
    for (const QString &u : peerUrls)
        req.add_peerurls(u.toStdString());
    using Call = UnaryCall<etcdserverpb::MemberUpdateRequest, etcdserverpb::MemberUpdateResponse, MemberListInfo>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.writeMs, context,
        QD_INVOKE(cluster, MemberUpdate), &toMemberList<etcdserverpb::MemberUpdateResponse>, std::move(done));
}

void EtcdClient::status(const QString &endpoint, QObject *context, EtcdCallback<StatusInfo> done, int deadlineMs)
{
    using Call = UnaryCall<etcdserverpb::StatusRequest, etcdserverpb::StatusResponse, StatusInfo>;
    Call::start(
        this, endpoint, {}, orDefault(deadlineMs, d->settings.deadlines.readMs), context,
        QD_INVOKE(maintenance, Status),
        [](const etcdserverpb::StatusResponse &r) {
            StatusInfo s;
            s.header = toHeader(r.header());
            s.version = QString::fromStdString(r.version());
            s.dbSize = r.dbsize();
            s.leader = r.leader();
            s.raftIndex = r.raftindex();
            s.raftTerm = r.raftterm();
            s.raftAppliedIndex = r.raftappliedindex();
            s.errors = toStrings(r.errors());
            s.dbSizeInUse = r.dbsizeinuse();
            s.isLearner = r.islearner();
            return s;
        },
        std::move(done), TokenUse::WhenAvailable);
}

void EtcdClient::moveLeader(
    const QString &endpoint, uint64_t targetId, QObject *context, EtcdCallback<ResponseHeaderInfo> done)
{
    etcdserverpb::MoveLeaderRequest req;
    req.set_targetid(targetId);
    using Call = UnaryCall<etcdserverpb::MoveLeaderRequest, etcdserverpb::MoveLeaderResponse, ResponseHeaderInfo>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.moveLeaderMs, context,
        QD_INVOKE(maintenance, MoveLeader), &headerOnly<etcdserverpb::MoveLeaderResponse>, std::move(done));
}

void EtcdClient::alarmList(const QString &endpoint, QObject *context, EtcdCallback<QList<AlarmInfo>> done)
{
    etcdserverpb::AlarmRequest req;
    req.set_action(etcdserverpb::AlarmRequest::GET);
    using Call = UnaryCall<etcdserverpb::AlarmRequest, etcdserverpb::AlarmResponse, QList<AlarmInfo>>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.readMs, context, QD_INVOKE(maintenance, Alarm),
        &toAlarms, std::move(done));
}

void EtcdClient::alarmDisarm(
    const QString &endpoint, const AlarmInfo &alarm, QObject *context, EtcdCallback<QList<AlarmInfo>> done)
{
    etcdserverpb::AlarmRequest req;
    req.set_action(etcdserverpb::AlarmRequest::DEACTIVATE);
    req.set_memberid(alarm.memberId);
    req.set_alarm(etcdserverpb::AlarmType(int(alarm.type)));
    using Call = UnaryCall<etcdserverpb::AlarmRequest, etcdserverpb::AlarmResponse, QList<AlarmInfo>>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.writeMs, context, QD_INVOKE(maintenance, Alarm),
        &toAlarms, std::move(done));
}

void EtcdClient::defragment(const QString &endpoint, QObject *context, EtcdCallback<ResponseHeaderInfo> done)
{
    using Call = UnaryCall<etcdserverpb::DefragmentRequest, etcdserverpb::DefragmentResponse, ResponseHeaderInfo>;
    Call::start(this, endpoint, {}, d->settings.deadlines.defragmentMs, context, QD_INVOKE(maintenance, Defragment),
        &headerOnly<etcdserverpb::DefragmentResponse>, std::move(done));
}

void EtcdClient::compact(
    const QString &endpoint, int64_t revision, bool physical, QObject *context, EtcdCallback<ResponseHeaderInfo> done)
{
    etcdserverpb::CompactionRequest req;
    req.set_revision(revision);
    req.set_physical(physical);
    using Call = UnaryCall<etcdserverpb::CompactionRequest, etcdserverpb::CompactionResponse, ResponseHeaderInfo>;
    // A physical compaction of a large keyspace takes as long as a defragmentation may.
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.defragmentMs, context, QD_INVOKE(kv, Compact),
        &headerOnly<etcdserverpb::CompactionResponse>, std::move(done));
}

void EtcdClient::hashKV(const QString &endpoint, int64_t revision, QObject *context, EtcdCallback<HashKVInfo> done)
{
    etcdserverpb::HashKVRequest req;
    req.set_revision(revision);
    using Call = UnaryCall<etcdserverpb::HashKVRequest, etcdserverpb::HashKVResponse, HashKVInfo>;
    Call::start(
        this, endpoint, std::move(req), d->settings.deadlines.readMs, context, QD_INVOKE(maintenance, HashKV),
        [](const etcdserverpb::HashKVResponse &r) {
            return HashKVInfo {toHeader(r.header()), r.hash(), r.compact_revision()};
        },
        std::move(done));
}

void EtcdClient::range(const QString &endpoint, const QByteArray &key, const QByteArray &rangeEnd, bool serializable,
    QObject *context, EtcdCallback<RangeInfo> done)
{
    etcdserverpb::RangeRequest req;
    req.set_key(key.toStdString());
    req.set_range_end(rangeEnd.toStdString());
    req.set_serializable(serializable);
    using Call = UnaryCall<etcdserverpb::RangeRequest, etcdserverpb::RangeResponse, RangeInfo>;
    Call::start(
        this, endpoint, std::move(req), d->settings.deadlines.readMs, context, QD_INVOKE(kv, Range),
        [](const etcdserverpb::RangeResponse &r) {
            RangeInfo info;
            info.header = toHeader(r.header());
            info.more = r.more();
            info.count = r.count();
            for (const auto &kv : r.kvs())
                info.kvs.append({QByteArray::fromStdString(kv.key()), QByteArray::fromStdString(kv.value()),
                    kv.create_revision(), kv.mod_revision(), kv.version()});
            return info;
        },
        std::move(done));
}

void EtcdClient::put(const QString &endpoint, const QByteArray &key, const QByteArray &value, QObject *context,
    EtcdCallback<ResponseHeaderInfo> done)
{
    etcdserverpb::PutRequest req;
    req.set_key(key.toStdString());
    req.set_value(value.toStdString());
    using Call = UnaryCall<etcdserverpb::PutRequest, etcdserverpb::PutResponse, ResponseHeaderInfo>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.writeMs, context, QD_INVOKE(kv, Put),
        &headerOnly<etcdserverpb::PutResponse>, std::move(done));
}

void EtcdClient::authenticate(
    const QString &endpoint, const QString &user, const QString &password, QObject *context, EtcdCallback<QString> done)
{
    etcdserverpb::AuthenticateRequest req;
    req.set_name(user.toStdString());
    req.set_password(password.toStdString());
    using Call = UnaryCall<etcdserverpb::AuthenticateRequest, etcdserverpb::AuthenticateResponse, QString>;
    Call::start(
        this, endpoint, std::move(req), d->settings.deadlines.readMs, context, QD_INVOKE(auth, Authenticate),
        [](const etcdserverpb::AuthenticateResponse &r) { return QString::fromStdString(r.token()); }, std::move(done),
        TokenUse::Never);
}

void EtcdClient::authEnable(const QString &endpoint, QObject *context, EtcdCallback<ResponseHeaderInfo> done)
{
    using Call = UnaryCall<etcdserverpb::AuthEnableRequest, etcdserverpb::AuthEnableResponse, ResponseHeaderInfo>;
    Call::start(this, endpoint, {}, d->settings.deadlines.writeMs, context, QD_INVOKE(auth, AuthEnable),
        &headerOnly<etcdserverpb::AuthEnableResponse>, std::move(done));
}

void EtcdClient::userAdd(const QString &endpoint, const QString &name, const QString &password, QObject *context,
    EtcdCallback<ResponseHeaderInfo> done)
{
    etcdserverpb::AuthUserAddRequest req;
    req.set_name(name.toStdString());
    req.set_password(password.toStdString());
    using Call = UnaryCall<etcdserverpb::AuthUserAddRequest, etcdserverpb::AuthUserAddResponse, ResponseHeaderInfo>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.writeMs, context, QD_INVOKE(auth, UserAdd),
        &headerOnly<etcdserverpb::AuthUserAddResponse>, std::move(done));
}

void EtcdClient::userGrantRole(const QString &endpoint, const QString &user, const QString &role, QObject *context,
    EtcdCallback<ResponseHeaderInfo> done)
{
    etcdserverpb::AuthUserGrantRoleRequest req;
    req.set_user(user.toStdString());
    req.set_role(role.toStdString());
    using Call = UnaryCall<etcdserverpb::AuthUserGrantRoleRequest, etcdserverpb::AuthUserGrantRoleResponse,
        ResponseHeaderInfo>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.writeMs, context, QD_INVOKE(auth, UserGrantRole),
        &headerOnly<etcdserverpb::AuthUserGrantRoleResponse>, std::move(done));
}

void EtcdClient::roleAdd(
    const QString &endpoint, const QString &role, QObject *context, EtcdCallback<ResponseHeaderInfo> done)
{
    etcdserverpb::AuthRoleAddRequest req;
    req.set_name(role.toStdString());
    using Call = UnaryCall<etcdserverpb::AuthRoleAddRequest, etcdserverpb::AuthRoleAddResponse, ResponseHeaderInfo>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.writeMs, context, QD_INVOKE(auth, RoleAdd),
        &headerOnly<etcdserverpb::AuthRoleAddResponse>, std::move(done));
}

void EtcdClient::roleGrantReadWrite(const QString &endpoint, const QString &role, const QByteArray &key,
    const QByteArray &rangeEnd, QObject *context, EtcdCallback<ResponseHeaderInfo> done)
{
    etcdserverpb::AuthRoleGrantPermissionRequest req;
    req.set_name(role.toStdString());
    req.mutable_perm()->set_permtype(etcdserverpb::Permission::READWRITE);
    req.mutable_perm()->set_key(key.toStdString());
    req.mutable_perm()->set_range_end(rangeEnd.toStdString());
    using Call = UnaryCall<etcdserverpb::AuthRoleGrantPermissionRequest, etcdserverpb::AuthRoleGrantPermissionResponse,
        ResponseHeaderInfo>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.writeMs, context,
        QD_INVOKE(auth, RoleGrantPermission), &headerOnly<etcdserverpb::AuthRoleGrantPermissionResponse>,
        std::move(done));
}
