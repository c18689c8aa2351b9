// The stored form of a passage: what a Xapian document's data holds, so a
// search (local or remote shard) can print path, offsets and text without
// touching the source file.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace lede::indexer {

struct PassageRecord {
    std::string path;       ///< absolute path of the source file
    int passage = 0;        ///< 1-based passage number in the article
    std::size_t start = 0;  ///< byte offset in the article text (the file, for .txt/.md)
    std::size_t end = 0;
    std::string text;       ///< bytes [start, end) of the article text
    std::string article;    ///< article key: the path, or path#id for JSON Lines
    std::string title;
    std::string date;       ///< YYYY-MM-DD or ""
    std::string source;
    std::string url;
};

/// Serialize as length-prefixed fields ("<len>:<bytes>"), text last. The
/// article's fields (path, key, title, date, source, url) are stored with its
/// first passage only; later passages name the article by article_ref().
std::string encode(const PassageRecord& r);
/// Parse encode()'s output; nullopt when the data is not a passage record.
/// A later passage comes back with an empty path and the article's reference
/// in `article`: complete it with with_article().
std::optional<PassageRecord> decode(std::string_view data);
/// Whether a decoded record still needs its article's fields.
inline bool needs_article(const PassageRecord& r) { return r.path.empty() && !r.article.empty(); }
/// Fill r's article fields from the record of the article's first passage.
void with_article(PassageRecord& r, const PassageRecord& first);
/// Short stable reference of an article key (its article term without the prefix).
std::string article_ref(std::string_view article_key);

/// Index format version, stored in the index metadata; bump on any change to
/// terms, record layout or analysis that makes old indexes unreadable.
inline constexpr const char* format_version = "lede-4";
inline constexpr const char* format_key = "lede:format";

/// Value slots (slot 0 is unused: per-article grouping reads the stored record).
inline constexpr unsigned slot_passage = 1;  ///< passage number, sortable (neighbours for -C)
inline constexpr unsigned slot_date = 2;     ///< YYYYMMDD (date: ranges)

/// The Xapian term identifying all passages of one article (prefix "A").
std::string article_term(std::string_view article_key);
/// The Xapian term identifying all passages from one source file (prefix "S").
std::string file_term(std::string_view abs_path);
/// The boolean term of a source name (prefix "XS", lower case, spaces kept).
std::string source_term(std::string_view source);

}  // namespace lede::indexer
