#pragma once

#include "common/Result.h"
#include "etcd/ConnectionSettings.h"
#include "etcd/EtcdResult.h"
#include "etcd/EtcdTypes.h"

#include <QByteArrayView>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>

/// Asynchronous client for etcd's v3 gRPC API.
///
/// One gRPC channel per endpoint, created on first use and reused. Every call carries a
/// deadline from ConnectionSettings::deadlines (or the one given) and returns at once; its
/// result is delivered later on the thread this object lives on, through the callback. The
/// callback is dropped when `context` has been destroyed by then; `context` must live on
/// the client's thread (nullptr means the client itself).
///
/// With a user name in the settings the client authenticates once per endpoint, sends the
/// token in the "token" metadata, and authenticates again when etcd says the token expired.
///
/// Destroying the client cancels the calls still in flight; their callbacks are not run.
class EtcdClient : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EtcdClient)

public:
    explicit EtcdClient(const ConnectionSettings &settings, QObject *parent = nullptr);
    ~EtcdClient() override;

    const ConnectionSettings &settings() const;
    /// How many tokens were obtained so far (one per endpoint, and one more each time an
    /// expired token was renewed).
    int authentications() const;

    /// Endpoints from the settings, normalised ("http://host:port").
    QStringList endpoints() const;

    // deadlineMs <= 0 means the default for the kind of call.
    void memberList(const QString &endpoint, QObject *context, EtcdCallback<MemberListInfo> done, int deadlineMs = 0);
    void memberAdd(const QString &endpoint, const QStringList &peerUrls, bool learner, QObject *context,
        EtcdCallback<MemberAddInfo> done);
    void memberRemove(const QString &endpoint, uint64_t id, QObject *context, EtcdCallback<MemberListInfo> done);
    void memberPromote(const QString &endpoint, uint64_t id, QObject *context, EtcdCallback<MemberListInfo> done);
    void memberUpdate(const QString &endpoint, uint64_t id, const QStringList &peerUrls, QObject *context,
        EtcdCallback<MemberListInfo> done);
    void status(const QString &endpoint, QObject *context, EtcdCallback<StatusInfo> done, int deadlineMs = 0);
    /// Must be sent to the leader; MemberOps finds it.
    void moveLeader(
        const QString &endpoint, uint64_t targetId, QObject *context, EtcdCallback<ResponseHeaderInfo> done);
    void alarmList(const QString &endpoint, QObject *context, EtcdCallback<QList<AlarmInfo>> done);
    void alarmDisarm(
        const QString &endpoint, const AlarmInfo &alarm, QObject *context, EtcdCallback<QList<AlarmInfo>> done);
    /// Raises an alarm as etcd itself would (demo fault injection and tests: a CORRUPT alarm
    /// cannot be provoked on demand otherwise).
    void alarmRaise(
        const QString &endpoint, const AlarmInfo &alarm, QObject *context, EtcdCallback<QList<AlarmInfo>> done);
    void defragment(const QString &endpoint, QObject *context, EtcdCallback<ResponseHeaderInfo> done);
    /// Compacts the keyspace up to revision; physical waits until the compaction is applied
    /// to the backend, so that a defragmentation that follows can reclaim the space.
    void compact(const QString &endpoint, int64_t revision, bool physical, QObject *context,
        EtcdCallback<ResponseHeaderInfo> done);
    /// Hashes the keyspace up to revision (0: the current one). A hash reads the whole
    /// database, so a large one may need a longer deadline than a read's.
    void hashKV(
        const QString &endpoint, int64_t revision, QObject *context, EtcdCallback<HashKVInfo> done, int deadlineMs = 0);
    void range(const QString &endpoint, const QByteArray &key, const QByteArray &rangeEnd, bool serializable,
        QObject *context, EtcdCallback<RangeInfo> done);
    /// One page of a walk: at most limit keys, with their values, from key up to rangeEnd
    /// at revision (0: the current one, read through the leader; a later page names the
    /// revision of the first, and any member that has applied it answers alike).
    void rangePage(const QString &endpoint, const QByteArray &key, const QByteArray &rangeEnd, int64_t revision,
        int64_t limit, QObject *context, EtcdCallback<RangeInfo> done);
    /// How many keys lie from key up to rangeEnd at revision (0: the current one), without
    /// their values.
    void count(const QString &endpoint, const QByteArray &key, const QByteArray &rangeEnd, int64_t revision,
        QObject *context, EtcdCallback<RangeInfo> done);
    void put(const QString &endpoint, const QByteArray &key, const QByteArray &value, QObject *context,
        EtcdCallback<ResponseHeaderInfo> done);
    /// Receives a snapshot's bytes in order, on a thread of the stream's own; remaining is
    /// what etcd says is still to come (0 with the last chunk). An error stops the stream.
    using SnapshotSink = std::function<Result<void>(QByteArrayView chunk, quint64 remaining)>;
    /// Streams the member's database, etcd's trailing SHA-256 included: the bytes
    /// `etcdctl snapshot save` writes. The stream gives up when no chunk arrives for the
    /// defragmentation deadline, and after an hour in all; done gets the sink's error
    /// (code Aborted) when the sink stopped it.
    void snapshot(const QString &endpoint, SnapshotSink sink, QObject *context, EtcdCallback<SnapshotInfo> done);
    /// Returns the token. The client calls this itself when the settings name a user.
    void authenticate(const QString &endpoint, const QString &user, const QString &password, QObject *context,
        EtcdCallback<QString> done);

    // Authentication administration (the demo's --auth, and tests): each needs the root role
    // once authentication is on.
    void authEnable(const QString &endpoint, QObject *context, EtcdCallback<ResponseHeaderInfo> done);
    void userAdd(const QString &endpoint, const QString &name, const QString &password, QObject *context,
        EtcdCallback<ResponseHeaderInfo> done);
    void userGrantRole(const QString &endpoint, const QString &user, const QString &role, QObject *context,
        EtcdCallback<ResponseHeaderInfo> done);
    void roleAdd(const QString &endpoint, const QString &role, QObject *context, EtcdCallback<ResponseHeaderInfo> done);
    /// Lets role read and write every key from key up to rangeEnd (empty: just key).
    void roleGrantReadWrite(const QString &endpoint, const QString &role, const QByteArray &key,
        const QByteArray &rangeEnd, QObject *context, EtcdCallback<ResponseHeaderInfo> done);

private:
    struct Private;
    std::unique_ptr<Private> d;

    template <typename Req, typename Resp, typename Out> friend struct UnaryCall;
    void sendAlarm(const QString &endpoint, const AlarmInfo &alarm, bool raise, QObject *context,
        EtcdCallback<QList<AlarmInfo>> done);
    void startSnapshot(const QString &endpoint, SnapshotSink sink, QPointer<QObject> guard,
        EtcdCallback<SnapshotInfo> done, bool mayReauthenticate);
};
