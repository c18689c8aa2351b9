#include "query/rank.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace lede::query {

RankParams RankParams::parse(std::string_view settings) {
    RankParams p;
    if (settings.empty()) {
        return p;
    }
    std::stringstream ss{std::string(settings)};
    std::string kv;
    while (std::getline(ss, kv, ',')) {
        auto eq = kv.find('=');
        if (eq == std::string::npos) {
            continue;
        }
        std::string k = kv.substr(0, eq);
        double v = std::atof(kv.c_str() + eq + 1);
        if (k == "k1") {
            p.k1 = v;
        } else if (k == "b") {
            p.b = v;
        } else if (k == "wt") {
            p.scheme = static_cast<int>(v);
        } else if (k == "wtc") {
            p.scheme_c = v;
        } else if (k == "mu") {
            p.scheme_mu = v;
        } else if (k == "fw") {
            p.first = v;
        } else if (k == "fr") {
            p.rank = v;
        } else if (k == "fk") {
            p.rank_k = v;
        } else if (k == "prox") {
            p.proximity = v;
        } else if (k == "cov") {
            p.coverage = v;
        } else if (k == "art") {
            p.article = v;
        } else if (k == "exact") {
            p.words.exact = v;
        } else if (k == "exactshare") {
            p.words.exact_share = v;
        } else if (k == "exactmin") {
            p.words.exact_min = v;
        } else if (k == "form") {
            p.form = v;
        } else if (k == "fbdocs") {
            p.fb_docs = static_cast<std::size_t>(v);
        } else if (k == "fbterms") {
            p.fb_terms = static_cast<std::size_t>(v);
        } else if (k == "fbmax") {
            p.fb_max_share = v;
        } else if (k == "fbw") {
            p.fb_weight = v;
        } else if (k == "fbkeep") {
            p.fb_keep = static_cast<std::size_t>(v);
        } else if (k == "fbnone") {
            p.fb_none = v != 0.0;
        } else if (k == "fbwhole") {
            p.fb_whole = static_cast<std::size_t>(v);
        } else if (k == "fbnamed") {
            p.fb_named = static_cast<std::size_t>(v);
        } else if (k == "fbnamedform") {
            p.fb_named_form = v;
        } else if (k == "fbreuse") {
            p.fb_reuse = v != 0.0;
        } else if (k == "names") {
            p.words.names = v != 0.0;
        } else if (k == "var") {
            p.words.variant = v;
        } else if (k == "depth") {
            p.depth = static_cast<std::size_t>(v);
        }
    }
    return p;
}

std::unique_ptr<Xapian::Weight> first_stage_weight(const RankParams& p) {
    switch (p.scheme) {
    case 1: return std::make_unique<Xapian::DPHWeight>();
    case 2: return std::make_unique<Xapian::PL2Weight>(p.scheme_c);
    case 3: return std::make_unique<Xapian::LMWeight>(0.0, Xapian::Weight::DIRICHLET_SMOOTHING, p.scheme_mu, 0.0);
    case 4: return std::make_unique<Xapian::InL2Weight>(p.scheme_c);
    case 5: return std::make_unique<Xapian::BB2Weight>(p.scheme_c);
    case 6: return std::make_unique<Xapian::TradWeight>(p.k1);
    case 7: return std::make_unique<Xapian::DLHWeight>();
    case 8: return std::make_unique<Xapian::IfB2Weight>(p.scheme_c);
    case 9: return std::make_unique<Xapian::IneB2Weight>(p.scheme_c);
    case 10: return std::make_unique<Xapian::BM25PlusWeight>(p.k1, 0, 1, p.b, 0.5, 1.0);
    default: return std::make_unique<Xapian::BM25Weight>(p.k1, 0, 1, p.b, 0.5);
    }
}

double proximity(const Matches& m, std::size_t& distinct) {
    std::map<int, int> in_window;  // leaf → count inside the window
    std::size_t total_leaves = 0;
    {
        std::vector<int> leaves;
        for (const auto& h : m.hits) {
            leaves.push_back(h.second);
        }
        std::sort(leaves.begin(), leaves.end());
        total_leaves = static_cast<std::size_t>(std::unique(leaves.begin(), leaves.end()) - leaves.begin());
    }
    distinct = total_leaves;
    if (total_leaves < 2) {
        return 0.0;
    }
    std::uint32_t best = UINT32_MAX;
    std::size_t lo = 0;
    for (std::size_t hi = 0; hi < m.hits.size(); ++hi) {
        ++in_window[m.hits[hi].second];
        while (in_window.size() == total_leaves) {
            best = std::min(best, m.hits[hi].first - m.hits[lo].first + 1);
            if (--in_window[m.hits[lo].second] == 0) {
                in_window.erase(m.hits[lo].second);
            }
            ++lo;
        }
    }
    if (best <= 1) {
        return 1.0;
    }
    return static_cast<double>(total_leaves - 1) / static_cast<double>(best - 1);
}

