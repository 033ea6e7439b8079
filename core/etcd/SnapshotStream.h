#pragma once

// Internal to EtcdClient.

#include "etcd/EtcdClient.h"

#include <grpcpp/grpcpp.h>
#include <optional>
#include <thread>

/// One Snapshot stream on a thread of its own, with a completion queue of its own: a
/// database of gigabytes passes through a sink that writes to disk, which must stall neither
/// the client's thread nor the pump that answers every other call.
class SnapshotStream {
public:
    struct Outcome {
        grpc::Status status;
        SnapshotInfo info;
        std::optional<Error> sinkError; ///< the sink stopped the stream
        bool idle = false; ///< no chunk arrived within the idle limit
        bool complete = false; ///< the last chunk said nothing remains
    };
    /// Called on the stream's thread, as the last thing it does.
    using Finished = std::function<void(const Outcome &)>;

    SnapshotStream(std::shared_ptr<grpc::Channel> channel, const std::string &token, EtcdClient::SnapshotSink sink,
        int idleMs, Finished finished);
    /// Cancels the stream if it still runs, and waits for its thread.
    ~SnapshotStream();

private:
    void run();
    /// The next event on the queue; cancels the call when none comes within the idle limit.
    bool next();

    std::shared_ptr<grpc::Channel> m_channel;
    EtcdClient::SnapshotSink m_sink;
    int m_idleMs;
    Finished m_finished;
    grpc::ClientContext m_context;
    grpc::CompletionQueue m_queue;
    bool m_idle = false;
    std::thread m_thread;
};
