#include "query/rank.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>
#include <unordered_map>

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
        } else if (k == "prox") {
            p.proximity = v;
        } else if (k == "cov") {
            p.coverage = v;
        } else if (k == "art") {
            p.article = v;
        } else if (k == "exact") {
            p.words.exact = v;
        } else if (k == "var") {
            p.words.variant = v;
        } else if (k == "depth") {
            p.depth = static_cast<std::size_t>(v);
        }
    }
    return p;
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
        if (!c.matched) {
            c.score = c.bm25 / top;  // beyond the rerank depth: BM25 order
            continue;
        }
        std::size_t d = 0;
        c.prox = proximity(c.matches, d);
        c.cov = leaves > 0 ? static_cast<double>(d) / static_cast<double>(leaves) : 0.0;
        c.art = max_art > 0 ? art[c.article] / max_art : 0.0;
        c.score = c.bm25 / top + p.proximity * c.prox * c.cov + p.coverage * c.cov + p.article * c.art;
    }
    // Ties broken by article and passage, not by document id, so one index
    // and N shards (whose ids interleave) give the same order.
    std::stable_sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
        if (a.score != b.score) {
            return a.score > b.score;
        }
        return a.article < b.article || (a.article == b.article && a.passage < b.passage);
    });
}

}  // namespace lede::query
