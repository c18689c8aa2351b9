/// @file lede/index.hpp
/// @brief Building and updating a lede index: batch jobs over files and
/// folders, or articles added one by one from a program.
#pragma once

#include <lede/export.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lede {

/// A file (or line of a JSON Lines file) that could not be indexed, and why.
struct FileError {
    std::string path;    ///< the file ("-" for standard input)
    std::string reason;  ///< one line, e.g. "binary file (NUL bytes)" or "line 7: invalid JSON"
};

/// What one indexing run did.
struct IndexReport {
    std::size_t files = 0;      ///< source files looked at
    std::size_t added = 0;      ///< new articles
    std::size_t updated = 0;    ///< articles re-indexed because their file changed
    std::size_t unchanged = 0;  ///< files skipped because they did not change
    std::size_t removed = 0;    ///< articles pruned because their file is gone
    std::size_t failed = 0;     ///< files (or JSON lines) that could not be indexed
    std::size_t passages = 0;   ///< passages written in this run
    std::size_t non_prose = 0;  ///< lines kept out of passages (wire codes, tickers)
    std::size_t repaired = 0;   ///< invalid UTF-8 bytes replaced by '?'
    std::uint64_t bytes = 0;    ///< bytes of text read
    double seconds = 0.0;       ///< wall time
    /// The run stopped early because IndexOptions::cancel was set: the files
    /// written before the stop are committed (one writer, or the writers of
    /// an update) or nothing is (a parallel build of a new index, dropped
    /// before its compaction).
    bool interrupted = false;
    /// Segments merged at the end of the run (IndexOptions::merge), in how
    /// many merges, their wall time (part of `seconds`), and the segments
    /// the index holds after the run (docs/ARCHITECTURE.md "Segments, deletions, merges").
    std::size_t segments_merged = 0;
    std::size_t merges = 0;
    double merge_seconds = 0.0;
    /// Segments rebuilt alone at the end of the run, no merge having picked
    /// them, because more than 20 % of their passages were hidden (their
    /// wall time is in `merge_seconds`).
    std::size_t segments_expunged = 0;
    /// Hidden passages the merges and those rebuilds dropped (a merge whose
    /// parts hide more than 20 % of their passages rebuilds them without those).
    std::size_t hidden_dropped = 0;
    std::size_t segments = 0;
    /// Writers that wrote the run's files (one per job for a batch of 4 MB
    /// or more, or IndexOptions::writers; indexer/parallel.hpp).
    std::size_t writers = 1;
    std::vector<FileError> errors;    ///< failures (counted in `failed`)
    std::vector<FileError> warnings;  ///< indexed, but worth a look (repaired UTF-8, empty)
};

/// Progress of a running batch, reported to IndexOptions::progress.
struct IndexProgress {
    std::size_t files_done = 0;
    std::size_t files_total = 0;
    std::uint64_t bytes_done = 0;
    std::uint64_t bytes_total = 0;
    double seconds = 0.0;
};

/// How input files are read.
enum class InputFormat {
    auto_detect,  ///< by extension (.jsonl/.ndjson, .html/.htm, .rss/.atom/.xml) and HTML by content, else
                  ///< text/Markdown
    text,         ///< plain text or Markdown (optional front matter: title, date, source, url)
    jsonl,        ///< one article per line: {"id", "title", "text"|"body", "date", "source", "url"}
    html,         ///< an HTML page: one article (metadata from meta tags and JSON-LD, the body without page furniture)
    feed,         ///< an RSS or Atom feed: one article per item, keyed by the feed and the item's guid
};

/// JSON Lines field names (configurable for other exports).
struct JsonFields {
    std::string id = "id";
    std::string title = "title";
    std::vector<std::string> text = {"text", "body"};  ///< the first present is used
    std::string date = "date";
    std::string source = "source";
    std::string url = "url";
};

