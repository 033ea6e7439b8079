#include "etcd/CompletionPump.h"

CompletionPump::CompletionPump()
    : m_thread([this] { run(); })
{
}

CompletionPump::~CompletionPump()
{
    // Next() keeps returning the calls still on the queue, then false once it is drained.
    m_queue.Shutdown();
    m_thread.join();
}

void CompletionPump::run()
{
    void *tag = nullptr;
    bool ok = false;
    while (m_queue.Next(&tag, &ok))
        static_cast<Call *>(tag)->finish();
}
