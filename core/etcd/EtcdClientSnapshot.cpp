// EtcdClient's one streaming call: Maintenance.Snapshot, run by a SnapshotStream.

#include "etcd/EtcdClient.h"

#include "etcd/EtcdClientPrivate.h"

void EtcdClient::snapshot(const QString &endpoint, SnapshotSink sink, QObject *context, EtcdCallback<SnapshotInfo> done)
{
    startSnapshot(endpoint, std::move(sink), QPointer<QObject>(context ? context : this), std::move(done), true);
}

void EtcdClient::startSnapshot(const QString &endpoint, SnapshotSink sink, QPointer<QObject> guard,
    EtcdCallback<SnapshotInfo> done, bool mayReauthenticate)
{
    Q_ASSERT_X(QThread::currentThread() == thread(), "EtcdClient", "called from another thread");
    if (!guard)
        return;
    QString error;
    EndpointChannel *ch = d->channelFor(endpoint, &error);
    if (!ch) {
        EtcdResult<SnapshotInfo> result;
        result.error = EtcdError::local(EtcdError::InvalidArgument, error);
        result.endpoint = endpoint;
        QMetaObject::invokeMethod(
            this,
            [guard, done, result] {
                if (guard)
                    done(result);
            },
            Qt::QueuedConnection);
        return;
    }
    // etcd serves snapshots to the root role only once authentication is on.
    if (!d->settings.user.isEmpty() && ch->token.empty()) {
        authenticate(
            endpoint, d->settings.user, d->settings.password, this, [=, this](const EtcdResult<QString> &token) {
                if (!token.ok()) {
                    EtcdResult<SnapshotInfo> result;
                    result.error = token.error;
                    result.endpoint = token.endpoint;
                    if (guard)
                        done(result);
                    return;
                }
                ch->token = token->toStdString();
                ++d->authentications;
                startSnapshot(endpoint, sink, guard, done, mayReauthenticate);
            });
        return;
    }

    const QString endpointName = ch->endpoint.toString();
    const Clock::time_point started = Clock::now();
    const int idleMs = d->settings.deadlines.defragmentMs;
    // The stream's pointer, for the answer to find it by; set before the event loop runs.
    auto self = std::make_shared<SnapshotStream *>(nullptr);
    auto finished = [=, this](const SnapshotStream::Outcome &o) {
        QMetaObject::invokeMethod(
            this,
            [=, this] {
                // Its thread has nothing left to do: joining it costs nothing.
                d->snapshots.remove_if([&](const auto &s) { return s.get() == *self; });
                EtcdResult<SnapshotInfo> result;
                result.endpoint = endpointName;
                result.latencyMs = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
                if (o.sinkError) {
                    result.error = EtcdError::local(EtcdError::Aborted, o.sinkError->describe());
                } else if (o.idle) {
                    result.error = EtcdError::local(EtcdError::DeadlineExceeded,
                        QStringLiteral("%1 sent nothing for %2 s; the snapshot was abandoned")
                            .arg(endpointName)
                            .arg(idleMs / 1000));
                } else if (!o.status.ok()) {
                    result.error = EtcdError::fromStatus(
                        int(o.status.error_code()), QString::fromStdString(o.status.error_message()), endpointName);
                    const bool expired = result.error.code == EtcdError::Unauthenticated
                        && result.error.message.contains(QLatin1String("invalid auth token"));
                    if (expired && mayReauthenticate && o.info.bytes == 0) {
                        ch->token.clear();
                        startSnapshot(endpoint, sink, guard, done, false);
                        return;
                    }
                } else if (!o.complete) {
                    result.error = EtcdError::local(EtcdError::DataLoss,
                        QStringLiteral("the snapshot stream from %1 ended before its last chunk").arg(endpointName));
                } else {
                    result.value = o.info;
                }
                if (guard)
                    done(result);
            },
            Qt::QueuedConnection);
    };
    d->snapshots.push_back(std::make_unique<SnapshotStream>(ch->channel, ch->token, sink, idleMs, finished));
    *self = d->snapshots.back().get();
}
