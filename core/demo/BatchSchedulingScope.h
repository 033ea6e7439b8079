#pragma once

/// While it lives, the calling thread runs under Linux's SCHED_BATCH policy, so that every
/// process it starts inherits that policy; the thread's own policy comes back with the
/// scope's end.
///
/// Demo members share the operator's machine with the console. A batch task never preempts
/// a running task when it wakes up: it runs on a free core, or once the running task yields
/// or its time slice ends. So a member answering a request never interrupts the console (or
/// any other interactive program) halfway through sending the rest of a tick's requests.
/// Nothing else changes: a batch task keeps its nice value and its fair share of the CPU.
///
/// A thread already running under another policy than the default (the operator started
/// QuorumDeck under `chrt`) is left as it is, and the processes it starts get that policy
/// (or, for a real-time one with SCHED_RESET_ON_FORK, the default one, as the kernel does).
class BatchSchedulingScope {
public:
    BatchSchedulingScope();
    ~BatchSchedulingScope();

    BatchSchedulingScope(const BatchSchedulingScope &) = delete;
    BatchSchedulingScope &operator=(const BatchSchedulingScope &) = delete;

    /// True when the thread runs under SCHED_BATCH now, by this scope or by its own.
    bool active() const { return m_active; }

private:
    bool m_changed = false;
    bool m_active = false;
    int m_restore = 0; // the policy to put back, flags included
};
