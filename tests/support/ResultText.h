#pragma once

#include "common/Result.h"

/// Why a Result failed, as the CLI prints it, or an empty string when it did not: lets a test
/// say QVERIFY2(why(r).isEmpty(), qPrintable(why(r))) and match on the sentence.
template <typename T> QString why(const Result<T> &r)
{
    return r.ok() ? QString() : r.error().describe();
}

/// Stores the value in *out when there is one; returns why() either way.
template <typename T> QString take(const Result<T> &r, T *out)
{
    if (r.ok())
        *out = r.value();
    return why(r);
}
