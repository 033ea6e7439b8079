#pragma once

#include "common/Result.h"

/// Stores the value in *out when there is one, and returns Result::problem(): lets a test say
/// QCOMPARE(take(ClusterManifest::read(dir), &manifest), QString()).
template <typename T> QString take(const Result<T> &r, T *out)
{
    if (r.ok())
        *out = r.value();
    return r.problem();
}
