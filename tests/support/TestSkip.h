#pragma once

#include <QTest>
#include <QtGlobal>

/// Skips the current test function because the named binary is not installed, or fails it
/// when QUORUMDECK_TESTS_FORBID_SKIP=1: where every tool is supposed to be installed (CI), a
/// missing one is an error to see, not a quiet pass. A test may skip for no other reason.
///
///     if (LocalCluster::locateHaproxy().isEmpty())
///         QD_SKIP_WITHOUT("haproxy", "the demo's load balancer runs it");
#define QD_SKIP_WITHOUT(binaryName, why)                                                                               \
    do {                                                                                                               \
        const QByteArray qdSkipReason = QByteArray(binaryName) + " is not installed: " + QByteArray(why);              \
        if (qEnvironmentVariableIntValue("QUORUMDECK_TESTS_FORBID_SKIP") == 1)                                         \
            QFAIL(qdSkipReason.constData());                                                                           \
        QSKIP(qdSkipReason.constData());                                                                               \
    } while (false)
