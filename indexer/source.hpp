// Reading sources: walking folders for article files and loading a file's
// text safely (binary files refused, invalid UTF-8 repaired in place).
#pragma once

#include <lede/index.hpp>

#include "indexer/encoding.hpp"

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace lede::indexer {

/// A file found by the walk.
struct SourceFile {
    std::string path;  ///< absolute, lexically normalized
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
};

/// File names indexed when walking folders, unless --include says otherwise.
const std::vector<std::string>& default_includes();

/// Expand files and folders (recursively) into article files, sorted by path.
/// In folders, a file is taken when its name matches one of @p include
/// (default_includes() when empty) and no part of its path below the root
/// matches @p exclude (shell globs). Files named explicitly are always taken.
/// Problems (missing path, unreadable folder, broken symlink) go to @p errors.
std::vector<SourceFile> collect_files(const std::vector<std::string>& roots, const std::vector<std::string>& include,
                                      const std::vector<std::string>& exclude, std::vector<FileError>& errors);

/// The loaded text of a file, decoded to UTF-8 (indexer/encoding.hpp).
struct LoadedText {
    std::string text;
    std::size_t repaired = 0;  ///< invalid UTF-8 bytes replaced by '?'
    std::string charset;       ///< the file's charset as decided
    DecodedAs how = DecodedAs::utf8;
    OriginMap origin;  ///< text offsets → file offsets (identity for UTF-8 files)
};

/// Read @p path. Returns false and sets @p reason for unreadable or binary
/// files (NUL bytes, unless a byte-order mark or the pattern of UTF-16 says
/// they are text).
bool load_text(const std::string& path, LoadedText& out, std::string& reason);

/// Read a whole stream (standard input) with the same checks as load_text.
bool load_stream(std::istream& in, LoadedText& out, std::string& reason);

/// The same checks and decoding for the bytes of a file read already.
bool load_bytes(std::string bytes, LoadedText& out, std::string& reason);

}  // namespace lede::indexer
