#pragma once

#include "etcd/EtcdError.h"

#include <functional>
#include <optional>
#include <utility>

/// The one shape every asynchronous etcd call returns: a value, or an error with a
/// sentence. latencyMs is the wall time from sending the request to its answer.
template <typename T> struct EtcdResult {
    std::optional<T> value;
    EtcdError error;
    double latencyMs = 0;
    QString endpoint;

    bool ok() const { return value.has_value(); }
    const T &operator*() const { return *value; }
    const T *operator->() const { return &*value; }
};

template <typename T> using EtcdCallback = std::function<void(const EtcdResult<T> &)>;
