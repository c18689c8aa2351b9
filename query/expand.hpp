// What a query needs from the index before it can be built or retried:
// wildcard expansion (Zelen*), the files of path:, and spelling correction
// ("did you mean"). Each reads the merged term lists of all shards, so one
// index and N shards expand alike.
#pragma once

#include "analysis/analyzer.hpp"
#include "analysis/terms.hpp"
#include "query/parse.hpp"

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace lede::query {

/// The most frequent plain terms starting with @p prefix, at most @p limit,
/// most frequent first (ties in term order).
std::vector<std::string> expand_prefix(const Xapian::Database& db, const std::string& prefix, std::size_t limit = 500);

/// path:: the file terms of the indexed files at @p path or under it (a folder
/// path ends in '/').
std::vector<std::string> files_under(const Xapian::Database& db, const std::string& path);

/// path: when no stored path matches as written: the file terms of the
/// indexed files whose path, with its symbolic links resolved, is @p real or
/// under it (@p real: a path with its links resolved; a folder ends in '/').
/// Each folder of the index is resolved once; at most @p max_files paths are looked at.
std::vector<std::string> files_under_resolved(const Xapian::Database& db, const std::string& real,
                                              std::size_t max_files = 1000000);

/// A spelling correction of query @p q (parsed as @p ast): each positive plain
/// word the index does not know, replaced by Xapian's spelling suggestion,
/// keeping an initial capital. "" when nothing changed. @p confident is false
/// when a suggestion starts with another letter (suggest it, never search it
/// unasked). Throws Xapian::UnimplementedError on remote shards.
std::string correct_spelling(const Xapian::Database& db, const Node& ast, std::string_view q,
                             analysis::Analyzer& analyzer, analysis::TermMaker& terms, bool& confident);

}  // namespace lede::query
