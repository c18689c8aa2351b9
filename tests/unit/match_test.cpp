// The one word matcher (query/match.hpp): the check on the passage text and
// the highlighter agree on which words a query word matched, and both match
// what Xapian retrieved the passage by.
#include "query/match.hpp"
#include "query/build.hpp"
#include "query/parse.hpp"
#include "query/verify.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

struct Probe {
    lede::analysis::Analyzer analyzer;
    lede::analysis::TermMaker terms;
    lede::query::MatchCache cache;

    // The highlighted words of text for query.
    std::string highlighted(const std::string& query, const std::string& text) {
        auto built = lede::query::build(lede::query::parse(query), analyzer, terms);
        std::string out;
        for (const lede::Span& s : built.matcher.match(text, analyzer, terms, &cache).spans) {
            out += (out.empty() ? "" : "|") + text.substr(s.begin, s.end - s.begin);
        }
        return out;
    }
    bool kept(const std::string& query, const std::string& text) {
        auto built = lede::query::build(lede::query::parse(query), analyzer, terms);
        std::vector<lede::analysis::Token> toks;
        analyzer.tokenize(text, toks);
        return lede::query::evaluate(built.check, toks, terms, cache) == lede::query::Truth::yes;
    }
};

}  // namespace

TEST_CASE("match: a bare stem matches and is highlighted (as Xapian retrieves it)") {
    // The query for "considerable" searches SYNONYM(considerable, consider,
    // Zconsider): a passage with the word "consider" (whose own stem is
    // "consid") is retrieved by the plain term "consider". The check keeps
    // it and the highlighter marks it; before, only the check did.
    Probe p;
    REQUIRE(p.terms.stem("considerable") == "consider");
    REQUIRE(p.terms.stem("consider") != "consider");
    CHECK(p.kept("considerable", "We consider the matter closed."));
    CHECK(p.highlighted("considerable", "We consider the matter closed.") == "consider");
    CHECK(p.highlighted("considerable", "A considerable sum, considerably more.") == "considerable|considerably");
    // An exact word matches its form only.
    CHECK(p.highlighted("=considerable", "We consider a considerable sum.") == "considerable");
    CHECK_FALSE(p.kept("=considerable", "We consider the matter closed."));
}

TEST_CASE("match: the check and the highlighter agree word by word") {
    Probe p;
    const char* queries[] = {"talks", "Umerov", "Zelensky", "considerable", "provisional", "Kyiv", "=talks", "55,000"};
    const char* texts[] = {"They talked and talk.", "Umyrov and Umerov met.",    "Зеленский spoke.",
                           "We consider it.",       "A provision was made.",     "In Kiev and Kyiv.",
                           "talks talk talking",    "55,000 people, 55000 more", "nothing here"};
    for (const char* q : queries) {
        for (const char* t : texts) {
            CAPTURE(q);
            CAPTURE(t);
            CHECK(p.kept(q, t) == !p.highlighted(q, t).empty());
        }
    }
}

TEST_CASE("match: word_matches() is its forms' definition, with the first-letter shortcut and the key cache") {
    // Each query word against each token of varied text (names in other
    // scripts and spellings, numbers, stems, lower-case names): the matcher
    // (which skips words by their first letters and memoizes stems and keys)
    // against the plain definition. A variant key can join words of other
    // first letters (Зеленский, Yermak/Ermak): those must still match.
    Probe p;
    auto plain = [&](const lede::query::WordForms& w, const lede::analysis::Token& t) {
        if (t.term == w.raw) {
            return true;
        }
        if (!w.stem.empty()
            && (t.term == w.stem || (!t.numeric && t.term[0] == w.stem[0] && p.terms.stem(t.term) == w.stem))) {
            return true;
        }
        return !w.key.empty() && lede::analysis::TermMaker::wants_variant(t)
               && lede::analysis::TermMaker::variant(t) == w.key;
    };
    const char* queries[] = {"Zelensky talks", "Yermak considerable", "Kyiv 55,000", "umerov Plan", "=Talks ermak"};
    const std::string text =
        "Зеленский and Zelenskyy talked; Ermak, Yermak and ermak met in Kiev, Kyiv and Київ. "
        "We consider a considerable plan: the Marshall Plan, 55,000 people and 55000 more. "
        "Umyrov, Umerov, umerov; TALKS talk talking. Зеленського слова.";
    std::vector<lede::analysis::Token> toks;
    p.analyzer.tokenize(text, toks);
    std::size_t matched = 0;
    std::size_t other_letter = 0;
    for (const char* q : queries) {
        auto built = lede::query::build(lede::query::parse(q), p.analyzer, p.terms);
        for (const auto& w : built.matcher.words()) {
            for (const auto& t : toks) {
                CAPTURE(q);
                CAPTURE(w.raw);
                CAPTURE(t.term);
                const bool m = lede::query::word_matches(w, t, p.terms, p.cache);
                REQUIRE(m == plain(w, t));
                matched += m ? 1 : 0;
                other_letter += m && t.term[0] != w.raw[0] ? 1 : 0;
            }
        }
    }
    CHECK(matched > 10);
    CHECK(other_letter >= 2);
}
