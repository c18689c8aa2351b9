// Passage ranking beyond BM25: Xapian's BM25 picks candidates, then a rerank
// adds what a reader means by "the passage that says it": the query's words
// close together (proximity), most of the query present (coverage), the
// article's overall relevance, and the words in the form typed. Optionally,
// feedback terms from the best passages expand the query (RM3-style).
// Tuned on ../shared/eval (docs/RELEVANCE.md).
#pragma once

#include "query/build.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lede::query {

struct RankParams {
    double k1 = 1.0;         ///< BM25 term-frequency saturation
    double b = 0.5;          ///< BM25 length normalisation
    double proximity = 0.3;  ///< weight of the proximity feature
    double coverage = 0.8;   ///< weight of the share of query leaves matched
    double article = 0.05;   ///< weight of the article's relevance
    double form = 0.5;       ///< weight of the share of words present in the form typed
    std::size_t depth = 40;  ///< BM25 candidates reranked (docs/RELEVANCE.md: 100 costs 2x CPU for +0.003)
    WordWeights words;       ///< how word forms and variants weigh
    // Query expansion (SearchOptions::expand), docs/RELEVANCE.md.
    std::size_t fb_docs = 10;   ///< best passages the feedback terms come from
    std::size_t fb_terms = 10;  ///< feedback terms added
    double fb_weight = 0.5;     ///< weight of the best feedback term (the others in proportion)
    double fb_max_share = 0.1;  ///< feedback terms held by at most this share of passages
    std::size_t fb_keep = 2;    ///< the query's own best passages that keep their places (docs/RELEVANCE.md)
    /// The second run takes the first's candidates' text, tokens and matches
    /// instead of reading and analysing them again (same results; 0 for a check).
    bool fb_reuse = true;
    /// SearchOptions::Expand::automatic expands a query that no reranked
    /// candidate holds whole: its words are spread over passages that say
    /// the subject in other words, and no passage is the one the reader
    /// remembers (false: never automatically; docs/RELEVANCE.md).
    bool fb_none = true;
    /// ... and also one that at least this many candidates hold whole (a
    /// subject many passages name; 0: not). 3 gains topics more, at twice
    /// the CPU of most searches and 0.003 on a held-out known-item set.
    std::size_t fb_whole = 0;
    /// ... and one that at least this many candidates hold whole with two
    /// of its consecutive words side by side, in its order (collocated()): a
    /// subject that passages *name* (*Berlin wall*, *arms control*, *the
    /// national debt*), where the words of a remembered sentence stand
    /// apart and meet elsewhere by chance. Its feedback weighs the reranked
    /// candidates in place, without a second run (0: not; docs/RELEVANCE.md,
    /// tenth round).
    std::size_t fb_named = 3;
    /// The weight of *form* when that feedback reranks: the form a passage
    /// uses says nothing of whether it is about a subject.
    double fb_named_form = 0.0;
    /// The first stage's weighting scheme, for tuning runs: 0 BM25 (k1, b),
    /// 1 DPH, 2 PL2 (c), 3 LM Dirichlet (mu; Xapian 1.4's ranks the passages
    /// of one frequent word first here), 4 InL2 (c), 5 BB2 (c), 6 Trad (k1),
    /// 7 DLH, 8 IfB2 (c), 9 IneB2 (c), 10 BM25+ (k1, b). None ranked the
    /// topics better (docs/RELEVANCE.md, eighth round).
    int scheme = 0;
    double scheme_c = 1.0;     ///< the DFR schemes' length normalisation c
    double scheme_mu = 200.0;  ///< LM's Dirichlet prior
    /// Weight of the first stage's weight / the best's in the rerank.
    double first = 1.0;
    /// Weight of the first stage's rank r among the candidates, as
    /// (K+1)/(K+r) with K = rank_k: BM25 entering by its rank, as in rank
    /// fusion (0: not a feature; eighth round).
    double rank = 0.0;
    double rank_k = 60.0;

    /// Defaults, overridden by @p settings ("k1=1,b=0.5,prox=0.3,...": keys k1,
    /// b, wt, wtc, mu, fw, fr, fk, prox, cov, art, form, exact, exactshare, exactmin, var, names, depth, fbdocs,
    /// fbterms, fbw, fbmax, fbkeep, fbreuse, fbnone, fbwhole, fbnamed, fbnamedform) for tuning runs; unknown keys and
    /// items without '=' are ignored. The CLI passes $LEDE_RANK (OpenOptions::ranking).
    static RankParams parse(std::string_view settings);
};

