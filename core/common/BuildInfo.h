#pragma once

#include <QString>

/// What this build is: the version, the source revision it was built from and when, and
/// the versions of what it speaks through, for --version and the About dialog.
namespace BuildInfo {

QString version(); ///< "0.1.0"
QString revision(); ///< "5c6c95e" (with "-dirty" for uncommitted changes); "" outside git
QString buildDate(); ///< ISO date of the build
QString qtVersion(); ///< the Qt the program runs with
QString grpcVersion();
QString etcdApi(); ///< the etcd API the client speaks
QString licence();
/// "quorumdeck 0.1.0 (5c6c95e, built 2026-11-28)"
QString versionLine();

} // namespace BuildInfo