bool collocated(const Matches& m, std::size_t words) {
    const auto& h = m.hits;  // sorted by position
    for (std::size_t a = 0; a < h.size(); ++a) {
        for (std::size_t b = a + 1; b < h.size() && h[b].first <= h[a].first + 1; ++b) {
            if (h[b].first == h[a].first + 1 && h[b].second == h[a].second + 1
                && static_cast<std::size_t>(h[b].second) < words) {
                return true;
            }
        }
    }
    return false;
}

double feedback_scale(const std::vector<FeedbackTerm>& fb, const FeedbackTerm& t, const RankParams& p) {
    return p.fb_weight * t.weight / fb.front().weight;
}

FeedbackWeight::FeedbackWeight(const std::vector<FeedbackTerm>& fb, double passages, const RankParams& p)
    : k1_(p.k1), b_(p.b) {
    for (const FeedbackTerm& t : fb) {
        // Xapian 1.4's BM25Weight: log of r = (N - n + 1/2) / (n + 1/2),
        // r / 2 + 1 in its place where r < 2 (a term in most passages), times
        // (k1 + 1); then the query's scale.
        const double n = t.share * passages;
        double r = (passages - n + 0.5) / (n + 0.5);
        if (r < 2) {
            r = r * 0.5 + 1;
        }
        const double idf = std::log(r);
        index_.emplace(t.stem, termweight_.size());
        termweight_.push_back(idf * (p.k1 + 1) * feedback_scale(fb, t, p));
    }
}

double FeedbackWeight::operator()(const std::vector<analysis::Token>& toks, double normlen, analysis::TermMaker& terms,
                                  MatchCache& cache) const {
    std::vector<unsigned> tf(termweight_.size());
    bool any = false;
    for (const analysis::Token& t : toks) {
        if (t.compound || t.numeric || t.term.size() < 3) {
            continue;  // as feedback_terms() counts them
        }
        auto [it, fresh] = cache.stems.try_emplace(t.term);
        if (fresh) {
            it->second = terms.stem(t.term);
        }
        auto w = index_.find(it->second);
        if (w != index_.end()) {
            ++tf[w->second];
            any = true;
        }
    }
    if (!any) {
        return 0.0;
    }
    const double k = k1_ * (std::max(normlen, 0.5) * b_ + (1 - b_));
    double sum = 0.0;
    for (std::size_t i = 0; i < tf.size(); ++i) {
        if (tf[i] > 0) {
            const auto f = static_cast<double>(tf[i]);
            sum += termweight_[i] * f / (k + f);
        }
    }
    return sum;
}

double tie_weight(double w) {
    if (w == 0.0 || !std::isfinite(w)) {
        return w;
    }
    int e = 0;
    const double m = std::frexp(w, &e);  // |m| in [0.5, 1)
    return std::ldexp(std::round(std::ldexp(m, 32)), e - 32);
}

void rerank(std::vector<Candidate>& cands, std::size_t leaves, const RankParams& p) {
    if (cands.empty()) {
        return;
    }
    double top = 0.0;
    for (const auto& c : cands) {
        top = std::max(top, c.bm25);
    }
    if (top <= 0.0) {
        top = 1.0;
    }
    // Article relevance: the sum of its best three passage scores.
    std::unordered_map<std::string, std::vector<double>> per_article;
    for (const auto& c : cands) {
        if (c.matched) {
            per_article[c.article].push_back(c.bm25);
        }
    }
    std::unordered_map<std::string, double> art;
    double max_art = 0.0;
    for (auto& [a, v] : per_article) {
        std::sort(v.rbegin(), v.rend());
        double s = 0.0;
        for (std::size_t i = 0; i < v.size() && i < 3; ++i) {
            s += v[i];
        }
        art[a] = s;
        max_art = std::max(max_art, s);
    }
    for (auto& c : cands) {
        c.top = top;
        if (!c.matched) {
            c.score = c.bm25 / top;  // beyond the rerank depth: BM25 order
            continue;
        }
        std::size_t d = 0;
        c.prox = proximity(c.matches, d);
        const auto n = static_cast<double>(leaves);
        c.cov = leaves > 0 ? static_cast<double>(d) / n : 0.0;
        c.art = max_art > 0 ? art[c.article] / max_art : 0.0;
        c.form = leaves > 0 ? static_cast<double>(c.matches.exact) / n : 0.0;
        c.score = p.first * c.bm25 / top + p.proximity * c.prox * c.cov + p.coverage * c.cov + p.article * c.art
                  + p.form * c.form;
        if (p.rank != 0.0) {
            c.score += p.rank * (p.rank_k + 1) / (p.rank_k + static_cast<double>(c.order + 1));
        }
    }
    // Ties broken by the order key (article and passage), never by document
    // id, the rule Xapian's candidate cut follows too (searcher.cpp), so one
    // index, N shards (whose ids interleave) and an updated index agree.
    // Scores tie when equal to 32 bits (tie_weight): their sums differ in the
    // last bits from one layout to another.
    for (auto& c : cands) {
        c.tie = tie_weight(c.score);
    }
    std::stable_sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
        if (a.tie != b.tie) {
            return a.tie > b.tie;
        }
        if (a.key != b.key) {
            return a.key < b.key;
        }
        return a.article < b.article || (a.article == b.article && a.passage < b.passage);
    });
}

