#pragma once

#include <grpcpp/completion_queue.h>
#include <thread>

/// A gRPC completion queue with one thread of its own that waits on it and finishes each
/// completed call. That thread polls the sockets itself, so an answer reaches QuorumDeck
/// with one thread hop (pump → owner's event loop) instead of passing through gRPC's
/// executor pool as callback-API completions do.
///
/// Only core/etcd uses it; it is internal to EtcdClient.
class CompletionPump {
public:
    /// What a tag on the queue points to.
    struct Call {
        virtual ~Call() = default;
        /// Runs on the pump thread once gRPC has finished the call; may delete the call.
        virtual void finish() = 0;
    };

    CompletionPump();
    /// Shuts the queue down and waits until every call still on it has finished.
    ~CompletionPump();

    grpc::CompletionQueue *queue() { return &m_queue; }

private:
    void run();

    grpc::CompletionQueue m_queue;
    std::thread m_thread;
};
