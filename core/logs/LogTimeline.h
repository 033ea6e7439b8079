#pragma once

#include "logs/MemberLogEntry.h"

#include <QList>

/// Lines of several sources merged into one timeline ordered by time. Sources deliver in
/// their own order, each a batch at a time; a line without a time (a panic's stack, a line
/// from before the logger started) takes the time of the line before it in its batch, so
/// that it stays beside the lines it belongs to.
namespace LogTimeline {

/// Merges `lines` into `timeline` (already in order), stably: of lines with equal times the
/// ones already there come first. Returns the index of the first line that is new or moved;
/// timeline.size() before the call when every new line went to the end.
qsizetype merge(QList<MemberLogEntry> &timeline, QList<MemberLogEntry> lines);

} // namespace LogTimeline
