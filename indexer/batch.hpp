// The batch writer: writes workers' results into one index in file order, in
// transactions of IndexOptions::flush_passages passages.
//
//   files → [workers (worker.hpp): read, analyse → documents] → writer (this
//   thread, file order) → commit every flush_passages passages
//
// A crash loses at most the batch in flight, and since a file's stamp is
// written in the same transaction as its last passages, the next run redoes
// exactly what was lost. Memory is bounded by the batch size, the pieces the
// workers read (indexer/reader.hpp) and the parts of results waiting for the
// writer (at most part_passages passages each, a few at a time).
#pragma once

#include <lede/index.hpp>

#include "indexer/worker.hpp"

#include <xapian.h>

#include <chrono>
#include <cstddef>
#include <set>
#include <string>
#include <vector>

namespace lede::indexer {

using Clock = std::chrono::steady_clock;

/// Whether the run was asked to stop (IndexOptions::cancel).
inline bool cancelled(const IndexOptions& opt) {
    return opt.cancel != nullptr && opt.cancel->load(std::memory_order_relaxed);
}

class BatchWriter {
public:
    /// Open (create) the index at @p path for writing.
    explicit BatchWriter(const std::string& path);

    std::string path;
    Xapian::WritableDatabase db;
    /// Collect spelling data while indexing (false: a parallel build's shards,
    /// whose spelling data comes from the merged terms).
    bool spelling = true;

    /// Start a transaction unless one is open.
    void begin();
    /// Commit the open transaction (with the time of the update).
    void commit_batch();
    /// Cancel the open transaction (on failure; never throws).
    void cancel() noexcept;

    /// Analyse @p jobs on IndexOptions::jobs threads and write them in order.
    /// Stops between files when IndexOptions::cancel is set (rep.interrupted);
    /// what was written stays in the open transaction for the caller.
    void run_batch(std::vector<Job>& jobs, const IndexOptions& opt, IndexReport& rep, Clock::time_point t0);

    /// Write one file's result; returns the number of passages written.
    std::size_t write(const Job& job, JobResult& r, IndexReport& rep);

    /// Whether this is a new, empty index (no passages, no file stamps).
    bool fresh();

    /// Remove the articles of stamped files at or under @p roots that are gone.
    void prune(const std::vector<std::string>& roots, IndexReport& rep);

private:
    bool in_txn_ = false;
    std::size_t in_batch_ = 0;
    std::set<std::string> stdin_known_;  // articles read from standard input before, for a multi-part input
};

}  // namespace lede::indexer