struct Candidate {
    double bm25 = 0.0;
    double score = 0.0;  ///< final score
    double tie = 0.0;    ///< tie_weight(score), what the sort compares
    std::string article;
    int passage = 0;
    Matches matches;
    std::size_t order = 0;  ///< BM25 rank
    std::string key;        ///< the order key (index::order_key): ties are broken by it
    bool matched = false;   ///< matches computed (within the rerank depth)
    // Features, kept for --explain.
    double prox = 0.0;
    double cov = 0.0;
    double art = 0.0;
    double form = 0.0;
    double top = 1.0;  ///< the best BM25 weight, which normalizes bm25
    /// With feedback (--expand): its place, from 1, in the query's own
    /// ranking, which it keeps; 0 for a passage the feedback orders.
    std::size_t kept = 0;
    /// Feedback without a second run: the feedback terms' weight, part of bm25.
    double feedback = 0.0;
    /// --explain: each feature's contribution to score.
    [[nodiscard]] std::string explain(const RankParams& p) const;
};

/// A weight or score as the tie rule compares it: rounded to 32 significant
/// bits (a relative step of 2^-32, about 2.3e-10). A passage's BM25 weight is a
/// sum whose order Xapian chooses per database (by each one's term
/// frequencies), so copies of one passage in two shards can differ in the last
/// bits; rounded, they are equal and the order key decides (docs/SCALING.md
/// "One tie rule"). Real differences are many orders of magnitude larger.
double tie_weight(double w);

/// The first stage's weighting scheme, RankParams::scheme.
std::unique_ptr<Xapian::Weight> first_stage_weight(const RankParams& p);

/// Compute Candidate::score for all candidates and sort best first (ties by
/// tie_weight() of the score, then the order key).
void rerank(std::vector<Candidate>& cands, std::size_t leaves, const RankParams& p);

/// A feedback term: a stem (its query is SYNONYM(stem, Zstem)) and its weight.
struct FeedbackTerm {
    std::string stem;
    double weight = 0.0;
    double share = 0.0;  ///< the share of passages holding the stem's forms
};

/// A feedback term's scale in the query: RankParams::fb_weight × its weight /
/// the best's (@p fb is best first). The second run's query, FeedbackWeight
/// and --explain's `expanded:` line all weigh a term by it.
double feedback_scale(const std::vector<FeedbackTerm>& fb, const FeedbackTerm& t, const RankParams& p);

/// RM3-style feedback terms from the best passages (their tokens, best first,
/// with their scores): P(t|R) = sum_d P(d|q) tf(t,d)/|d|, P(d|q) ∝ score,
/// times the term's idf log(N/df) in place of a stopword list. Terms of one
/// passage only, numbers, words under 3 letters and @p exclude (the query's
/// stems) are left out. @p df gives the share of passages holding a stem;
/// stems held by more than @p max_share of them are left out too.
std::vector<FeedbackTerm> feedback_terms(const std::vector<std::vector<analysis::Token>>& docs,
                                         const std::vector<double>& scores, analysis::TermMaker& terms,
                                         MatchCache& cache, const std::vector<std::string>& exclude,
                                         const std::function<double(const std::string&)>& df, std::size_t count,
                                         double max_share = 1.0);

/// Whether two consecutive words of the query (its leaves 0 .. @p words - 1,
/// in query order) stand side by side in the passage, in that order.
bool collocated(const Matches& m, std::size_t words);

/// The feedback terms' BM25 weight in passages, computed from their tokens:
/// each term's query is SYNONYM(stem, Zstem), which holds each occurrence of
/// its forms once, weighted as in the second run's query (RankParams::
/// fb_weight × its weight / the best's), with Xapian's BM25 formula and the
/// first stage's k1 and b. For feedback without a second run.
class FeedbackWeight {
public:
    /// @p passages: the passages in the index.
    FeedbackWeight(const std::vector<FeedbackTerm>& fb, double passages, const RankParams& p);
    /// The weight in a passage of tokens @p toks whose length is @p normlen
    /// times the average (Xapian's document length over its average).
    double operator()(const std::vector<analysis::Token>& toks, double normlen, analysis::TermMaker& terms,
                      MatchCache& cache) const;

private:
    std::unordered_map<std::string, std::size_t> index_;  // stem → its term
    std::vector<double> termweight_;
    double k1_;
    double b_;
};

/// Proximity of the matches: (d-1)/(w-1) for d distinct leaves in a minimal
/// window of w positions covering them all; 0 when fewer than two leaves match.
double proximity(const Matches& m, std::size_t& distinct);

}  // namespace lede::query
