#pragma once

#include "demo/LocalCluster.h"
#include "support/TestSkip.h"

/// For a test of the demo's load balancer: skips when haproxy is not installed (the only
/// reason the demo may legitimately run without one), and otherwise fails when the load
/// balancer is not running, with the demo's own sentence for why (HAProxy refused its
/// configuration, the admin socket's path was too long, ...).
#define QD_REQUIRE_DEMO_LB(running, whyNot)                                                                            \
    do {                                                                                                               \
        if (LocalCluster::locateHaproxy().isEmpty())                                                                   \
            QD_SKIP_WITHOUT("haproxy", "the demo's load balancer runs it (installer/install-deps.sh installs it)");    \
        QVERIFY2((running),                                                                                            \
            qPrintable(QStringLiteral("haproxy is installed, yet the demo has no load balancer: ") + (whyNot)));       \
    } while (false)
