// From a source file's bytes to articles: plain text, Markdown (with optional
// front matter: title, date, source, url) and JSON Lines (one article per line).
#pragma once

#include <lede/index.hpp>

#include "indexer/encoding.hpp"

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace lede::indexer {

/// One article read from a source file.
struct SourceArticle {
    std::string key;  ///< article key: the path, or path#id for JSON Lines
    std::string title;
    std::string date;       ///< normalized YYYY-MM-DD, YYYY-MM, YYYY or ""
    std::string date_from;  ///< where the date came from: front, json, html, feed, path, api ("" undated)
    std::string source;
    std::string url;
    std::string text;            ///< the article text; passage offsets are relative to it
    std::size_t body_begin = 0;  ///< where the body starts in text (after front matter)
    OriginMap origin;            ///< text offsets → file offsets (identity: the same; JSON Lines: always)
};

/// The format a file is read as.
InputFormat format_for(const std::string& path, InputFormat requested);

/// Split @p content of file @p path into articles. Per-line problems (JSON
/// Lines) go to @p errors as "line N: reason" and the other lines still count.
/// @p decoded maps @p content back to the file's bytes (indexer/encoding.hpp).
/// Returns the format the file was read as (auto_detect resolved).
InputFormat read_articles(const std::string& path, std::string content, InputFormat format, const JsonFields& fields,
                          std::vector<SourceArticle>& out, std::vector<FileError>& errors,
                          std::vector<FileError>& warnings, const OriginMap& decoded = OriginMap());

/// The article of a plain text or Markdown file (front matter, first heading).
SourceArticle text_article(const std::string& path, std::string content, const OriginMap& decoded,
                           std::vector<FileError>& warnings);

/// The articles of JSON Lines @p content whose first line is line
/// @p line_no + 1; @p ids: the ids taken so far in the file (a file read in
/// pieces keeps them from piece to piece). A date field that holds no date is
/// a warning; the article is indexed undated.
void read_jsonl(const std::string& path, std::string_view content, const JsonFields& fields,
                std::vector<SourceArticle>& out, std::vector<FileError>& errors, std::vector<FileError>& warnings,
                std::size_t line_no, std::set<std::string>& ids);

/// Normalize a date to YYYY-MM-DD ("2026-02-05", "2026-02-05T10:00Z",
/// "2026/02/05"), or a month or year given alone to YYYY-MM or YYYY ("2026-02",
/// "1790"); "" when it is not a day of the calendar (2026-02-30) or no date.
std::string normalize_date(std::string_view s);

}  // namespace lede::indexer