std::string Candidate::explain(const RankParams& p) const {
    char buf[400];
    if (!matched) {
        std::snprintf(buf, sizeof buf,
                      "score %.4f = bm25 %.4f (weight %.3f / best %.3f, rank %zu; beyond the rerank depth)", score,
                      bm25 / top, bm25, top, order + 1);
        return buf;
    }
    std::snprintf(buf, sizeof buf,
                  "score %.4f = bm25 %.4f (weight %.3f / best %.3f, rank %zu) + coverage %.4f (%.2f*%.2f)"
                  " + proximity %.4f (%.2f*%.2f*%.2f) + article %.4f (%.2f*%.2f) + form %.4f (%.2f*%.2f)",
                  score, p.first * bm25 / top, bm25, top, order + 1, p.coverage * cov, p.coverage, cov,
                  p.proximity * prox * cov, p.proximity, prox, cov, p.article * art, p.article, art, p.form * form,
                  p.form, form);
    std::string out = buf;
    if (feedback > 0.0) {
        std::snprintf(buf, sizeof buf, "; its weight holds the feedback terms' %.3f", feedback);
        out += buf;
    }
    if (p.rank != 0.0) {
        std::snprintf(buf, sizeof buf, " + bm25 rank %.4f (%.2f*%.0f/%.0f)",
                      p.rank * (p.rank_k + 1) / (p.rank_k + static_cast<double>(order + 1)), p.rank, p.rank_k + 1,
                      p.rank_k + static_cast<double>(order + 1));
        out += buf;
    }
    if (kept > 0) {
        std::snprintf(buf, sizeof buf, "; kept in place %zu of the query's own ranking (feedback orders the rest)",
                      kept);
        out += buf;
    }
    return out;
}

std::vector<FeedbackTerm> feedback_terms(const std::vector<std::vector<analysis::Token>>& docs,
                                         const std::vector<double>& scores, analysis::TermMaker& terms,
                                         MatchCache& cache, const std::vector<std::string>& exclude,
                                         const std::function<double(const std::string&)>& df, std::size_t count,
                                         double max_share) {
    struct Acc {
        double p = 0.0;        // P(t|R)
        std::size_t docs = 0;  // feedback passages holding t
        std::size_t last = 0;  // the last of them, from 1
    };
    std::unordered_map<std::string, Acc> acc;
    double total = 0.0;
    for (double s : scores) {
        total += std::max(s, 0.0);
    }
    if (total <= 0.0) {
        return {};
    }
    const std::unordered_set<std::string> skip(exclude.begin(), exclude.end());
    cache.bound();
    for (std::size_t d = 0; d < docs.size() && d < scores.size(); ++d) {
        std::unordered_map<const std::string*, std::size_t> tf;
        std::size_t len = 0;
        for (const analysis::Token& t : docs[d]) {
            if (t.compound) {
                continue;
            }
            ++len;
            if (t.numeric || t.term.size() < 3) {
                continue;
            }
            auto [it, fresh] = cache.stems.try_emplace(t.term);
            if (fresh) {
                it->second = terms.stem(t.term);
            }
            ++tf[&it->second];
        }
        if (len == 0) {
            continue;
        }
        double pd = std::max(scores[d], 0.0) / total;
        for (const auto& [stem, n] : tf) {
            if (skip.count(*stem) != 0) {
                continue;
            }
            Acc& a = acc[*stem];
            a.p += pd * static_cast<double>(n) / static_cast<double>(len);
            // Once per passage: its forms (pirates, pirate) are counted by
            // tf apart, as their stems are distinct strings in the cache.
            if (a.last != d + 1) {
                a.last = d + 1;
                ++a.docs;
            }
        }
    }
    std::vector<FeedbackTerm> out;
    for (const auto& [stem, a] : acc) {
        if (a.docs < 2) {
            continue;
        }
        double share = df(stem);
        if (share <= 0.0 || share >= 1.0 || share > max_share) {
            continue;
        }
        out.push_back({stem, a.p * std::log(1.0 / share), share});
    }
    std::sort(out.begin(), out.end(), [](const FeedbackTerm& a, const FeedbackTerm& b) {
        const double x = tie_weight(a.weight);
        const double y = tie_weight(b.weight);
        return x > y || (x == y && a.stem < b.stem);
    });
    if (out.size() > count) {
        out.resize(count);
    }
    return out;
}

}  // namespace lede::query
