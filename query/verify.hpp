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
#include "query/match.hpp"

#include <string>
#include <vector>

namespace lede::query {

/// The query as a boolean expression over one passage's tokens.
struct Check {
    enum class Kind {
        unknown,  ///< not decidable from the text (a field filter): trust Xapian
        yes,      ///< every passage
        word,     ///< a word by its forms (word_matches())
        phrase,   ///< consecutive words (terms)
        near,     ///< words within a window of positions (terms, window, ordered)
        prefix,   ///< a word starting with terms[0]
        all_of,   ///< every child
        any_of,   ///< at least one child
        none_of,  ///< children[0] and none of children[1..]
    };
    Kind kind = Kind::unknown;
    WordForms word;  ///< word: what it matches
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

/// Evaluate @p check on the tokens of one passage. A passage Xapian matched is
/// kept unless the result is Truth::no.
Truth evaluate(const Check& check, const std::vector<analysis::Token>& tokens, analysis::TermMaker& terms,
               MatchCache& cache);

}  // namespace lede::query
