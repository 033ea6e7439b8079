#include "local/BatchSchedulingScope.h"

#ifdef __linux__
#include <sched.h>
#endif

BatchSchedulingScope::BatchSchedulingScope()
{
#ifdef __linux__
    // pid 0 is the calling thread alone: the rest of the process keeps its policy.
    const int policy = sched_getscheduler(0);
    if (policy == SCHED_OTHER) {
        const sched_param param {};
        m_changed = sched_setscheduler(0, SCHED_BATCH, &param) == 0;
    }
    m_active = m_changed || policy == SCHED_BATCH;
#endif
}

BatchSchedulingScope::~BatchSchedulingScope()
{
#ifdef __linux__
    if (m_changed) {
        const sched_param param {};
        sched_setscheduler(0, SCHED_OTHER, &param);
    }
#endif
}
