#pragma once

#include <memory>

/// The operator's request to stop a long operation, shared by whoever offers the Cancel
/// button and the operation that honours it. The operation decides where stopping is safe
/// (StepChain stops only before a step that may be skipped); a request elsewhere waits for
/// the next such point, or for the end.
class StopToken {
public:
    void request() { *m_requested = true; }
    bool requested() const { return *m_requested; }

private:
    std::shared_ptr<bool> m_requested = std::make_shared<bool>(false);
};
