#pragma once

#include <QtGlobal>

/// Upper bounds on elapsed time in tests, scaled for slow builds. A sanitizer build, or a
/// loaded machine, runs everything several times slower; QUORUMDECK_TEST_TIME_SCALE (a
/// number >= 1, default 1) stretches every upper bound by the same factor. Lower bounds stay
/// as they are: a slow machine never makes something happen sooner.
namespace TestTiming {

inline double slack()
{
    bool ok = false;
    const double scale = qEnvironmentVariable("QUORUMDECK_TEST_TIME_SCALE").toDouble(&ok);
    return ok && scale >= 1.0 ? scale : 1.0;
}

/// An upper bound of `ms` milliseconds, stretched by slack().
inline int upTo(qint64 ms)
{
    return int(qRound64(double(ms) * slack()));
}

} // namespace TestTiming
