// The term-making policy of a word: its English stem and, for names, its
// spelling-variant key. Shared by the indexer (what a passage word gives),
// the query builder (what a query word looks for) and the word matcher
// (query/match.hpp). How these become Xapian terms (prefixes) is the index
// schema's business: index/schema.hpp.
#pragma once

#include "analysis/analyzer.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace Xapian {
class Stem;
}  // namespace Xapian

namespace lede::analysis {

/// Stems and variant keys of tokens, the same at index and query time. Not thread-safe.
class TermMaker {
public:
    TermMaker();
    ~TermMaker();
    TermMaker(TermMaker&&) noexcept;
    TermMaker& operator=(TermMaker&&) noexcept;
    TermMaker(const TermMaker&) = delete;
    TermMaker& operator=(const TermMaker&) = delete;

    /// The English (Snowball) stem of a raw term.
    std::string stem(std::string_view raw);

    /// Whether a token gets a variant key at index time.
    static bool wants_variant(const Token& t) { return (t.capitalized || t.non_latin) && !t.numeric && !t.compound; }

    /// Variant key of a token ("" when none).
    static std::string variant(const Token& t);

private:
    std::unique_ptr<Xapian::Stem> stemmer_;  // the Snowball stemmer: all analysis/ takes from Xapian
};

}  // namespace lede::analysis
