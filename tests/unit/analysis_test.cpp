// The hard tokens of the corpus, decided once and tested here (docs/ANALYSIS.md).
#include "analysis/analyzer.hpp"
#include "analysis/sentences.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using lede::analysis::Analyzer;
using lede::analysis::Token;

namespace {

std::vector<std::string> terms(const std::string& text, bool with_compounds = true) {
    Analyzer a;
    std::vector<Token> toks;
    a.tokenize(text, toks);
    std::vector<std::string> out;
    for (const auto& t : toks) {
        if (with_compounds || !t.compound) {
            out.push_back(t.term);
        }
    }
    return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("analysis: typographic apostrophes and possessives fold") {
    CHECK(terms("Kyiv’s") == V{"kyiv"});
    CHECK(terms("Kyiv's") == V{"kyiv"});
    CHECK(terms("Ukraine’s demand") == V{"ukraine", "demand"});
    CHECK(terms("officials' views") == V{"officials", "views"});
}

TEST_CASE("analysis: U.S. and US are the same token") {
    CHECK(terms("the U.S. and Europe") == V{"the", "us", "and", "europe"});
    CHECK(terms("US envoys") == V{"us", "envoys"});
    CHECK(terms("U.S.-Russia relations") == V{"us", "russia", "relations"});
}

TEST_CASE("analysis: hyphenated compounds give the parts and the whole") {
    CHECK(terms("military-to-military dialogue") == V{"military", "to", "military", "militarytomilitary", "dialogue"});
    CHECK(terms("de-escalation") == V{"de", "escalation", "deescalation"});
    CHECK(terms("face-to-face") == V{"face", "to", "face", "facetoface"});
    // en and em dashes separate clauses, they do not make compounds
    CHECK(terms("war – peace") == V{"war", "peace"});
    Analyzer a;
    std::vector<Token> toks;
    a.tokenize("de-escalation", toks);
    REQUIRE(toks.size() == 3);
    CHECK(toks[2].compound);
    CHECK(toks[2].position == toks[0].position);  // the whole sits where its first part is
    CHECK(toks[2].begin == 0);
    CHECK(toks[2].end == 13);
}

TEST_CASE("analysis: numbers") {
    CHECK(terms("314 prisoners") == V{"314", "prisoners"});
    CHECK(terms("in 2022") == V{"in", "2022"});
    CHECK(terms("at least 55,000 troops") == V{"at", "least", "55000", "troops"});
    CHECK(terms("-0.0600") == V{"0.0600"});
    CHECK(terms("40% of") == V{"40", "of"});
}

TEST_CASE("analysis: apostrophes inside names, e-mail addresses and URLs") {
    CHECK(terms("O'Brien") == V{"obrien"});
    CHECK(terms("O’Brien") == V{"obrien"});
    // an e-mail address is one word, and its parts are findable too;
    // URL parts are words, so a query for the whole URL is a phrase.
    CHECK(terms("press@example.com") == V{"press@example.com", "press", "example.com"});
    CHECK(terms("https://www.example.org/news") == V{"https", "www.example.org", "news"});
}

TEST_CASE("analysis: case folding and Latin diacritics, Cyrillic intact") {
    CHECK(terms("ＤＯＮＢＡＳ Straße") == V{"donbas", "strasse"});
    CHECK(terms("Łódź Müller Renée") == V{"lodz", "muller", "renee"});
    CHECK(terms("Зеленський Київ") == V{"зеленський", "київ"});  // й and ї keep their marks
    CHECK(terms("Фёдоров") == V{"федоров"});                     // ё folds to е
}

TEST_CASE("analysis: ASCII text gives the tokens of the general path, word by word") {
    // ASCII text without '_' takes a path of its own (word splitting and
    // normalizing without ICU); a non-ASCII word after it sends the same text
    // through ICU and normalize_word(). Everything before that word must agree.
    const std::string alphabet = "aZqE09 .,;:'\"-!/@#$%&*()+=?[]`~\\|<>{}^\t\n";
    const std::string joins = "aBsS19.,;'@- ";
    // Long words and chains: words over max_term_bytes (dropped, ending a
    // chain) and compounds of many parts.
    const std::string long_words = "aB1-.,' ";
    std::mt19937 rng(18);
    Analyzer fast;
    Analyzer general;
    std::size_t tokens = 0;
    auto same = [](const Token& x, const Token& y) {
        return x.term == y.term && x.begin == y.begin && x.end == y.end && x.position == y.position
               && x.capitalized == y.capitalized && x.non_latin == y.non_latin && x.compound == y.compound
               && x.numeric == y.numeric;
    };
    for (int round = 0; round < 50000; ++round) {
        const int kind = round % 3;
        const std::string& from = kind == 0 ? alphabet : kind == 1 ? joins : long_words;
        std::string s(1 + rng() % (kind == 2 ? 200 : 40), ' ');
        for (char& c : s) {
            // Long words: a space or hyphen now and then, mostly letters.
            c = kind == 2 && rng() % 8 != 0 ? "aB1"[rng() % 3] : from[rng() % from.size()];
        }
        std::vector<Token> a;
        fast.tokenize(s, a);
        std::vector<Token> b;
        general.tokenize(s + " \xC3\xA9t\xC3\xA9", b);  // " été"
        REQUIRE(!b.empty());
        CHECK(b.back().term == "ete");
        b.pop_back();
        CAPTURE(s);
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            CAPTURE(i);
            REQUIRE(same(a[i], b[i]));
        }
        tokens += a.size();
    }
    CHECK(tokens > 100000);
}

TEST_CASE("analysis: offsets are byte offsets into the text") {
    Analyzer a;
    std::vector<Token> toks;
    std::string text = "“Witkoff” met Умеров.";
    a.tokenize(text, toks);
    REQUIRE(toks.size() == 3);
    CHECK(text.substr(toks[0].begin, toks[0].end - toks[0].begin) == "Witkoff");
    CHECK(text.substr(toks[2].begin, toks[2].end - toks[2].begin) == "Умеров");
    CHECK(toks[0].capitalized);
    CHECK(toks[2].non_latin);
    CHECK(toks[1].position == 2);
}

TEST_CASE("analysis: invalid UTF-8 and overlong words do not crash") {
    CHECK(terms(std::string("ab\xff\xfe cd")).size() >= 1);
    CHECK(terms(std::string(200, 'x')).empty());
    CHECK(terms("").empty());
}

TEST_CASE("sentences: abbreviations do not end a sentence") {
    lede::analysis::SentenceSplitter s;
    std::string text = "Gen. Smith met Dr. Jones in the U.S. capital. Mr. Witkoff left. Talks resumed.";
    auto sents = s.split(text);
    REQUIRE(sents.size() == 3);
    CHECK(text.substr(sents[0].first, sents[0].second - sents[0].first)
          == "Gen. Smith met Dr. Jones in the U.S. capital.");
    CHECK(text.substr(sents[1].first, sents[1].second - sents[1].first) == "Mr. Witkoff left.");
}
