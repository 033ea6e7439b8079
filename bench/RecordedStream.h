#pragma once

// Reads a stream written by bench/record_stream.sh: for each scrape a line
// "# scrape <instance> <unix ms> <bytes>" followed by the payload.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

struct RecordedScrape {
    std::string instance;
    int64_t timestampMs = 0;
    std::string payload;
};

inline std::vector<RecordedScrape> loadRecordedStream()
{
    const char *path = std::getenv("QUORUMDECK_STREAM");
    std::ifstream in(path ? path : "", std::ios::binary);
    if (!path || !in) {
        std::fprintf(stderr,
            "Set QUORUMDECK_STREAM to a stream recorded with bench/record_stream.sh "
            "(for example: bench/record_stream.sh build-bench/app/quorumdeck build-bench/stream.txt).\n");
        std::exit(2);
    }
    std::vector<RecordedScrape> out;
    std::string header;
    while (std::getline(in, header)) {
        std::istringstream fields(header);
        std::string hash, word;
        RecordedScrape s;
        size_t bytes = 0;
        if (!(fields >> hash >> word >> s.instance >> s.timestampMs >> bytes) || word != "scrape") {
            std::fprintf(stderr, "%s: not a recorded stream (header \"%s\")\n", path, header.c_str());
            std::exit(2);
        }
        s.payload.resize(bytes);
        in.read(s.payload.data(), std::streamsize(bytes));
        out.push_back(std::move(s));
    }
    return out;
}
