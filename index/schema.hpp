// The index schema: every term prefix, value slot and metadata key a lede
// index holds, the limits on them, and every function that makes a term. The
// indexer writes with these and the searcher reads with these; nothing else
// joins a prefix to a word.
//
//   term            example          what                                       written for
//   word            "talks"          a normalized word (Analyzer::tokenize)     every token
//   Z + stem        "Ztalk"          English stem, when it differs from the word  non-numeric tokens
//   V + key         "Vumirov"        spelling-variant key (analysis/variants)   names (TermMaker::wants_variant)
//   T + word        "Tpeace"         a title word                               each passage of the article
//   A + hash        "A1f0c…"         the article (64-bit hash of its key)       each passage (boolean)
//   S + hash        "S93be…"         the source file (hash of its path)         each passage (boolean)
//   P + path        "P/news/a.txt"   the file's path, for path:                 the article's first passage
//   XS + name       "XSreuters"      source name, lower case (source:)          each passage (boolean)
//   XD + origin     "XDpath"         where the article's date came from (stats)   the article's first passage
//
//   value slots     2 date, 3 order, 4 period, 6 near-copy sketch, 7 indexed (see below)
//
// No word positions are stored: phrases, NEAR and ADJ are checked on the
// passage text (query/verify.hpp).
//
//   value slot      example               what
//   2 date          "20260204"            the article's date, YYYYMMDD
//   3 order         hash + passage        ties' order in every layout (order_key()); -C neighbours
//   4 period        "20261231y" hash "AP" the date's last day, precision, article and source
//   7 indexed       sortable(ms)          when the passage was indexed: milliseconds since
//                                         1970 UTC, one value per commit (alerts)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lede::index {

/// The term prefixes. Prefixes are upper case; a word never is (the analyzer
/// folds case), so a term starting with 'A'..'Z' is a prefixed one.
namespace prefix {
inline constexpr std::string_view stem = "Z";
inline constexpr std::string_view variant = "V";
inline constexpr std::string_view title = "T";
inline constexpr std::string_view article = "A";
inline constexpr std::string_view file = "S";
inline constexpr std::string_view path = "P";
inline constexpr std::string_view source = "XS";
inline constexpr std::string_view date_origin = "XD";
}  // namespace prefix

/// Whether @p term carries a prefix (is not a plain word).
inline bool is_prefixed(std::string_view term) { return !term.empty() && term[0] >= 'A' && term[0] <= 'Z'; }

/// Value slots. Slot 0 is unused (per-article grouping reads the stored
/// record); slots 1 (the passage number: slot_order has it) and 5 (the source:
/// slot_period has it) were used up to format lede-5.
inline constexpr unsigned slot_date = 2;  ///< YYYYMMDD, the date's first day (date: ranges, --sort)
/// The order key (order_key()): what Xapian sorts passages of equal weight by,
/// so that every layout of the same passages (one index, shards, a stub file,
/// tcp shards, compacted or grown by updates) ranks them alike. Docids differ
/// between layouts; this key does not. Its range over one article gives a
/// passage's neighbours (-C).
inline constexpr unsigned slot_order = 3;
/// The date's last day YYYYMMDD and its precision ('y', 'm', 'd'), or "-"
/// when undated; the article's hash (8 bytes); its source name (date:
/// ranges, --timeline, --by: one value per article; index/dates.hpp).
inline constexpr unsigned slot_period = 4;
/// Near-copy sketch of the passage text (analysis/sketch.hpp: 9 bytes), compared
/// among a search's candidates to show wire copies once (query/copies.hpp).
inline constexpr unsigned slot_sketch = 6;
/// When the passage was indexed: sortable_serialise(milliseconds since 1970
/// UTC), the time of the commit that first wrote its text (a passage whose
/// text is unchanged when its article is re-indexed keeps it). Every commit
/// of an index has a later time than the one before (meta::indexed), so a
/// search bounded by a commit's time sees exactly the passages committed by
/// then (--indexed-since, --since-last; query/alerts.hpp).
inline constexpr unsigned slot_indexed = 7;
/// The passage record (record.hpp): one zstd frame. In a value slot, not the
/// document's data, because Xapian zlib-compresses data at every write and
/// again when a compaction copies an uncompressed tag: a frame would be
/// deflated twice for nothing (format lede-8).
inline constexpr unsigned slot_record = 8;

