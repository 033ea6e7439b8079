// EtcdClient's RPCs, one function each: the request, its deadline, and how the answer
// becomes a Qt value.

#include "etcd/EtcdClient.h"

#include "etcd/EtcdClientPrivate.h"

namespace {

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
    sendAlarm(endpoint, alarm, false, context, std::move(done));
}

void EtcdClient::alarmRaise(
    const QString &endpoint, const AlarmInfo &alarm, QObject *context, EtcdCallback<QList<AlarmInfo>> done)
{
    sendAlarm(endpoint, alarm, true, context, std::move(done));
}

void EtcdClient::sendAlarm(
    const QString &endpoint, const AlarmInfo &alarm, bool raise, QObject *context, EtcdCallback<QList<AlarmInfo>> done)
{
    etcdserverpb::AlarmRequest req;
    req.set_action(raise ? etcdserverpb::AlarmRequest::ACTIVATE : etcdserverpb::AlarmRequest::DEACTIVATE);
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

void EtcdClient::hashKV(
    const QString &endpoint, int64_t revision, QObject *context, EtcdCallback<HashKVInfo> done, int deadlineMs)
{
    etcdserverpb::HashKVRequest req;
    req.set_revision(revision);
    using Call = UnaryCall<etcdserverpb::HashKVRequest, etcdserverpb::HashKVResponse, HashKVInfo>;
    Call::start(
        this, endpoint, std::move(req), orDefault(deadlineMs, d->settings.deadlines.readMs), context,
        QD_INVOKE(maintenance, HashKV),
        [](const etcdserverpb::HashKVResponse &r) {
            return HashKVInfo {toHeader(r.header()), r.hash(), r.compact_revision(), r.hash_revision()};
        },
        std::move(done));
}

namespace {

RangeInfo toRange(const etcdserverpb::RangeResponse &r)
{
    RangeInfo info;
    info.header = toHeader(r.header());
    info.more = r.more();
    info.count = r.count();
    for (const auto &kv : r.kvs())
        info.kvs.append({QByteArray::fromStdString(kv.key()), QByteArray::fromStdString(kv.value()),
            kv.create_revision(), kv.mod_revision(), kv.version()});
    return info;
}

etcdserverpb::RangeRequest rangeRequest(const QByteArray &key, const QByteArray &rangeEnd)
{
    etcdserverpb::RangeRequest req;
    req.set_key(key.toStdString());
    req.set_range_end(rangeEnd.toStdString());
    return req;
}

} // namespace

void EtcdClient::range(const QString &endpoint, const QByteArray &key, const QByteArray &rangeEnd, bool serializable,
    QObject *context, EtcdCallback<RangeInfo> done)
{
    etcdserverpb::RangeRequest req = rangeRequest(key, rangeEnd);
    req.set_serializable(serializable);
    using Call = UnaryCall<etcdserverpb::RangeRequest, etcdserverpb::RangeResponse, RangeInfo>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.readMs, context, QD_INVOKE(kv, Range), &toRange,
        std::move(done));
}

void EtcdClient::rangePage(const QString &endpoint, const QByteArray &key, const QByteArray &rangeEnd, int64_t revision,
    int64_t limit, QObject *context, EtcdCallback<RangeInfo> done)
{
    etcdserverpb::RangeRequest req = rangeRequest(key, rangeEnd);
    req.set_revision(revision);
    req.set_limit(limit);
    // At a fixed revision the answer is the same from any member that has applied it.
    req.set_serializable(revision > 0);
    using Call = UnaryCall<etcdserverpb::RangeRequest, etcdserverpb::RangeResponse, RangeInfo>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.readMs, context, QD_INVOKE(kv, Range), &toRange,
        std::move(done));
}

void EtcdClient::count(const QString &endpoint, const QByteArray &key, const QByteArray &rangeEnd, int64_t revision,
    QObject *context, EtcdCallback<RangeInfo> done)
{
    etcdserverpb::RangeRequest req = rangeRequest(key, rangeEnd);
    req.set_revision(revision);
    req.set_count_only(true);
    using Call = UnaryCall<etcdserverpb::RangeRequest, etcdserverpb::RangeResponse, RangeInfo>;
    Call::start(this, endpoint, std::move(req), d->settings.deadlines.readMs, context, QD_INVOKE(kv, Range), &toRange,
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
