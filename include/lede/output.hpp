/// @file lede/output.hpp
/// @brief Printers for search results: text for people (colour optional,
/// terminal-safe; with context, file lists, counts) or JSON for programs (the
/// stable contract in docs/output-format.md). The `lede` command uses exactly these.
#pragma once

#include <lede/export.hpp>
#include <lede/search.hpp>

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace lede {

/// How text output looks.
struct TextStyle {
    bool color = false;
    bool heading = false;  ///< group lines under a path heading (ripgrep --heading)
    /// Maps a stored (absolute) path to the path shown to the user.
    std::function<std::string(const std::string&)> show_path = [](const std::string& p) { return p; };
};

/// One passage line: `path:passage: text` (sep ':' for a hit, '-' for context);
/// in heading mode the path is left out. Highlights are byte ranges in @p text.
LEDE_API void print_line(std::ostream& out, const std::string& path, int passage, char sep, std::string_view text,
                         const std::vector<Span>& highlights, const TextStyle& style);

/// A path heading (heading mode).
LEDE_API void print_heading(std::ostream& out, const std::string& path, const TextStyle& style);

/// All hits as lines (or grouped under headings).
LEDE_API void print_text(std::ostream& out, const SearchResults& res, const TextStyle& style);

/// Hits with up to @p context neighbouring passages on each side (read with
/// Searcher::neighbours): a passage is printed once even when windows overlap,
/// a neighbour that is a hit of its own is left for its own line, and "--"
/// separates windows that do not touch (`lede search -C N`).
LEDE_API void print_with_context(std::ostream& out, Searcher& searcher, const SearchResults& res, std::size_t context,
                                 const TextStyle& style);

/// The path of each matching file once, in rank order (`lede search -l`).
LEDE_API void print_files(std::ostream& out, const SearchResults& res, const TextStyle& style);

/// `path:N` for each matching file, N its matching passages, in order of the
/// file's first hit (`lede search -c`).
LEDE_API void print_counts(std::ostream& out, const SearchResults& res, const TextStyle& style);

/// One JSON object: {"query", "total", "results": [...]} (+ "corrected", "explanation").
LEDE_API void print_json(std::ostream& out, const SearchResults& res, const TextStyle& style);

/// JSON Lines: one {"type": "result", ...} per hit, then {"type": "summary", ...}.
LEDE_API void print_jsonl(std::ostream& out, const SearchResults& res, const TextStyle& style);

/// All matches by period as a bar chart (`lede search --timeline`): a line per
/// period with its passages, articles and a bar of Unicode blocks (coloured
/// where style.color), then the undated and less precise matches.
LEDE_API void print_timeline(std::ostream& out, const SearchResults& res, const TextStyle& style);

/// All matches by the values of each field asked (`lede search --by FIELD`):
/// at most @p top values (most articles first), drawn like the timeline.
LEDE_API void print_facets(std::ostream& out, const SearchResults& res, const TextStyle& style, std::size_t top = 20);

/// Write @p s with control characters replaced: tabs and line breaks by a
/// space; other C0/C1 controls, DEL and invalid UTF-8 bytes by U+FFFD; the
/// bidirectional embeddings, overrides and isolates (U+202A-U+202E,
/// U+2066-U+2069) by a visible ⟨U+202E⟩ (they would reorder the terminal's
/// text after them).
LEDE_API void write_safe(std::ostream& out, std::string_view s);

}  // namespace lede
