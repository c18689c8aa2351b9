// Printers: search results as text for people (colour optional, terminal-safe)
// or as JSON for programs (the stable contract in docs/output-format.md).
#pragma once

#include <lede/search.hpp>

#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace lede::query {

struct TextStyle {
    bool color = false;
    bool heading = false;  ///< group lines under a path heading (ripgrep --heading)
    /// Maps a stored (absolute) path to the path shown to the user.
    std::function<std::string(const std::string&)> show_path = [](const std::string& p) { return p; };
};

/// One passage line: `path:passage: text` (sep ':' for a hit, '-' for context);
/// in heading mode the path is left out. Highlights are byte ranges in @p text.
void print_line(std::ostream& out, const std::string& path, int passage, char sep, std::string_view text,
                const std::vector<Span>& highlights, const TextStyle& style);

/// A path heading (heading mode).
void print_heading(std::ostream& out, const std::string& path, const TextStyle& style);

/// All hits as lines (or grouped under headings).
void print_text(std::ostream& out, const SearchResults& res, const TextStyle& style);

/// One JSON object: {"query", "total", "results": [...]} (+ "corrected", "explanation").
void print_json(std::ostream& out, const SearchResults& res, const TextStyle& style);

/// JSON Lines: one {"type": "result", ...} per hit, then {"type": "summary", ...}.
void print_jsonl(std::ostream& out, const SearchResults& res, const TextStyle& style);

/// Write @p s with control characters replaced: tabs and line breaks by a
/// space, other C0/C1 controls and DEL by U+FFFD.
void write_safe(std::ostream& out, std::string_view s);

}  // namespace lede::query
