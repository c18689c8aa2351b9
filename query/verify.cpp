#include "query/verify.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace lede::query {
namespace {

using analysis::Token;

// Positions of the non-compound tokens equal to each term.
std::vector<std::vector<std::uint32_t>> positions_of(const std::vector<std::string>& terms,
                                                     const std::vector<Token>& toks) {
    std::vector<std::vector<std::uint32_t>> out(terms.size());
    for (const Token& t : toks) {
        if (t.compound) {
            continue;
        }
        for (std::size_t i = 0; i < terms.size(); ++i) {
            if (t.term == terms[i]) {
                out[i].push_back(t.position);
            }
        }
    }
    return out;
}

bool phrase_matches(const Check& c, const std::vector<Token>& toks) {
    return !phrase_starts(word_sequence(toks), c.terms).empty();
}

// Xapian's semantics: NEAR/ADJ with window w hold when all words occur within
// w consecutive positions (ADJ: in the order given), each at its own position.
bool near_matches(const Check& c, const std::vector<Token>& toks) {
    auto pos = positions_of(c.terms, toks);
    for (const auto& p : pos) {
        if (p.empty()) {
            return false;
        }
    }
    const std::uint32_t w = std::max(1U, c.window);
    if (c.ordered) {
        // From each start, the earliest in-order continuation has the smallest span.
        for (std::uint32_t first : pos[0]) {
            std::uint32_t last = first;
            bool ok = true;
            for (std::size_t i = 1; ok && i < pos.size(); ++i) {
                auto it = std::upper_bound(pos[i].begin(), pos[i].end(), last);
                ok = it != pos[i].end() && *it - first < w;
                if (ok) {
                    last = *it;
                }
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }
    // Unordered: a window of w positions holding every word at distinct positions.
    std::vector<std::pair<std::uint32_t, std::size_t>> all;
    for (std::size_t i = 0; i < pos.size(); ++i) {
        for (std::uint32_t p : pos[i]) {
            all.emplace_back(p, i);
        }
    }
    std::sort(all.begin(), all.end());
    for (std::size_t s = 0; s < all.size(); ++s) {
        std::vector<bool> seen(pos.size(), false);
        std::vector<std::uint32_t> used;
        std::size_t have = 0;
        for (std::size_t e = s; e < all.size() && all[e].first - all[s].first < w; ++e) {
            auto [p, i] = all[e];
            if (seen[i] || std::find(used.begin(), used.end(), p) != used.end()) {
                continue;
            }
            seen[i] = true;
            used.push_back(p);
            if (++have == pos.size()) {
                return true;
            }
        }
    }
    return false;
}

Truth of(bool b) { return b ? Truth::yes : Truth::no; }

}  // namespace

bool Check::positional() const {
    if (kind == Kind::phrase || kind == Kind::near) {
        return true;
    }
    return std::any_of(children.begin(), children.end(), [](const Check& c) { return c.positional(); });
}

Truth evaluate(const Check& c, const std::vector<Token>& toks, analysis::TermMaker& terms, MatchCache& cache) {
    switch (c.kind) {
    case Check::Kind::unknown: return Truth::unknown;
    case Check::Kind::yes: return Truth::yes;
    case Check::Kind::word:
        return of(std::any_of(toks.begin(), toks.end(),
                              [&](const Token& t) { return word_matches(c.word, t, terms, cache); }));
    case Check::Kind::phrase: return of(phrase_matches(c, toks));
    case Check::Kind::near: return of(near_matches(c, toks));
    case Check::Kind::prefix:
        return of(
            std::any_of(toks.begin(), toks.end(), [&](const Token& t) { return t.term.starts_with(c.terms.front()); }));
    case Check::Kind::all_of: {
        Truth r = Truth::yes;
        for (const Check& ch : c.children) {
            Truth t = evaluate(ch, toks, terms, cache);
            if (t == Truth::no) {
                return Truth::no;
            }
            if (t == Truth::unknown) {
                r = Truth::unknown;
            }
        }
        return r;
    }
    case Check::Kind::any_of: {
        Truth r = Truth::no;
        for (const Check& ch : c.children) {
            Truth t = evaluate(ch, toks, terms, cache);
            if (t == Truth::yes) {
                return Truth::yes;
            }
            if (t == Truth::unknown) {
                r = Truth::unknown;
            }
        }
        return r;
    }
    case Check::Kind::none_of: {
        Truth base = c.children.empty() ? Truth::yes : evaluate(c.children.front(), toks, terms, cache);
        if (base == Truth::no) {
            return Truth::no;
        }
        for (std::size_t i = 1; i < c.children.size(); ++i) {
            Truth t = evaluate(c.children[i], toks, terms, cache);
            if (t == Truth::yes) {
                return Truth::no;
            }
            if (t == Truth::unknown) {
                base = Truth::unknown;
            }
        }
        return base;
    }
    }
    return Truth::unknown;
}

}  // namespace lede::query
