#pragma once

#include <QColor>
#include <cstdint>

/// One stable colour per member id, shared by the topology drawing and the timeline so
/// that a member looks the same everywhere.
namespace MemberColors {
QColor of(uint64_t memberId);
QColor healthy();
QColor warning();
QColor unreachable();
} // namespace MemberColors
