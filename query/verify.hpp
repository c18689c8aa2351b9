// Phrases, NEAR and ADJ without stored positions.
//
// The index keeps no word positions (they were 43 % of a compacted index and
// a third of the indexing time: one B-tree entry per word of every passage).
// Xapian matches a phrase as the AND of its words, and each candidate passage
// is then checked against the whole query on its stored text, tokenized by the
// same Analyzer the indexer used. The check runs only for queries that hold a
// phrase, NEAR or ADJ, and only on the candidates a page of results needs.
#pragma once

#include "analysis/analyzer.hpp"
#include "analysis/terms.hpp"
#include <string>
#include <vector>

namespace lede::query {

struct MatchCache;  // query/builder.hpp

/// The query as a boolean expression over one passage's tokens.
struct Check {
    enum class Kind {
        unknown,  ///< not decidable from the text (a field filter): trust Xapian
        yes,      ///< every passage
        word,     ///< a word by its forms (raw, stem, key), as Xapian matches its terms
        phrase,   ///< consecutive words (terms)
        near,     ///< words within a window of positions (terms, window, ordered)
        prefix,   ///< a word starting with terms[0]
        all_of,   ///< every child
        any_of,   ///< at least one child
        none_of,  ///< children[0] and none of children[1..]
    };
    Kind kind = Kind::unknown;
    std::string raw;   ///< word: the exact form
    std::string stem;  ///< word: any word with this stem ("" = exact only)
    std::string key;   ///< word: any name with this variant key ("" = none)
    std::vector<std::string> terms;
    unsigned window = 0;  ///< near: Xapian's window (distance + 1)
    bool ordered = false;
    std::vector<Check> children;

    static Check of(Kind k) {
        Check c;
        c.kind = k;
        return c;
    }

    /// Whether the expression holds a phrase, NEAR or ADJ: only then is a check needed.
    [[nodiscard]] bool positional() const;
};

enum class Truth { no, yes, unknown };

/// Where @p phrase occurs among the non-compound tokens of @p seq (consecutive
/// positions): the index in seq of each occurrence's first word. Shared by the
/// check and the highlighter, so that what is checked is what is highlighted.
std::vector<std::size_t> phrase_starts(const std::vector<const analysis::Token*>& seq,
                                       const std::vector<std::string>& phrase);

/// The non-compound tokens of @p toks, in order.
std::vector<const analysis::Token*> word_sequence(const std::vector<analysis::Token>& toks);

/// Evaluate @p check on the tokens of one passage. A passage Xapian matched is
/// kept unless the result is Truth::no.
Truth evaluate(const Check& check, const std::vector<analysis::Token>& tokens, analysis::TermMaker& terms,
               MatchCache& cache);

}  // namespace lede::query
