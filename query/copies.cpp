#include "query/copies.hpp"

#include <algorithm>
#include <functional>

namespace lede::query {
namespace {

// Quotation marks that open, close, or (the straight one) do either.
enum class Mark { none, open, close, toggle };

Mark mark_at(std::string_view t, std::size_t i, std::size_t& len) {
    len = 1;
    if (t[i] == '"') {
        return Mark::toggle;
    }
    if (i + 1 < t.size() && t[i] == '\xC2') {  // « »
        len = 2;
        return t[i + 1] == '\xAB' ? Mark::open : t[i + 1] == '\xBB' ? Mark::close : Mark::none;
    }
    if (i + 2 < t.size() && t[i] == '\xE2' && t[i + 1] == '\x80') {  // “ ” „
        len = 3;
        return t[i + 2] == '\x9C' || t[i + 2] == '\x9E' ? Mark::open : t[i + 2] == '\x9D' ? Mark::close : Mark::none;
    }
    return Mark::none;
}

std::vector<std::string_view> words(const std::vector<analysis::Token>& toks) {
    std::vector<std::string_view> w;
    for (const auto& t : toks) {
        if (!t.compound) {
            w.push_back(t.term);
        }
    }
    return w;
}

}  // namespace

Profile profile(std::string_view text, const std::vector<analysis::Token>& tokens) {
    Profile p;
    p.shingles = analysis::shingles(tokens);
    bool inside = false;
    std::size_t i = 0;
    std::size_t n = 0;
    const std::hash<std::string_view> hash;
    for (const auto& t : tokens) {
        const std::size_t h = hash(t.term);
        if (!t.compound && t.term.find_first_of("0123456789") != std::string::npos) {
            p.numbers.push_back(h);
            if (n >= dateline_words) {
                p.body_numbers.push_back(h);
            }
        }
        n += t.compound ? 0 : 1;
        while (i < text.size() && i < t.begin) {
            std::size_t len = 1;
            switch (mark_at(text, i, len)) {
            case Mark::open: inside = true; break;
            case Mark::close: inside = false; break;
            case Mark::toggle: inside = !inside; break;
            case Mark::none: break;
            }
            i += len;
        }
        if (!inside && !t.compound) {
            p.own.push_back(h);
        }
    }
    for (auto* v : {&p.own, &p.numbers, &p.body_numbers}) {
        std::sort(v->begin(), v->end());
        v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    return p;
}

Similarity similarity(const Profile& a, const Profile& b) {
    Similarity s;
    const std::size_t sh = analysis::common_count(a.shingles, b.shingles);
    s.common = sh;
    s.numbers_changed = analysis::common_count(a.body_numbers, b.numbers) < a.body_numbers.size()
                        && analysis::common_count(b.body_numbers, a.numbers) < b.body_numbers.size();
    const std::size_t all = a.shingles.size() + b.shingles.size() - sh;
    s.resemblance = all == 0 ? 1.0 : static_cast<double>(sh) / static_cast<double>(all);
    const std::size_t small = std::min(a.shingles.size(), b.shingles.size());
    s.containment = small == 0 ? 0.0 : static_cast<double>(sh) / static_cast<double>(small);
    const std::size_t own_small = std::min(a.own.size(), b.own.size());
    if (a.own.empty() && b.own.empty()) {
        s.own = 1.0;
    } else if (own_small > 0) {
        s.own = static_cast<double>(analysis::common_count(a.own, b.own)) / static_cast<double>(own_small);
    }
    return s;
}

bool alike(const Similarity& s, const CopyRule& rule) {
    const bool same_runs = s.resemblance >= 1.0;  // short but the same words, quotes aside
    return s.own >= rule.min_own && (s.common >= rule.min_common || same_runs) && !(rule.numbers && s.numbers_changed)
           && (s.resemblance >= rule.min_resemblance || s.containment >= rule.min_containment);
}

bool sketches_near(const analysis::Sketch& a, const analysis::Sketch& b, const CopyRule& rule) {
    if (a.exact() || b.exact()) {
        return a == b;
    }
    return analysis::distance(a, b) <= rule.max_distance;
}

bool are_copies(std::string_view text_a, const std::vector<analysis::Token>& ta, const analysis::Sketch& a,
                std::string_view text_b, const std::vector<analysis::Token>& tb, const analysis::Sketch& b,
                const CopyRule& rule) {
    if (!sketches_near(a, b, rule)) {
        return false;
    }
    if (a.exact()) {
        return words(ta) == words(tb);  // an exact hash could still collide
    }
    return alike(similarity(profile(text_a, ta), profile(text_b, tb)), rule);
}

const Profile& CopyIndex::profile_of(Kept& k) {
    if (!k.profile) {
        if (k.tokens == nullptr) {
            toks_.clear();
            analyzer_.tokenize(k.text, toks_);
        }
        k.profile = profile(k.text, k.tokens != nullptr ? *k.tokens : toks_);
    }
    return *k.profile;
}

std::optional<std::size_t> CopyIndex::original_of(const std::optional<analysis::Sketch>& sketch, std::string_view text,
                                                  std::string_view article,
                                                  const std::vector<analysis::Token>* tokens) {
    if (!sketch) {
        return std::nullopt;
    }
    std::vector<analysis::Token> analysed;  // the candidate's tokens, when not given and first needed
    std::optional<Profile> my_profile;
    for (std::size_t i = 0; i < kept_.size(); ++i) {
        Kept& k = kept_[i];
        if (!k.sketch || k.article == article || !sketches_near(*sketch, *k.sketch, rule_)) {
            continue;
        }
        if (text == k.text) {
            // The same text is a copy by every test below (the same words,
            // shingles, own words and numbers), without analysing it: the
            // common case of a reprint, and of a mail footer in thousands.
            return i;
        }
        if (tokens == nullptr) {
            analyzer_.tokenize(text, analysed);
            tokens = &analysed;
        }
        if (sketch->exact()) {
            if (k.tokens == nullptr) {
                toks_.clear();
                analyzer_.tokenize(k.text, toks_);
            }
            if (words(*tokens) == words(k.tokens != nullptr ? *k.tokens : toks_)) {
                return i;
            }
            continue;
        }
        if (!my_profile) {
            my_profile = profile(text, *tokens);
        }
        if (alike(similarity(*my_profile, profile_of(k)), rule_)) {
            return i;
        }
    }
    return std::nullopt;
}

std::size_t CopyIndex::add(const std::optional<analysis::Sketch>& sketch, std::string_view text,
                           std::string_view article, const std::vector<analysis::Token>* tokens) {
    kept_.push_back(Kept{sketch, std::string(text), std::string(article), tokens, std::nullopt});
    return kept_.size() - 1;
}

}  // namespace lede::query
