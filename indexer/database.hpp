// Opening lede indexes and turning Xapian exceptions into lede::Error with
// context, at the library boundary (as notmuch does around every Xapian call).
#pragma once

#include <xapian.h>
#include <lede/error.hpp>


#include <string>

namespace lede::indexer {

/// Rethrow the active exception (Xapian, std, lede) as lede::Error, prefixed
/// with @p context ("opening index at /x"). Call from a catch block.
[[noreturn]] void rethrow_as_lede(const std::string& context);

/// Open an index for reading; checks it was written by this lede format.
/// @p path may be a folder, a stub file, or tcp://HOST:PORT (xapian-tcpsrv).
/// @throws lede::Error index_not_found / index_version / index_corrupt / io / network
Xapian::Database open_for_reading(const std::string& path, unsigned remote_timeout_ms = 5000);

/// Open (create) an index for writing; fails at once when another writer holds the lock.
Xapian::WritableDatabase open_for_writing(const std::string& path);

/// Folder inside an index where a parallel build writes its shards.
inline constexpr const char* build_dir = ".lede-build";

/// Replace the tables of the (closed, empty) index at @p path by those of the
/// complete index at @p merged, crash-safely: iamglass goes first and comes
/// back last, and an index folder without iamglass is cleared by the next
/// open_for_writing().
void replace_tables(const std::string& path, const std::string& merged);

}  // namespace lede::indexer
