#pragma once

#include "common/Result.h"
#include "profile/ClusterManifest.h"

/// The demo cluster's certificates, made for it in DIR/pki: a CA, a server and a peer
/// certificate for 127.0.0.1 and localhost, a client certificate whose CN (root) is the etcd
/// user it authenticates as, and the bundle HAProxy's health checks present. Private keys
/// are readable by their owner only.
namespace DemoPki {

/// Makes them all; the files' paths, or why not.
Result<LocalTls> create(const QString &dir);

} // namespace DemoPki
