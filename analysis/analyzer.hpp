// The text analysis pipeline shared by index time and query time:
//   ICU word boundaries → typographic folding → NFKC case folding → Latin
//   diacritic folding (Cyrillic left intact, ё→е) → token clean-up
//   (possessives, U.S.→us, 55,000→55000, O'Brien→obrien) → positions, plus
//   extra tokens for the whole of hyphenated compounds and the parts of
//   e-mail addresses.
// Whatever is indexed comes out of Analyzer::tokenize, and every query word is
// run through the same function, so index and query cannot drift apart.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lede::analysis {

/// One normalized word of a text.
struct Token {
    std::string term;            ///< normalized form (lower case, folded)
    std::uint32_t begin = 0;     ///< byte offset of the word in the analysed text
    std::uint32_t end = 0;       ///< one past the last byte
    std::uint32_t position = 0;  ///< 1-based word position (compounds share their first part's)
    bool capitalized = false;    ///< the word starts with an upper-case letter in the text
    bool non_latin = false;      ///< the word holds letters of a script other than Latin
    bool compound = false;       ///< an extra token at a used position: the joined form of a
                                 ///< hyphenated compound, or a part of an e-mail address
    bool numeric = false;        ///< a number (digits, possibly with . or ,)
};

/// Longest term kept (bytes); longer "words" (base64, hashes) are dropped.
inline constexpr std::size_t max_term_bytes = 64;

/// Splits and normalizes text. Not thread-safe: use one per thread.
class Analyzer {
public:
    Analyzer();
    ~Analyzer();
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    /// Append the tokens of @p text (valid UTF-8 expected; invalid bytes are
    /// skipped) to @p out. Positions continue from @p first_position.
    void tokenize(std::string_view text, std::vector<Token>& out, std::uint32_t first_position = 1);

    /// Normalize one word as the tokenizer would (no word breaking).
    /// Returns "" when nothing indexable is left.
    std::string normalize_word(std::string_view word, bool numeric);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lede::analysis
