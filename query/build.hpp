// From the query AST to a Xapian::Query, running every leaf through the same
// analysis as the indexer, to the Check of the query on a passage's text
// (query/verify.hpp) and to the Matcher that finds the matched words in a
// passage (query/match.hpp).
#pragma once

#include <xapian.h>
#include <lede/search.hpp>

#include "analysis/analyzer.hpp"
#include "analysis/terms.hpp"
#include "query/match.hpp"
#include "query/parse.hpp"
#include "query/verify.hpp"

#include <functional>
#include <string>
#include <vector>

namespace lede::query {

/// Relative weights of the ways a query word can match (its word forms = 1).
struct WordWeights {
    /// The form as typed, on top of its forms: small, so that the candidates
    /// hold a rare form of a common stem (beings → be, willingly → will),
    /// without weighing the word by its form's rarity (the rerank's form
    /// feature decides). 0.04: the least that keeps them within the rerank
    /// depth of 40 (docs/RELEVANCE.md).
    double exact = 0.04;
    /// Left out where it costs most and does least: the form as typed is in
    /// over exact_min passages (its postings, read for every match, take
    /// ~1.5 ms at 60 k) and over exact_share of its stem's (the other forms,
    /// which it would rank below it, are then under a fifth of them, and
    /// the rerank's form feature still decides between the candidates).
    /// BuildOptions::termfreq; docs/RELEVANCE.md.
    double exact_share = 0.8;
    double exact_min = 32768;
    double variant = 0.6;  ///< a spelling variant of a name, where no form of the word is present
    /// A word typed with a capital is a name for the rerank too: its
    /// lower-case occurrences are highlighted but do not count as a hit
    /// (WordForms::name). false only for ablation runs (LEDE_RANK=names=0).
    bool names = true;
};

struct BuiltQuery {
    Xapian::Query query;  ///< empty when the query has no searchable words
    Matcher matcher;
    /// The query on one passage's text; where check.positional(), Xapian's
    /// matches must pass it (phrases, NEAR, ADJ).
    Check check;
    /// The same passages as query, cheaper to count: each word's spelling
    /// variant as `Vkey`, not `Vkey AND_NOT forms` (under OR with its forms,
    /// the AND_NOT only sets a weight; to find its next match it reads the
    /// variant's postings on and on). Empty when the query has no variant.
    /// Its estimates are not query's: the searcher counts with it and takes
    /// the estimate and bounds from query's own postlist tree.
    Xapian::Query count_query;
    /// The variant terms (`Vkey`) of count_query's words.
    std::vector<std::string> variants;
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
    /// The same by the paths with their symbolic links resolved (the folder
    /// was indexed through a link, and named by its real path): tried when
    /// no stored path matches as written.
    std::function<std::vector<std::string>(const std::string& real_path)> files_under_resolved;
    /// A term's number of passages in the index (for WordWeights::exact_share);
    /// when empty, every lower-case word gets its exact term.
    std::function<Xapian::doccount(const std::string& term)> termfreq;
    /// The folder a relative path: is resolved against, as the user names it
    /// (SearchOptions::working_dir); "" = the process's working folder only.
    std::string working_dir;
};

/// Build the Xapian query for @p ast.
/// @throws lede::QuerySyntaxError when a filter value is invalid
BuiltQuery build(const Node& ast, analysis::Analyzer& analyzer, analysis::TermMaker& terms,
                 const BuildOptions& options = {});

}  // namespace lede::query