/// Options of an indexing run.
struct IndexOptions {
    bool prune = false;  ///< remove articles whose files are gone (under the given folders)
    unsigned jobs = 0;   ///< analysis threads (0 = the machine's cores)
    InputFormat format = InputFormat::auto_detect;
    JsonFields json;                   ///< field names for JSON Lines
    std::vector<std::string> include;  ///< globs a file name must match (default: *.txt *.md *.jsonl ...)
    std::vector<std::string> exclude;  ///< globs that skip files and folders
    /// Commit after this many passages, also inside a large file. With files
    /// over 8 MB read in pieces and articles read whole limited to 64 MB, this
    /// bounds memory (docs/RELIABILITY.md); a crash loses at most one batch.
    std::size_t flush_passages = 20000;
    /// Date articles that have no date of their own from their file's path
    /// (2026/02/04/slug.txt, 2026-02-04-slug.md, 1790_washington.txt; docs/QUERY.md).
    bool path_dates = true;
    /// Sharding for parallel batch jobs: with shard_count N > 1, this run takes
    /// only the files whose path hashes to shard_index (1..N), so N jobs over
    /// the same folders each write their own shard deterministically.
    unsigned shard_index = 0;
    unsigned shard_count = 0;
    /// Writers of the run's new and changed files: each writes a shard of
    /// them, and the shards are compacted into one new segment at the end,
    /// added by one commit. 0 = automatic (one per job, for batches of at
    /// least 4 MB and four files per job), 1 = one writer.
    unsigned writers = 0;
    /// Merge segments of similar size at the end of the run, so that a search
    /// opens few (a tiered policy: docs/ARCHITECTURE.md "Segments, deletions, merges").
    bool merge = true;
    /// Keep the term lists (~37 % of an index) so that xapian-tcpsrv can
    /// serve the index as a remote shard (docs/SCALING.md). Recorded in the
    /// index: every later run, merge and compact_index() keeps them. Only for
    /// a new index (an index without them: compact_index(..., true) makes a
    /// copy with them); invalid_argument otherwise.
    bool remote_ready = false;
    /// Called about five times a second from the indexing thread (optional).
    std::function<void(const IndexProgress&)> progress;
    /// What the path "-" reads (the lede command passes std::cin); without
    /// it, "-" fails as a file that cannot be read.
    std::istream* stdin_input = nullptr;
    /// Cancellation (optional): when *cancel becomes true (from any thread,
    /// e.g. a signal handler's flag), the run stops at the next safe point -
    /// between files, before a parallel build's compaction - commits the
    /// files written so far (a parallel build drops its shards instead),
    /// skips --prune and returns a report with `interrupted` set. A file being
    /// analysed is finished first.
    const std::atomic<bool>* cancel = nullptr;
};

/// One article given directly by a program (Indexer::add_article).
struct Article {
    std::string key;   ///< unique id of the article (re-adding a key replaces it)
    std::string text;  ///< the article text (UTF-8)
    std::string title;
    std::string date;  ///< YYYY-MM-DD, or YYYY-MM or YYYY for a month or year (or empty)
    std::string source;
    std::string url;
};

/// Statistics of an index (lede stats).
struct IndexStats {
    std::uint64_t articles = 0;
    std::uint64_t passages = 0;
    std::uint64_t terms = 0;  ///< distinct terms
    std::uint64_t bytes_on_disk = 0;
    std::string last_update;  ///< ISO 8601 time of the last commit by lede ("" if unknown)
    std::uint64_t dated = 0;  ///< articles with a date
    /// Dated articles by where their date came from, in this order: "front_matter",
    /// "json", "html", "feed", "path", "api" (Indexer::add_article).
    std::vector<std::pair<std::string, std::uint64_t>> dated_from;
};

/// Writes a lede index. Holds the index's write lock while it exists.
///
/// Thread safety: one Indexer per index, used from one thread (index_paths
/// runs its own analysis threads internally). Readers (lede::Searcher) may
/// search the index while it writes; they see the last committed state.
class LEDE_API Indexer {
public:
    /// Open (creating if needed) the index at @p db_path for writing.
    /// @throws lede::Error (index_locked when another writer is active, io, index_version)
    explicit Indexer(const std::string& db_path);
    /// Commits what was written.
    ~Indexer();
    /// Moving leaves the source without an index: its methods then throw
    /// lede::Error with ErrorKind::invalid_argument.
    Indexer(Indexer&&) noexcept;
    Indexer& operator=(Indexer&&) noexcept;
    Indexer(const Indexer&) = delete;
    Indexer& operator=(const Indexer&) = delete;

    /// Index files and folders ("-" = standard input). Unchanged files are
    /// skipped; per-file failures are collected in the report, never thrown.
    /// @throws lede::Error only when the index itself fails (disk full, corruption).
    IndexReport index_paths(const std::vector<std::string>& paths, const IndexOptions& options = {});

    /// Add or replace one article; returns its number of passages.
    std::size_t add_article(const Article& article);

    /// Remove an article added with add_article; returns false if it was not there.
    bool remove_article(const std::string& key);

    /// Make everything written so far durable (then merge segments as at
    /// the end of index_paths()).
    void commit();

    /// Statistics of the index as committed.
    [[nodiscard]] IndexStats stats();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Statistics of the index at @p db_path (read-only).
/// @throws lede::Error index_not_found / index_version / index_corrupt
LEDE_API IndexStats index_stats(const std::string& db_path);

/// Write a compacted copy of the index at @p db_path to @p out_path (which must
/// not exist): one segment, without the passages updates and removals hid, so
/// that it ranks exactly as an index built afresh from the same files. With
/// @p remote_ready, or when the index is remote-ready already, the copy keeps
/// term lists (IndexOptions::remote_ready), made again from the stored
/// passages when the index has none.
/// @throws lede::Error
LEDE_API void compact_index(const std::string& db_path, const std::string& out_path, bool remote_ready = false);

/// Merge several shards (folders or stub files) into one compacted index at
/// @p out_path (remote-ready when asked or when any shard is).
/// @throws lede::Error
LEDE_API void compact_index(const std::vector<std::string>& shards, const std::string& out_path,
                            bool remote_ready = false);

/// The shard (1..@p shard_count) a file belongs to under IndexOptions::shard_count.
LEDE_API unsigned shard_of(const std::string& path, unsigned shard_count);

}  // namespace lede
