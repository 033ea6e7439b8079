#pragma once

#include "common/Result.h"

#include <QList>
#include <QString>

/// Finds free TCP ports on 127.0.0.1. All ports of one request are held open together
/// while they are chosen, so one request never returns the same port twice.
namespace PortAllocator {

/// n distinct free ports, or why there are none.
Result<QList<quint16>> freePorts(int n);

/// True when a listener could take 127.0.0.1:port the way etcd binds one (SO_REUSEADDR):
/// nothing listens there. Connections of an earlier run still in TIME_WAIT do not count.
bool isFree(quint16 port);

} // namespace PortAllocator
