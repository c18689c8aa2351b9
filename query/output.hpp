// Printers: search results as text for people (colour optional, terminal-safe)
// or as JSON for programs (the stable contract in docs/output-format.md).
#pragma once

#include <lede/search.hpp>

#include <functional>
#include <ostream>
#include <string>

namespace lede::query {

struct TextStyle {
    bool color = false;
    /// Maps a stored (absolute) path to the path shown to the user.
    std::function<std::string(const std::string&)> show_path = [](const std::string& p) { return p; };
};

/// `path:passage: snippet` lines, matches in colour when asked. Control
/// characters in the text are neutralised so an article cannot drive the terminal.
void print_text(std::ostream& out, const SearchResults& res, const TextStyle& style);

/// One JSON object: {"query", "total", "results": [...]}.
void print_json(std::ostream& out, const SearchResults& res, const TextStyle& style);

/// Write @p s with control characters replaced: tabs and line breaks by a
/// space, other C0/C1 controls and DEL by U+FFFD.
void write_safe(std::ostream& out, std::string_view s);

}  // namespace lede::query