/// Metadata keys.
namespace meta {
/// Index format version; bump on any change to terms, record layout or
/// analysis that makes old indexes unreadable.
inline constexpr const char* format = "lede:format";
/// The analysis settings the index was written with (analysis::fingerprint()).
inline constexpr const char* analysis = "lede:analysis";
/// ISO 8601 time of the last commit by lede.
inline constexpr const char* updated = "lede:updated";
/// The indexed time (slot_indexed) of the last commit, milliseconds as
/// decimal text: an alert's checkpoint of this index.
inline constexpr const char* indexed = "lede:indexed";
/// A random id given to an index when it is created (and kept when it is
/// compacted alone): the key of its alert checkpoints (query/alerts.hpp).
inline constexpr const char* id = "lede:id";
/// "kept" when the index's segments keep their term lists, so that
/// xapian-tcpsrv can serve it (lede index --remote-ready; index/segments.hpp).
inline constexpr const char* termlists = "lede:termlists";
/// Per-file stamps (size, mtime, hash, articles) under "F" + absolute path.
inline constexpr std::string_view file_stamp = "F";
}  // namespace meta

inline constexpr const char* format_version = "lede-8";

/// Limits. Xapian refuses terms over 245 bytes and metadata keys over ~240.
inline constexpr std::size_t max_xapian_term = 245;
/// Longest key stored as is in a keyed term (source:); longer ones are hashed.
inline constexpr std::size_t max_term_key = 200;
/// Longest path given a path term, or a readable file-stamp key.
inline constexpr std::size_t max_path_key = 240;

/// A term no document has (terms never start with a control character).
inline constexpr std::string_view no_match_term = "\x01nothing";

/// Word terms: the stem term, the variant-key term, a title word's term.
std::string stem_term(std::string_view stem);
std::string variant_term(std::string_view key);
std::string title_term(std::string_view word);
/// The same into @p out (replacing its contents), for loops that reuse a buffer.
void stem_term(std::string& out, std::string_view stem);
void variant_term(std::string& out, std::string_view key);

/// The Xapian term identifying all passages of one article (prefix "A").
std::string article_term(std::string_view article_key);
/// Short stable reference of an article key (its article term without the prefix).
std::string article_ref(std::string_view article_key);
/// The article term from an article_ref().
std::string article_term_of_ref(std::string_view ref);
/// The Xapian term identifying all passages from one source file (prefix "S").
std::string file_term(std::string_view abs_path);
/// The path term of a file (path:); "" when the path is too long for a term.
std::string path_term(std::string_view abs_path);
/// The prefix every path term of files at or under @p path starts with.
std::string path_term_prefix(std::string_view path);
/// The file term of the file a path term names.
std::string file_term_of_path_term(std::string_view path_term);
/// The term marking an article's first passage with where its date came from
/// ("front", "json", "html", "feed", "path", "api"; prefix "XD").
inline std::string date_origin_term(std::string_view origin) {
    return std::string(prefix::date_origin) + std::string(origin);
}
/// The boolean term of a source name (prefix "XS", lower case, spaces kept).
std::string source_term(std::string_view source);

/// The 64-bit hash of an article key: article_ref() in hex, order_key()'s first 8 bytes.
std::uint64_t article_hash(std::string_view article_key);
/// The order key of a passage (slot_order): the 64-bit hash of its article key
/// and its passage number, both big-endian, 12 bytes; byte order is the tie order.
std::string order_key(std::string_view article_key, int passage);
/// The same from an article_ref() (a later passage's stored reference): what
/// order_key() gives for the key it names; "" when @p ref is not a reference.
std::string order_key_of_ref(std::string_view ref, int passage);

/// The metadata key of a file's stamp.
std::string stamp_key(std::string_view abs_path);
/// The path a stamp key names (stamp keys of long paths are hashed and give "").
std::string stamp_path(std::string_view key);

/// Whether a word goes into the spelling data: words, not ids, hashes or
/// codes (which the mail in a news folder is full of, and which bloat the table).
inline bool spelling_word(std::string_view term) {
    return term.size() >= 3 && term.size() <= 20 && term.find_first_of("0123456789") == std::string_view::npos;
}

}  // namespace lede::index
