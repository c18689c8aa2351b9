// Which words of a passage a query matched: the one word matcher, used both
// by the check on the passage text (query/verify.hpp) and by the highlighter
// (Matcher), so that what is kept is what is highlighted.
#pragma once

#include "analysis/analyzer.hpp"
#include "analysis/terms.hpp"

#include <lede/search.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lede::query {

/// The forms a query word matches, as the terms the query builder searches for.
struct WordForms {
    std::string raw;   ///< exact normalized form
    std::string stem;  ///< any word with this stem, and the stem itself as a word ("" = exact only)
    std::string key;   ///< any name with this variant key ("" = none)
    /// Typed with a capital: a name ("Plan" in "Marshall Plan", "Security"
    /// in "Social Security"). For ranking, an occurrence counts only where
    /// the passage capitalizes it too (Matches::hits); a lower-case one
    /// ("recovery plan") is another word that happens to share the letters.
    bool name = false;
};

/// Stems and variant keys of passage words, memoized across the passages of
/// one search (the same words recur: "The", "United", "States").
struct MatchCache {
    std::unordered_map<std::string, std::string> stems;
    std::unordered_map<std::string, std::string> keys;
    void bound() {
        if (stems.size() > 100000) {
            stems.clear();
        }
        if (keys.size() > 100000) {
            keys.clear();
        }
    }
};

/// Whether passage token @p t carries one of the index terms that query word
/// @p w is searched by (query/build.cpp), i.e. whether Xapian matched the word
/// there: its raw form; the stem as a word (the query searches the stem as a
/// plain term too, so "consider" matches a query for "considerable", whose
/// stem it is, although its own stem is "consid"); a word with the same stem
/// (the indexer writes a stem term for every non-numeric token, compounds
/// included); or, for a name, the same variant key.
bool word_matches(const WordForms& w, const analysis::Token& t, analysis::TermMaker& terms, MatchCache& cache);

/// The non-compound tokens of @p toks, in order (consecutive positions).
std::vector<const analysis::Token*> word_sequence(const std::vector<analysis::Token>& toks);

/// Where @p phrase occurs in @p seq (word_sequence()): the index in seq of
/// each occurrence's first word.
std::vector<std::size_t> phrase_starts(const std::vector<const analysis::Token*>& seq,
                                       const std::vector<std::string>& phrase);

/// Where a query matched in one passage.
struct Matches {
    std::vector<Span> spans;  ///< highlight byte ranges, sorted and disjoint
    /// (word position, query leaf) of each match, sorted by position; a leaf is
    /// one query word, phrase or prefix, so distinct leaves = distinct concepts.
    /// A name (WordForms::name) written in lower case is highlighted (Xapian
    /// matched it) but not a hit: coverage, proximity and form do not count it.
    std::vector<std::pair<std::uint32_t, int>> hits;
    /// Distinct word leaves present in the form as typed (not only as another
    /// form or a spelling variant): decides between forms of one word.
    std::size_t exact = 0;
};

/// What a query looks for, in the form the highlighter and the ranker need.
class Matcher {
public:
    using Word = WordForms;

    void add_word(Word w) { words_.push_back(std::move(w)); }
    void add_phrase(std::vector<std::string> terms) { phrases_.push_back(std::move(terms)); }
    void add_prefix(std::string p) { prefixes_.push_back(std::move(p)); }
    [[nodiscard]] bool empty() const { return words_.empty() && phrases_.empty() && prefixes_.empty(); }

    /// The matched words (whole phrases) of @p text.
    Matches match(std::string_view text, analysis::Analyzer& analyzer, analysis::TermMaker& terms,
                  MatchCache* cache = nullptr) const;
    /// The same, on the tokens of a passage (Analyzer::tokenize).
    Matches match(const std::vector<analysis::Token>& tokens, analysis::TermMaker& terms,
                  MatchCache* cache = nullptr) const;

    /// Number of leaves (distinct things the query looks for).
    [[nodiscard]] std::size_t leaves() const { return words_.size() + phrases_.size() + prefixes_.size(); }

    /// The query's words (for feedback: which stems the query has already).
    [[nodiscard]] const std::vector<Word>& words() const { return words_; }

    /// One line per leaf for --explain.
    [[nodiscard]] std::vector<std::string> describe() const;

private:
    std::vector<Word> words_;
    std::vector<std::vector<std::string>> phrases_;
    std::vector<std::string> prefixes_;
};

}  // namespace lede::query
