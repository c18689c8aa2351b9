/// @file lede/index.hpp
/// @brief Building and updating a lede index from article files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lede {

/// A file that could not be indexed, and why. Never fatal for a batch.
struct FileError {
    std::string path;
    std::string reason;
};

/// What one indexing run did.
struct IndexReport {
    std::size_t added = 0;      ///< new articles
    std::size_t updated = 0;    ///< articles whose file changed
    std::size_t unchanged = 0;  ///< articles skipped because the file did not change
    std::size_t removed = 0;    ///< articles pruned because their file is gone
    std::size_t failed = 0;     ///< files that could not be indexed (see errors)
    std::size_t passages = 0;   ///< passages written in this run
    std::size_t non_prose = 0;  ///< lines kept out of passages (wire codes, tickers)
    std::uint64_t bytes = 0;    ///< bytes of text read
    double seconds = 0.0;       ///< wall time
    std::vector<FileError> errors;    ///< files that failed (counted in `failed`)
    std::vector<FileError> warnings;  ///< indexed, but worth a look (repaired UTF-8, empty)
};

/// Options of an indexing run.
struct IndexOptions {
    bool prune = false;  ///< remove articles whose files are gone (under the given folders)
};

/// Writes a lede index. Holds the index's write lock while it exists.
///
/// Thread safety: one Indexer per index; not safe to share between threads.
class Indexer {
public:
    /// Open (creating if needed) the index at @p db_path for writing.
    /// @throws lede::Error (index_locked when another writer is active, io, index_version)
    explicit Indexer(const std::string& db_path);
    ~Indexer();
    Indexer(Indexer&&) noexcept;
    Indexer& operator=(Indexer&&) noexcept;
    Indexer(const Indexer&) = delete;
    Indexer& operator=(const Indexer&) = delete;

    /// Index files and folders (recursively: .txt and .md files). Unchanged files are
    /// skipped; per-file failures are collected in the report, never thrown.
    /// @throws lede::Error only when the index itself fails (disk full, corruption).
    IndexReport index_paths(const std::vector<std::string>& paths, const IndexOptions& options = {});

    /// Make everything written so far durable.
    void commit();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lede
