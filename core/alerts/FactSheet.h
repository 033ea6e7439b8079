#pragma once

#include "tsdb/SeriesStore.h"

#include <map>
#include <string>
#include <vector>

/// What the console knows of the cluster beyond its members' metrics (the LB's view, the
/// certificates, the last consistency check, the backups), written as samples so that its
/// own rules are PromQL like the etcd rules. Each source's facts are replaced whole when it
/// records again: a fact no longer recorded is absent at the next evaluation, as a series
/// that a scrape stops reporting.
class FactSheet {
public:
    struct Fact {
        std::string metric;
        SeriesLabels labels;
        double value = 0;
    };

    /// Replaces what `source` recorded before.
    void record(const std::string &source, std::vector<Fact> facts);
    void forget(const std::string &source);
    size_t size() const;

    /// Every fact as one sample at `atMs`, in `store`.
    void writeTo(SeriesStore &store, int64_t atMs) const;

private:
    std::map<std::string, std::vector<Fact>> m_sources;
};
