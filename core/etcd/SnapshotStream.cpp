#include "etcd/SnapshotStream.h"

#include "rpc.grpc.pb.h"

namespace {

constexpr auto kLongest = std::chrono::hours(1);

} // namespace

SnapshotStream::SnapshotStream(std::shared_ptr<grpc::Channel> channel, const std::string &token,
    EtcdClient::SnapshotSink sink, int idleMs, Finished finished)
    : m_channel(std::move(channel))
    , m_sink(std::move(sink))
    , m_idleMs(idleMs)
    , m_finished(std::move(finished))
{
    m_context.set_deadline(std::chrono::system_clock::now() + kLongest);
    if (!token.empty())
        m_context.AddMetadata("token", token);
    m_thread = std::thread([this] { run(); });
}

SnapshotStream::~SnapshotStream()
{
    m_context.TryCancel();
    m_thread.join();
}

bool SnapshotStream::next()
{
    void *tag = nullptr;
    bool ok = false;
    for (;;) {
        const auto waitUntil = std::chrono::system_clock::now() + std::chrono::milliseconds(m_idleMs);
        switch (m_queue.AsyncNext(&tag, &ok, waitUntil)) {
        case grpc::CompletionQueue::GOT_EVENT:
            return ok;
        case grpc::CompletionQueue::TIMEOUT:
            // The operation still pending completes, failed, once the call is cancelled.
            m_idle = true;
            m_context.TryCancel();
            break;
        case grpc::CompletionQueue::SHUTDOWN:
            return false;
        }
    }
}

void SnapshotStream::run()
{
    Outcome outcome;
    etcdserverpb::Maintenance::Stub stub(m_channel);
    auto reader = stub.PrepareAsyncSnapshot(&m_context, etcdserverpb::SnapshotRequest(), &m_queue);
    // One operation is pending at a time, so the tag only has to be non-null.
    void *const tag = this;
    reader->StartCall(tag);
    bool ok = next();
    etcdserverpb::SnapshotResponse response;
    bool first = true;
    while (ok) {
        reader->Read(&response, tag);
        if (!(ok = next()))
            break;
        if (first) {
            const auto &h = response.header();
            outcome.info.header = {h.cluster_id(), h.member_id(), h.revision(), h.raft_term()};
            first = false;
        }
        const std::string &blob = response.blob();
        outcome.info.bytes += qint64(blob.size());
        outcome.complete = response.remaining_bytes() == 0;
        if (outcome.sinkError)
            continue; // cancelled: drain what is still on its way
        Result<void> taken = m_sink(QByteArrayView(blob.data(), qsizetype(blob.size())), response.remaining_bytes());
        if (!taken) {
            outcome.sinkError = taken.error();
            m_context.TryCancel();
        }
    }
    reader->Finish(&outcome.status, tag);
    next();
    m_queue.Shutdown();
    void *drained = nullptr;
    bool drainedOk = false;
    while (m_queue.Next(&drained, &drainedOk)) { }
    outcome.idle = m_idle;
    m_finished(outcome);
}
