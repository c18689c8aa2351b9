// Reading a file in bounded pieces, so that the memory of indexing does not
// grow with the size of a file. Files up to piece_bytes are read whole (as
// they always were); larger plain text, Markdown and JSON Lines files in
// UTF-8 are read piece by piece, each cut at a paragraph (JSON Lines: a line)
// boundary; what cannot be streamed (an HTML page, a feed, a file in another
// encoding, one JSON line) is read whole up to max_article_bytes and reported
// beyond. docs/RELIABILITY.md states the bound.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace lede::indexer {

/// Files up to this size are read whole; larger ones are streamed in pieces
/// of about this size (more when a JSON line is longer).
inline constexpr std::size_t piece_bytes = std::size_t{8} << 20;

/// The largest article read whole: an HTML page, a feed, a file not in UTF-8,
/// one JSON line. A larger one is reported (`article larger than 64 MB`).
inline constexpr std::size_t max_article_bytes = std::size_t{64} << 20;

/// The message for an article over max_article_bytes.
std::string too_large_message();

/// How a streamed file is cut into pieces.
enum class Cut {
    paragraph,  ///< plain text, Markdown: after a blank line, else a line, else a sentence or a space
    line,       ///< JSON Lines: after a line break only
};

/// Where to cut @p buf, whose end is not the end of the file: the length of
/// the first piece (its end a boundary of @p cut), or 0 when there is none
/// (Cut::line without a line break).
std::size_t cut_point(std::string_view buf, Cut cut);

/// Whether @p head (the start of a file, possibly cut inside a character)
/// is UTF-8, with or without a byte-order mark.
bool utf8_head(std::string_view head);

/// Append up to @p n bytes of @p in to @p out. False on a read error.
bool read_some(std::istream& in, std::string& out, std::size_t n);

/// Pieces of a stream in UTF-8, each ending at a boundary of its Cut.
class PieceReader {
public:
    /// @p buf holds what was read of @p in already (the head); pieces of
    /// about @p piece bytes, lines (Cut::line) of at most @p max_line.
    PieceReader(std::istream& in, std::string buf, Cut cut, std::size_t piece = piece_bytes,
                std::size_t max_line = max_article_bytes);

    /// The next piece: its text (UTF-8 repaired in place: invalid bytes and
    /// NUL replaced by '?'), its offset in the file and the number of line
    /// breaks before it. False at the end, or on a read error (error() set).
    /// With Cut::line, a line longer than max_article_bytes is skipped
    /// (never held whole) and its number kept for take_skipped().
    bool next(std::string& text, std::size_t& offset, std::size_t& lines_before);

    /// Line numbers (1-based) of lines skipped for their length since the last call.
    std::vector<std::size_t> take_skipped();
    [[nodiscard]] bool error() const { return error_; }
    [[nodiscard]] std::size_t repaired() const { return repaired_; }

private:
    bool fill(std::size_t want);

    std::istream& in_;
    std::string buf_;
    Cut cut_;
    std::size_t piece_;
    std::size_t max_line_;
    bool eof_ = false;
    bool error_ = false;
    bool first_ = true;
    std::size_t offset_ = 0;  // file offset of buf_[0]
    std::size_t lines_ = 0;   // line breaks before buf_[0]
    std::size_t repaired_ = 0;
    std::vector<std::size_t> skipped_;
};

}  // namespace lede::indexer
