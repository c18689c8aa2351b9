// File stamps: per-file bookkeeping in the index metadata (index::stamp_key):
// size, mtime, content hash and article count. A run skips a file whose size
// and mtime match its stamp (and rewrites only the stamp when its content hash
// does); pruning removes the articles of stamped files that are gone.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lede::indexer {

struct FileStamp {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint64_t hash = 0;
    std::size_t articles = 0;

    [[nodiscard]] std::string str() const;
    static FileStamp parse(const std::string& s);
};

/// The stamp of the file at @p abs_path, if the index has one.
std::optional<FileStamp> read_stamp(const Xapian::Database& db, const std::string& abs_path);

/// Whether the index has any file stamp.
bool has_stamps(const Xapian::Database& db);

/// A stamped file that is gone.
struct GoneFile {
    std::string key;  ///< its stamp key
    FileStamp stamp;
};

/// The stamped files at or under @p roots ("-" is skipped) that no longer exist.
std::vector<GoneFile> gone_files(const Xapian::Database& db, const std::vector<std::string>& roots);

}  // namespace lede::indexer
