#pragma once

// EtcdClient's insides, shared by its two source files (EtcdClient.cpp: channels and
// credentials; EtcdClientCalls.cpp: one function per RPC) and by nothing else.

#include "etcd/EtcdClient.h"

#include "common/Endpoint.h"
#include "etcd/CompletionPump.h"
#include "etcd/SnapshotStream.h"
#include "rpc.grpc.pb.h"

#include <QFile>
#include <QHash>
#include <QPointer>
#include <QThread>
#include <grpcpp/grpcpp.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <list>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace EtcdClientDetail {

using Clock = std::chrono::steady_clock;
// gRPC takes deadlines on the system clock only.
using Deadline = std::chrono::system_clock::time_point;

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
inline bool authenticationOutOfReach(const EtcdError &e)
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

} // namespace EtcdClientDetail

using namespace EtcdClientDetail;

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
    /// Snapshot streams under way, each on a thread of its own; joined when they end, or
    /// cancelled and joined by the client's destructor.
    std::list<std::unique_ptr<SnapshotStream>> snapshots;
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
        const Result<Endpoint> parsed = Endpoint::parse(text, settings.tls.enabled());
        if (!parsed) {
            *error = parsed.error().describe();
            return nullptr;
        }
        const Endpoint &endpoint = parsed.value();
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
