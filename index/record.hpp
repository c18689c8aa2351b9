// The stored form of a passage: what a Xapian document's data holds, so a
// search (local or remote shard) can print path, offsets and text without
// touching the source file.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "index/schema.hpp"

#include <xapian.h>

namespace lede::index {

struct PassageRecord {
    std::string path;       ///< absolute path of the source file
    int passage = 0;        ///< 1-based passage number in the article
    std::size_t start = 0;  ///< byte offset in the article text (the file, for .txt/.md)
    std::size_t end = 0;
    std::string text;     ///< bytes [start, end) of the article text
    std::string article;  ///< article key: the path, or path#id for JSON Lines
    std::string title;
    std::string date;  ///< YYYY-MM-DD or ""
    std::string source;
    std::string url;
};

/// Serialize as length-prefixed fields ("<len>:<bytes>"), text last. The
/// article's fields (path, key, title, date, source, url) are stored with its
/// first passage only; later passages name the article by article_ref(). The
/// fields are stored as one zstd frame made with lede's dictionary of prose
/// (data/records.zdict), or as they are when that is not shorter.
std::string encode(const PassageRecord& r);
/// Parse encode()'s output; nullopt when the data is not a passage record.
/// A later passage comes back with an empty path and the article's reference
/// in `article`: complete it with with_article().
std::optional<PassageRecord> decode(std::string_view data);
/// Whether a decoded record still needs its article's fields.
inline bool needs_article(const PassageRecord& r) { return r.path.empty() && !r.article.empty(); }
/// Store @p r in @p doc (value slot_record).
void store(Xapian::Document& doc, const PassageRecord& r);
/// The record stored in @p doc; nullopt when it holds none or it is unreadable.
std::optional<PassageRecord> load(const Xapian::Document& doc);
/// Fill r's article fields from the record of the article's first passage.
void with_article(PassageRecord& r, const PassageRecord& first);

}  // namespace lede::index
