// The batch writer: writes workers' results into one index in file order, in
// transactions of IndexOptions::flush_passages passages.
//
// Each commit stamps the passages it adds with one indexed time (value slot
// index::slot_indexed), later than every earlier commit's, and records it as
// index::meta::indexed: a search bounded by that time sees exactly the
// passages committed by then (alerts, query/alerts.hpp). A passage of a
// re-indexed article whose text is unchanged keeps its old time (OldTimes).
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

#include "index/segments.hpp"
#include "indexer/worker.hpp"

#include <xapian.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace lede::indexer {

using Clock = std::chrono::steady_clock;

/// Whether the run was asked to stop (IndexOptions::cancel).
inline bool cancelled(const IndexOptions& opt) {
    return opt.cancel != nullptr && opt.cancel->load(std::memory_order_relaxed);
}

/// The indexed times of the passages of articles about to be replaced, by
/// article and text: a passage whose text is unchanged keeps its time (an
/// edited article's untouched paragraphs are not new to an alert).
class OldTimes {
public:
    /// Read the passages under @p term (an article's or a file's) before they
    /// are deleted; documents for which @p hidden is true are skipped.
    void read(const Xapian::Database& db, const std::string& term,
              const std::function<bool(Xapian::docid)>& hidden = {});
    /// The stored time value of the old passage with @p doc's article and text, or "".
    [[nodiscard]] std::string find(const Xapian::Document& doc) const;
    [[nodiscard]] bool empty() const { return times_.empty(); }

private:
    std::unordered_map<std::string, std::string> times_;
};

class BatchWriter {
public:
    /// Open (create) the segmented index at @p path for writing: each commit
    /// publishes a new segment (index/segments.hpp).
    explicit BatchWriter(const std::string& path);
    /// A database written alone (a shard of a parallel build, later compacted
    /// into segment @p segment of the index with id @p index_id): its
    /// passages carry that segment's version terms. Without @p termlists it
    /// cannot delete: what it would delete of its own is listed in own_hidden.
    BatchWriter(const std::string& shard_path, std::string index_id, std::uint64_t segment, bool termlists = true);

    std::string path;
    /// Where documents go: the segment being written (opened at begin()), or the shard.
    Xapian::WritableDatabase db;
    /// The segmented index (null for a shard).
    std::unique_ptr<index::segments::Index> index;
    /// A shard of a parallel update: the index it updates, shared by the
    /// shards' threads under @p shared_mu (what it holds of a file or an
    /// article is hidden, read and looked up there, as index is by a writer
    /// of its own). Null for any other writer.
    index::segments::Index* shared = nullptr;
    std::mutex* shared_mu = nullptr;
    /// Collect spelling data while indexing (false: a parallel build's shards,
    /// whose spelling data comes from the merged terms).
    bool spelling = true;
    /// A shard without term lists: the terms whose passages it wrote and
    /// drop() was asked to delete (a file that failed after some of its
    /// parts), for deletion records of the segment it becomes.
    std::vector<std::string> own_hidden;

    /// The indexed time of every commit of this writer, milliseconds (a
    /// parallel build's shards: one time for the whole build); 0: each
    /// commit takes its own (now, or just after the last commit's).
    std::int64_t fixed_time = 0;

    /// Start a transaction unless one is open (and choose its indexed time).
    void begin();
    /// The indexed time the next transaction gets: later than the last
    /// commit's, even when the clock went back.
    [[nodiscard]] std::int64_t next_time() const;
    /// Record @p t as the time of the last commit (after a parallel build's swap).
    void set_last_time(std::int64_t t) { last_time_ = t; }
    /// Add @p doc in the open transaction, stamped with its indexed time: its
    /// old one from @p old when its text is unchanged, else the transaction's;
    /// with the version terms of its file and article (version_terms(): made
    /// once for all passages of an article).
    void add(Xapian::Document& doc, const OldTimes& old, const std::pair<std::string, std::string>& versions);
    /// The version terms add() gives the passages of @p file_term's article
    /// @p article_term: the file's, and the article's ("" when a file's one
    /// article is keyed by its path, the same hash: the file's term finds it).
    std::pair<std::string, std::string> version_terms(const std::string& file_term,
                                                      const std::string& article_term) const;
    /// Delete (segmented: hide) every passage carrying @p term, in the open transaction.
    void drop(const std::string& term);
    /// Whether a passage carrying @p term is there (written or committed, not hidden).
    bool exists(const std::string& term);
    /// The old passages under @p term into @p old (written or committed, not hidden).
    void read_old(OldTimes& old, const std::string& term);
    /// A metadata value as the open transaction has it; set one (empty: erase).
    std::string metadata(const std::string& key);
    void set_metadata(const std::string& key, const std::string& value);
    /// The index as committed (stamps, statistics).
    [[nodiscard]] Xapian::Database committed() const;
    /// Commit the open transaction (with the time of the update): a segmented
    /// index publishes the segment written, the staged ones and the deletions.
    void commit_batch();
    /// Have the next commit publish the segment @p name too (complete and
    /// synced in the index folder: a parallel update's, indexer/parallel.hpp).
    void stage(const std::string& name) { staged_.push_back(name); }
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
    void open_segment();
    void publish();

    bool termlists_ = true;      // db has term lists (delete_document works)
    std::string index_id_;       // whose version terms the passages carry
    std::uint64_t segment_ = 0;  // the number of the segment written (0: none open)
    std::string segment_name_;
    std::vector<std::string> staged_;  // segments the next commit publishes too
    // The times of the file being written, read with its first part (a
    // large file comes in parts; its old passages are gone after the first).
    OldTimes old_times_;
    std::int64_t last_time_ = 0;  // of the last commit (index::meta::indexed)
    std::int64_t txn_time_ = 0;
    std::string txn_value_;  // txn_time_ as stored in slot_indexed
    bool in_txn_ = false;
    std::size_t in_batch_ = 0;
    std::set<std::string> stdin_known_;  // articles read from standard input before, for a multi-part input
};

}  // namespace lede::indexer
