#include "query/match.hpp"

#include <algorithm>

namespace lede::query {

using analysis::Token;

namespace {

// Whether word_matches() can hold, by the first letters alone: the raw form
// and the stem as a word are compared whole, and a word with the same stem
// starts with the stem's first letter (the check in word_matches()); only a
// variant key can come from another letter. Exactly word_matches()'s
// conditions, so false means no match, at a fraction of its cost (most
// passage words are none of the query's).
bool may_match(const WordForms& w, const Token& t) {
    const char first = t.term[0];  // '\0' for "", as for an empty raw form or stem
    return first == w.raw[0] || (!w.stem.empty() && first == w.stem[0])
           || (!w.key.empty() && analysis::TermMaker::wants_variant(t));
}

}  // namespace

bool word_matches(const WordForms& w, const Token& t, analysis::TermMaker& terms, MatchCache& cache) {
    if (!may_match(w, t)) {
        return false;
    }
    if (t.term == w.raw) {
        return true;
    }
    if (!w.stem.empty()) {
        if (t.term == w.stem) {
            return true;
        }
        // The English stemmer keeps a word's first letter: only then can the stems agree.
        if (!t.numeric && t.term[0] == w.stem[0]) {
            auto [it, fresh] = cache.stems.try_emplace(t.term);
            if (fresh) {
                it->second = terms.stem(t.term);
            }
            if (it->second == w.stem) {
                return true;
            }
        }
    }
    if (!w.key.empty() && analysis::TermMaker::wants_variant(t)) {
        // Looked up by the term itself (a Latin one, most): no copy of it made
        // unless it is new.
        auto key_of = [&](const std::string& k) -> const std::string& {
            auto it = cache.keys.find(k);
            if (it == cache.keys.end()) {
                it = cache.keys.emplace(k, analysis::TermMaker::variant(t)).first;
            }
            return it->second;
        };
        return (t.non_latin ? key_of("\x01" + t.term) : key_of(t.term)) == w.key;
    }
    return false;
}

std::vector<const Token*> word_sequence(const std::vector<Token>& toks) {
    // Non-compound tokens have consecutive positions: a phrase is a run.
    std::vector<const Token*> seq;
    for (const Token& t : toks) {
        if (!t.compound) {
            seq.push_back(&t);
        }
    }
    return seq;
}

std::vector<std::size_t> phrase_starts(const std::vector<const Token*>& seq, const std::vector<std::string>& phrase) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i + phrase.size() <= seq.size(); ++i) {
        bool ok = true;
        for (std::size_t j = 0; ok && j < phrase.size(); ++j) {
            ok = seq[i + j]->term == phrase[j];
        }
        if (ok) {
            out.push_back(i);
        }
    }
    return out;
}

Matches Matcher::match(std::string_view text, analysis::Analyzer& analyzer, analysis::TermMaker& terms,
                       MatchCache* cache) const {
    std::vector<Token> toks;
    analyzer.tokenize(text, toks);
    return match(toks, terms, cache);
}

Matches Matcher::match(const std::vector<Token>& toks, analysis::TermMaker& terms, MatchCache* cache) const {
    Matches out;
    std::vector<Span> spans;
    MatchCache local;
    MatchCache& memo = cache != nullptr ? *cache : local;
    memo.bound();
    std::vector<char> exact(words_.size(), 0);
    for (const Token& t : toks) {
        int leaf = -1;
        bool lower_name = false;  // only a name's letters, in lower case: highlighted, not a hit
        for (std::size_t i = 0; leaf < 0 && i < words_.size(); ++i) {
            if (may_match(words_[i], t) && word_matches(words_[i], t, terms, memo)) {
                if (words_[i].name && !t.capitalized) {
                    lower_name = true;
                    continue;
                }
                leaf = static_cast<int>(i);
                if (t.term == words_[i].raw && exact[i] == 0) {
                    exact[i] = 1;
                    ++out.exact;
                }
            }
        }
        for (std::size_t i = 0; leaf < 0 && i < prefixes_.size(); ++i) {
            if (t.term.starts_with(prefixes_[i])) {
                leaf = static_cast<int>(words_.size() + phrases_.size() + i);
            }
        }
        if (leaf >= 0) {
            spans.push_back({t.begin, t.end});
            out.hits.push_back({t.position, leaf});
        } else if (lower_name) {
            spans.push_back({t.begin, t.end});
        }
    }
    if (!phrases_.empty()) {
        std::vector<const Token*> seq = word_sequence(toks);
        for (std::size_t p = 0; p < phrases_.size(); ++p) {
            const auto& ph = phrases_[p];
            for (std::size_t i : phrase_starts(seq, ph)) {
                spans.push_back({seq[i]->begin, seq[i + ph.size() - 1]->end});
                out.hits.push_back({seq[i]->position, static_cast<int>(words_.size() + p)});
            }
        }
    }
    std::sort(spans.begin(), spans.end(),
              [](const Span& a, const Span& b) { return a.begin < b.begin || (a.begin == b.begin && a.end > b.end); });
    for (const Span& sp : spans) {
        if (!out.spans.empty() && sp.begin <= out.spans.back().end) {
            out.spans.back().end = std::max(out.spans.back().end, sp.end);
        } else {
            out.spans.push_back(sp);
        }
    }
    std::sort(out.hits.begin(), out.hits.end());
    return out;
}

std::vector<std::string> Matcher::describe() const {
    std::vector<std::string> out;
    for (const Word& w : words_) {
        std::string s = "word " + w.raw;
        if (!w.stem.empty()) {
            s += "  stem " + w.stem;
        }
        if (!w.key.empty()) {
            s += "  variant-key " + w.key;
        }
        if (w.name) {
            s += "  name";
        }
        out.push_back(s);
    }
    for (const auto& p : phrases_) {
        std::string s = "phrase";
        for (const auto& t : p) {
            s += ' ' + t;
        }
        out.push_back(s);
    }
    for (const auto& p : prefixes_) {
        out.push_back("prefix " + p + "*");
    }
    return out;
}

}  // namespace lede::query
