// The query language, parsed into an AST of raw strings before any analysis
// (the analysis of each leaf happens in the builder, with the same Analyzer
// the indexer uses). Syntax: docs/QUERY.md.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lede::query {

enum class NodeKind {
    word,      ///< text: one word as typed (may analyse into several tokens)
    phrase,    ///< text: the words between double quotes
    wildcard,  ///< text: the prefix before '*'
    near,      ///< words: the words, window: max distance; ordered = ADJ
    field,     ///< field + text: a filter such as path:corpus/
    all,       ///< matches every passage (from a pure NOT)
    and_,      ///< all children
    or_,       ///< any child
    and_not,   ///< children[0] but none of children[1..]
    group,     ///< implicit sequence: +required, -excluded, others optional (OR)
};

enum class Mark { none, plus, minus };

struct Node {
    NodeKind kind = NodeKind::word;
    std::string text;
    std::string field;
    bool exact = false;  ///< '=' before a word: no stemming, no variants
    Mark mark = Mark::none;
    std::vector<std::string> words;  ///< near: its words
    unsigned window = 0;             ///< near: distance
    bool ordered = false;            ///< near: ADJ (in order)
    std::size_t column = 0;          ///< 1-based byte column in the query
    std::vector<Node> children;

    /// A compact, stable rendering for tests and --explain: (OR a (PHRASE b c)).
    [[nodiscard]] std::string describe() const;
};

/// Field names the parser accepts in `name:value`.
const std::vector<std::string>& known_fields();

/// Limits that bound a search's time and memory whatever the query
/// (docs/QUERY.md, docs/RELIABILITY.md): its length, its terms (words,
/// words of phrases and NEAR/ADJ, prefixes, filters), its prefix* terms.
inline constexpr std::size_t max_query_bytes = 16384;
inline constexpr std::size_t max_query_terms = 128;
inline constexpr std::size_t max_wildcards = 16;

/// Parse @p query. @throws lede::QuerySyntaxError naming the bad part and its
/// column, also when the query exceeds one of the limits above.
Node parse(std::string_view query);

}  // namespace lede::query
