// How analysed tokens become Xapian terms. The one place that decides which
// terms a word contributes, used by the indexer (document terms), the query
// builder (what to search for) and the highlighter (what matched).
//
//   raw term      "talks"      exact form, with positions (phrases, NEAR)
//   Z + stem      "Ztalk"      only when the stem differs from the word; a stem
//                              query is SYNONYM(stem, Zstem), which covers both
//   V + key       "Vumirov"    spelling-variant key, for capitalized or
//                              non-Latin words (names); no positions
#pragma once

#include "analysis/analyzer.hpp"


#include <xapian.h>
#include <string>
#include <string_view>

namespace lede::analysis {

namespace prefix {
inline constexpr char stem = 'Z';
inline constexpr char variant = 'V';
inline constexpr const char* article = "A";  // boolean: one article
inline constexpr const char* file = "S";     // boolean: one source file (all its articles), hashed
inline constexpr const char* path = "P";     // boolean: the file's path, on each article's first passage (path:)
inline constexpr const char* source = "XS";  // boolean: source name, lower case (source:)
inline constexpr const char* title = "T";    // title words, normalized (title:)
}  // namespace prefix

/// Term-making policy shared by index and query time. Not thread-safe.
class TermMaker {
public:
    TermMaker() : stemmer_("english") {}

    /// The English (Snowball) stem of a raw term.
    std::string stem(std::string_view raw) { return stemmer_(std::string(raw)); }

    /// Whether a token gets a variant key at index time.
    static bool wants_variant(const Token& t) {
        return (t.capitalized || t.non_latin) && !t.numeric && !t.compound;
    }

    /// Whether a term goes into the spelling data: words, not ids, hashes or
    /// codes (which the mail in a news folder is full of, and which bloat the table).
    static bool spelling_word(std::string_view term) {
        return term.size() >= 3 && term.size() <= 20 && term.find_first_of("0123456789") == std::string_view::npos;
    }

    /// Variant key of a token ("" when none).
    static std::string variant(const Token& t);

private:
    Xapian::Stem stemmer_;
};

}  // namespace lede::analysis
