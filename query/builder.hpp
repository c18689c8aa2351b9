// From the query AST to a Xapian::Query, running every leaf through the same
// analysis as the indexer, and to a Matcher that finds the matched words in a
// passage for highlighting (stems and spelling variants included).
#pragma once

#include <xapian.h>
#include <lede/search.hpp>

#include "analysis/analyzer.hpp"
#include "analysis/terms.hpp"
#include "query/ast.hpp"
#include "query/verify.hpp"


#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lede::query {

/// Relative weights of the ways a query word can match (its word forms = 1).
struct WordWeights {
    double exact = 0.5;    ///< bonus for the form as typed (lower-case words)
    double variant = 0.6;  ///< a spelling variant of a name
};

/// Where a query matched in one passage.
struct Matches {
    std::vector<Span> spans;  ///< highlight byte ranges, sorted and disjoint
    /// (word position, query leaf) of each match, sorted by position; a leaf is
    /// one query word, phrase or prefix, so distinct leaves = distinct concepts.
    std::vector<std::pair<std::uint32_t, int>> hits;
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

/// What a query looks for, in the form the highlighter needs.
class Matcher {
public:
    struct Word {
        std::string raw;   ///< exact normalized form
        std::string stem;  ///< match any word with this stem ("" = exact only)
        std::string key;   ///< match any name with this variant key ("" = none)
    };

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

    /// One line per leaf for --explain.
    [[nodiscard]] std::vector<std::string> describe() const;

private:
    std::vector<Word> words_;
    std::vector<std::vector<std::string>> phrases_;
    std::vector<std::string> prefixes_;
};

struct BuiltQuery {
    Xapian::Query query;  ///< empty when the query has no searchable words
    Matcher matcher;
    /// The query on one passage's text; where check.positional(), Xapian's
    /// matches must pass it (phrases, NEAR, ADJ).
    Check check;
};

/// Expands a prefix (Zelen*) to the indexed terms it covers, most frequent first.
using PrefixExpander = std::function<std::vector<std::string>(const std::string& prefix)>;

struct BuildOptions {
    bool all_exact = false;  ///< every word as =word
    WordWeights weights;
    /// Prefix expansion (so that one index and N shards expand alike); when
    /// empty, Xapian's OP_WILDCARD expands per shard.
    PrefixExpander expand;
    /// The file terms of the indexed files at @p path or under it (a folder
    /// path ends in '/'), for path:; when empty, path: matches nothing.
    std::function<std::vector<std::string>(const std::string& path)> files_under;
};

/// Build the Xapian query for @p ast.
/// @throws lede::QuerySyntaxError when a filter value is invalid
BuiltQuery build(const Node& ast, analysis::Analyzer& analyzer, analysis::TermMaker& terms,
                 const BuildOptions& options = {});

}  // namespace lede::query
