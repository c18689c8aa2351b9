// Text in any encoding to UTF-8: byte-order marks, the charset a page or feed
// declares, ICU's charset detection for the rest; and the map that takes an
// offset in decoded (or extracted) text back to the bytes of the file it
// came from.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lede::indexer {

/// Where a text came from: runs of the text, each mapped to the byte range of
/// its source. Inside a run, offsets are interpolated in proportion (exact
/// when the run is a verbatim copy, close otherwise: entities, collapsed
/// spaces, two-byte characters from one-byte ones). Empty: the text is its
/// source byte for byte.
class OriginMap {
public:
    struct Run {
        std::size_t text_begin;
        std::size_t text_end;
        std::size_t source_begin;
        std::size_t source_end;
    };

    [[nodiscard]] bool identity() const { return runs_.empty(); }
    /// Append a run; runs are added in text order, empty ones are dropped.
    void add(std::size_t text_begin, std::size_t text_end, std::size_t source_begin, std::size_t source_end);
    /// Source offset of a passage starting at text offset @p t (in a gap
    /// between runs: where the next run's source starts).
    [[nodiscard]] std::size_t begin_of(std::size_t t) const;
    /// Source offset of a passage ending at text offset @p t (exclusive; in a
    /// gap: where the previous run's source ends).
    [[nodiscard]] std::size_t end_of(std::size_t t) const;
    /// This map with its sources mapped through @p outer (whose text is this
    /// map's source): extracted text → decoded page → file bytes.
    [[nodiscard]] OriginMap through(const OriginMap& outer) const;
    /// This map with every source offset shifted by @p delta.
    [[nodiscard]] OriginMap shifted(std::size_t delta) const;
    [[nodiscard]] const std::vector<Run>& runs() const { return runs_; }

private:
    std::vector<Run> runs_;
};

/// Replace each byte that is not part of valid UTF-8 (and NUL) with '?', in
/// place, so byte offsets still match the file. Returns how many were replaced.
std::size_t repair_utf8(std::string& s);

/// How a text was decoded.
enum class DecodedAs {
    utf8,      ///< valid UTF-8 (NUL bytes, if any, replaced)
    bom,       ///< a byte-order mark named the encoding (UTF-8, UTF-16LE/BE, UTF-32LE/BE)
    declared,  ///< the charset declared by an HTML meta tag or XML declaration
    detected,  ///< ICU charset detection, confident enough
    repaired,  ///< undecided: read as UTF-8 with invalid bytes replaced by '?'
};

struct Decoded {
    std::string text;     ///< valid UTF-8 without NUL
    std::string charset;  ///< the charset used ("UTF-8", "windows-1251", ...)
    DecodedAs how = DecodedAs::utf8;
    int confidence = 0;        ///< ICU's confidence (0-100) when detected
    std::size_t repaired = 0;  ///< bytes replaced by '?' (invalid UTF-8, NUL)
    OriginMap origin;          ///< text offsets → file offsets; identity when byte for byte
};

/// Lowest ICU detection confidence (0-100) taken for text that is not UTF-8.
inline constexpr int min_detect_confidence = 30;

/// The charset an HTML page (meta charset or http-equiv) or an XML document
/// (encoding in the declaration) declares in its first 2 KB; "" when none.
/// A prescan of the bytes as browsers do it, not a parse.
std::string declared_charset(std::string_view bytes);

/// Whether the bytes start with a UTF-16 or UTF-32 byte-order mark, or look
/// like BOM-less UTF-16 text (NUL every other byte): text, though NUL-laden.
bool wide_unicode(std::string_view bytes);

/// Decode @p bytes to UTF-8: a byte-order mark decides; then valid UTF-8 is
/// taken as it is (whatever a page declares: a valid UTF-8 page is almost
/// never another charset); then the declared charset, when ICU knows it;
/// then ICU's detection at @p min_confidence or more; else invalid bytes are
/// replaced by '?' (byte for byte, so offsets stay).
Decoded decode(std::string bytes, int min_confidence = min_detect_confidence);

/// Convert @p bytes from @p charset to UTF-8 with ICU (a run per line in
/// @p origin). False when ICU does not know the charset.
bool convert(std::string_view bytes, const std::string& charset, std::string& out, OriginMap& origin,
             std::size_t source_offset = 0);

}  // namespace lede::indexer
