#include "demo/BatchSchedulingScope.h"

#include <QtGlobal>
#include <cerrno>
#include <cstring>
#include <sched.h>

BatchSchedulingScope::BatchSchedulingScope()
{
    // pid 0 is the calling thread alone: the rest of the process keeps its policy. The
    // reset-on-fork flag comes back with the policy; it is kept, as it leaves batch alone.
    const int policy = sched_getscheduler(0);
    if (policy == -1)
        return;
    const int resetOnFork = policy & SCHED_RESET_ON_FORK;
    const int base = policy & ~SCHED_RESET_ON_FORK;
    if (base == SCHED_OTHER) {
        const sched_param param {};
        if (sched_setscheduler(0, SCHED_BATCH | resetOnFork, &param) == 0) {
            m_changed = true;
            m_restore = policy;
        }
    }
    m_active = m_changed || base == SCHED_BATCH;
}

BatchSchedulingScope::~BatchSchedulingScope()
{
    if (!m_changed)
        return;
    const sched_param param {};
    if (sched_setscheduler(0, m_restore, &param) != 0) {
        // Only a security policy could refuse going back; say so rather than leave every
        // thread this one starts quietly a batch task.
        qWarning("cannot put this thread back under its scheduling policy: %s", strerror(errno));
    }
}
