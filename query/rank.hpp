// Passage ranking beyond BM25: Xapian's BM25 picks candidates, then a rerank
// adds what a reader means by "the passage that says it": the query's words
// close together (proximity), most of the query present (coverage), and the
// article's overall relevance. Tuned on ../shared/eval (docs/RELEVANCE.md).
#pragma once

#include "query/build.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lede::query {

struct RankParams {
    double k1 = 1.0;         ///< BM25 term-frequency saturation
    double b = 0.5;          ///< BM25 length normalisation
    double proximity = 0.3;  ///< weight of the proximity feature
    double coverage = 0.8;   ///< weight of the share of query leaves matched
    double article = 0.05;   ///< weight of the article's relevance
    std::size_t depth = 40;  ///< BM25 candidates reranked (docs/RELEVANCE.md: 40 ranks as 100, 2x faster)
    WordWeights words;       ///< how word forms and variants weigh

    /// Defaults, overridden by @p settings ("k1=1,b=0.5,prox=0.3,...": keys k1,
    /// b, prox, cov, art, exact, var, depth) for tuning runs; unknown keys and
    /// items without '=' are ignored. The CLI passes $LEDE_RANK
    /// (OpenOptions::ranking).
    static RankParams parse(std::string_view settings);
};

struct Candidate {
    double bm25 = 0.0;
    double score = 0.0;  ///< final score
    std::string article;
    int passage = 0;
    Matches matches;
    std::size_t order = 0;  ///< BM25 rank, for stable ties
    bool matched = false;   ///< matches computed (within the rerank depth)
    // Features, kept for --explain.
    double prox = 0.0;
    double cov = 0.0;
    double art = 0.0;
};

/// Compute Candidate::score for all candidates and sort best first.
void rerank(std::vector<Candidate>& cands, std::size_t leaves, const RankParams& p);

/// Proximity of the matches: (d-1)/(w-1) for d distinct leaves in a minimal
/// window of w positions covering them all; 0 when fewer than two leaves match.
double proximity(const Matches& m, std::size_t& distinct);

}  // namespace lede::query
