// Word segments of plain ASCII text, without ICU: the segments and statuses
// ICU's word break iterator (root rules, UAX #29) gives for such text, found
// by one scan. Most news text is ASCII, and ICU's iterator was about a
// quarter of the CPU of a search (it re-analyses the candidates' text) and
// ~5 % of indexing. tests/unit/analysis_test.cpp checks every segment and
// status against ICU's iterator, on random strings and on the corpus.
#pragma once

#include <unicode/ubrk.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace lede::analysis {

/// True when ascii_words() segments @p s exactly as ICU would: ASCII
/// without '_' (ExtendNumLet, whose rules chain letters and digits
/// in ways not worth copying).
inline bool ascii_words_apply(std::string_view s) {
    // Eight bytes at a time (every candidate's text is checked at search
    // time): a byte >= 0x80 sets its top bit, a '_' leaves a zero byte in
    // w ^ '_'..., which (x - 0x01...) & ~x marks by its top bit.
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t tops = 0x8080808080808080ULL;
    constexpr std::uint64_t underscores = ones * static_cast<unsigned char>('_');
    while (s.size() >= 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, s.data(), 8);
        const std::uint64_t x = w ^ underscores;
        if (((w | ((x - ones) & ~x)) & tops) != 0) {
            return false;
        }
        s.remove_prefix(8);
    }
    for (unsigned char c : s) {
        if (c >= 0x80 || c == '_') {
            return false;
        }
    }
    return true;
}

/// Calls @p word(begin, end, status) for each word segment of @p s (which
/// ascii_words_apply() accepts), in order. Letters and digits join (UAX #29
/// WB5, WB8–WB10); ' and . join two letters (WB6/7), ' . , ; two digits
/// (WB11/12); a word's rules chain. As ICU 72's data has it, '@' is a letter
/// and ':' joins nothing, and the status follows the word's last character:
/// UBRK_WORD_LETTER after a letter ("1a"), UBRK_WORD_NUMBER after a digit ("a1").
namespace ascii_detail {

enum : unsigned char { letter_bit = 1, digit_bit = 2 };

// The class of each byte: a table lookup per character, not a chain of
// comparisons (the scan runs over every candidate's text at search time).
struct Classes {
    unsigned char of[256] = {};
    constexpr Classes() {
        for (int c = 'a'; c <= 'z'; ++c) {
            of[c] = letter_bit;
            of[c - 'a' + 'A'] = letter_bit;
        }
        of[static_cast<unsigned char>('@')] = letter_bit;
        for (int c = '0'; c <= '9'; ++c) {
            of[c] = digit_bit;
        }
    }
};

inline constexpr Classes classes{};

}  // namespace ascii_detail

template <class F>
void ascii_words(std::string_view s, F&& word) {
    using namespace ascii_detail;
    auto cls = [](char c) { return classes.of[static_cast<unsigned char>(c)]; };
    auto letter = [&](char c) { return (cls(c) & letter_bit) != 0; };
    auto digit = [&](char c) { return (cls(c) & digit_bit) != 0; };
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        if (cls(s[i]) == 0) {
            ++i;
            continue;
        }
        std::size_t j = i;  // the word's last character
        while (j + 1 < n) {
            const char c = s[j];
            const char next = s[j + 1];
            if (cls(next) != 0) {
                ++j;
                continue;
            }
            if (j + 2 < n) {
                const char after = s[j + 2];
                const bool quote_or_dot = next == '\'' || next == '.';
                if (letter(c) && letter(after) && quote_or_dot) {
                    j += 2;
                    continue;
                }
                if (digit(c) && digit(after) && (quote_or_dot || next == ',' || next == ';')) {
                    j += 2;
                    continue;
                }
            }
            break;
        }
        word(i, j + 1, letter(s[j]) ? UBRK_WORD_LETTER : UBRK_WORD_NUMBER);
        i = j + 1;
    }
}

}  // namespace lede::analysis
