// Near-copy sketches of passages: the same wire story reprinted by several
// outlets, lightly edited (another dateline, a dropped sentence, other quote
// marks), should be recognised as one passage without a cluster id assigned
// at index time (which would break across shards and updates). Each passage
// gets a 64-bit SimHash over the shingles (runs of shingle_words normalized
// words, Analyzer::tokenize) of its text, stored with the passage; at query
// time the candidates' sketches are compared (query/copies.hpp), and a close
// pair is confirmed on the shingles of the two texts.
//
// Short passages ("(Reporting by …)" lines, headings) have too few shingles
// for a SimHash to mean anything: their sketch is an exact hash of the word
// sequence, and they are copies only of a passage with the same words.
#pragma once

#include "analysis/analyzer.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lede::analysis {

/// Words per shingle.
inline constexpr std::size_t shingle_words = 3;
/// Passages with fewer shingles than this are compared exactly.
inline constexpr std::size_t min_shingles = 8;

/// The sketch of one passage.
struct Sketch {
    std::uint64_t bits = 0;      ///< SimHash of the shingles, or (exact()) a hash of the word sequence
    std::uint32_t shingles = 0;  ///< distinct shingles (stored capped at 255)
    /// A short passage: bits is an exact hash of its words.
    [[nodiscard]] bool exact() const { return shingles < min_shingles; }
    friend bool operator==(const Sketch&, const Sketch&) = default;
};

/// The distinct shingle hashes of @p tokens (compound parts left out), sorted.
std::vector<std::uint64_t> shingles(const std::vector<Token>& tokens);

/// The sketch of a passage from its tokens.
Sketch sketch(const std::vector<Token>& tokens);

/// Bits that differ between two SimHashes.
int distance(const Sketch& a, const Sketch& b);

/// How many elements two sorted vectors share (each counted once per match).
template <typename T>
std::size_t common_count(const std::vector<T>& a, const std::vector<T>& b) {
    std::size_t n = 0;
    for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
        if (a[i] == b[j]) {
            ++n, ++i, ++j;
        } else if (a[i] < b[j]) {
            ++i;
        } else {
            ++j;
        }
    }
    return n;
}

/// |A ∩ B| / |A ∪ B| of two sorted shingle sets (1 when both are empty).
double resemblance(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b);

/// The stored form (9 bytes: the bits big-endian, then the capped shingle count).
std::string encode(const Sketch& s);
/// The sketch of a stored value; nothing when the value is not one (an empty slot).
std::optional<Sketch> decode_sketch(std::string_view value);

}  // namespace lede::analysis
