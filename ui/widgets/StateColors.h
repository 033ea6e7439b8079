#pragma once

#include "lb/HaproxyStats.h"

#include <QColor>

/// The colours that mean state, shared by every panel that shows it: green up, red down,
/// amber in between, grey out of rotation. Members never take these (see MemberPalette).
namespace StateColors {

QColor good(); ///< up, healthy, consistent
QColor bad(); ///< down, failed, divergent
QColor warning(); ///< in between
QColor idle(); ///< out of rotation, not known yet

/// A load balancer's view of one backend.
QColor lbServer(HaproxyStats::ServerState state);

} // namespace StateColors
