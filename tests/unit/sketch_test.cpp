// Near-copy sketches (analysis/sketch.hpp) and the copy rule (query/copies.hpp):
// identical texts give one sketch, a reprint's edits keep it near and the
// rule folds them, unrelated passages stay far, and short passages fold only
// with the same words.
#include "analysis/sketch.hpp"
#include "query/copies.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

using namespace lede;
using analysis::Sketch;

namespace {

struct Passage {
    std::string text;
    std::vector<analysis::Token> toks;
    Sketch sketch;
};

Passage passage(const std::string& text) {
    static analysis::Analyzer an;
    Passage p;
    p.text = text;
    an.tokenize(text, p.toks);
    p.sketch = analysis::sketch(p.toks);
    return p;
}

bool copies(const std::string& a, const std::string& b) {
    Passage pa = passage(a);
    Passage pb = passage(b);
    return query::are_copies(pa.text, pa.toks, pa.sketch, pb.text, pb.toks, pb.sketch);
}

const std::string lede_para =
    "Ukraine and Russia agreed on Wednesday to let a team of neutral observers monitor shipping lanes in the "
    "Black Sea, the first joint step on maritime security since the talks began last year. The mission, to be led "
    "by Turkish naval officers, will inspect grain ships leaving Odesa. \"This is a small step, but it is a step "
    "that keeps ships moving,\" the Turkish foreign minister told reporters.";

// The paragraphs of the seed articles (one per line), by article.
std::vector<std::vector<std::string>> corpus_paragraphs() {
    std::vector<std::vector<std::string>> out;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(std::string(LEDE_TEST_DATA) + "/../../corpus")) {
        files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        std::ifstream in(f);
        out.emplace_back();
        for (std::string line; std::getline(in, line);) {
            if (std::count(line.begin(), line.end(), ' ') >= 15) {
                out.back().push_back(line);
            }
        }
    }
    return out;
}

std::vector<std::string> sentences(const std::string& p) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i + 1 < p.size(); ++i) {
        if ((p[i] == '.' || p[i] == '?' || p[i] == '!') && p[i + 1] == ' ' && i + 2 < p.size()
            && std::isupper(static_cast<unsigned char>(p[i + 2])) != 0) {
            out.push_back(p.substr(start, i + 1 - start));
            start = i + 2;
        }
    }
    out.push_back(p.substr(start));
    return out;
}

std::string join(const std::vector<std::string>& ss, std::size_t skip) {
    std::string out;
    for (std::size_t i = 0; i < ss.size(); ++i) {
        if (i != skip) {
            out += (out.empty() ? "" : " ") + ss[i];
        }
    }
    return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
        s.replace(p, from.size(), to);
    }
    return s;
}

}  // namespace

TEST_CASE("sketch: identical texts and quote styles give one sketch") {
    Passage a = passage(lede_para);
    Passage b = passage(lede_para);
    CHECK(a.sketch == b.sketch);
    CHECK_FALSE(a.sketch.exact());
    Passage c = passage(replace_all(replace_all(lede_para, "\"This", "“This"), "moving,\"", "moving,”"));
    CHECK(analysis::distance(a.sketch, c.sketch) == 0);
    CHECK(copies(lede_para, c.text));
}

TEST_CASE("sketch: one edit keeps the sketch near and folds") {
    for (const std::string& edited :
         {"ISTANBUL, Feb 4 (Reuters) - " + lede_para, "ISTANBUL (AP) — " + lede_para,
          replace_all(lede_para,
                      " The mission, to be led by Turkish naval officers, will inspect grain ships leaving "
                      "Odesa.",
                      ""),
          replace_all(lede_para, "Wednesday", "Tuesday")}) {
        CAPTURE(edited);
        Passage a = passage(lede_para);
        Passage b = passage(edited);
        CHECK(analysis::distance(a.sketch, b.sketch) <= query::CopyRule{}.max_distance);
        CHECK(copies(lede_para, edited));
    }
}

TEST_CASE("sketch: unrelated passages are far, a shared quote is no copy") {
    const std::string other =
        "Freight rates for Black Sea grain have tripled since the autumn, when drone strikes on port facilities in "
        "Odesa and Novorossiysk forced several shipping lines to suspend calls to Ukrainian ports.";
    CHECK(analysis::distance(passage(lede_para).sketch, passage(other).sketch) > 12);
    CHECK_FALSE(copies(lede_para, other));
    // The same quote, said about something else.
    const std::string quoting =
        "Shipowners in Piraeus were unimpressed. \"This is a small step, but it is a step that keeps ships "
        "moving,\" the minister said, yet none of the five owners we spoke to plans to send a vessel to Odesa.";
    CHECK_FALSE(copies(lede_para, quoting));
    // The quote alone is not the passage either.
    CHECK_FALSE(copies(lede_para, "\"This is a small step, but it is a step that keeps ships moving,\" he said."));
}

TEST_CASE("sketch: short passages fold only with the same words") {
    Passage a = passage("(Reporting by Ece Toksabay; Editing by Peter Graff)");
    Passage b = passage("(Reporting by Suzan Fraser; Editing by Jon Gambrell)");
    Passage c = passage("(Reporting by Ece Toksabay, Editing by Peter Graff)");
    CHECK(a.sketch.exact());
    CHECK(a.sketch.shingles < analysis::min_shingles);
    CHECK_FALSE(copies(a.text, b.text));
    CHECK(copies(a.text, c.text));  // punctuation is not a word
    CHECK_FALSE(copies("Peace talks", "Peace talks resume"));
    CHECK_FALSE(copies("Russia-Ukraine war", "Russia-Ukraine talks"));
    // A short passage is never a copy of a long one that contains it.
    CHECK_FALSE(copies("Ukraine and Russia agreed on Wednesday", lede_para));
    // Nothing but punctuation: no words, no copies of prose.
    CHECK(passage("—").sketch.exact());
    CHECK_FALSE(copies("—", lede_para));
}

TEST_CASE("sketch: stored form round-trips, other values are no sketch") {
    Sketch s = passage(lede_para).sketch;
    std::string v = analysis::encode(s);
    CHECK(v.size() == 9);
    REQUIRE(analysis::decode_sketch(v).has_value());
    CHECK(*analysis::decode_sketch(v) == s);
    CHECK_FALSE(analysis::decode_sketch("").has_value());
    CHECK_FALSE(analysis::decode_sketch("12345678").has_value());
    // Capped shingle counts stay capped.
    Sketch big{0x0123456789abcdefULL, 1000};
    CHECK(analysis::decode_sketch(analysis::encode(big))->shingles == 255);
    CHECK(analysis::decode_sketch(analysis::encode(big))->bits == 0x0123456789abcdefULL);
}

TEST_CASE("sketch: the hash is stable (indexes store it)") {
    // Sketches written by one build are compared by the next: the hash of a
    // text must not change without a format bump.
    CHECK(passage(lede_para).sketch.bits == 970076304045728064ULL);
    CHECK(passage("(Reporting by Ece Toksabay)").sketch.bits == 13977690230319879247ULL);
}

TEST_CASE("sketch: generated reprints of the seed articles fold, other paragraphs do not") {
    auto arts = corpus_paragraphs();
    REQUIRE(arts.size() == 5);
    std::size_t positives = 0;
    std::size_t folded = 0;
    for (const auto& paras : arts) {
        for (const std::string& p : paras) {
            CAPTURE(p);
            CHECK(copies(p, "KYIV, Feb 4 (Reuters) - " + p));                     // dateline
            CHECK(copies(p, replace_all(replace_all(p, "“", "\""), "”", "\"")));  // quote style
            CHECK(copies(p, replace_all(p, "Financial Times", "FT")));            // outlet name
            auto ss = sentences(p);
            if (ss.size() >= 3) {
                ++positives;
                folded += copies(p, join(ss, ss.size() / 2)) ? 1 : 0;  // a sentence dropped
            }
        }
    }
    REQUIRE(positives >= 8);
    CHECK(folded >= positives * 8 / 10);
    // No paragraph is a copy of a paragraph of another article (they tell one story).
    for (std::size_t i = 0; i < arts.size(); ++i) {
        for (std::size_t j = i + 1; j < arts.size(); ++j) {
            for (const auto& a : arts[i]) {
                for (const auto& b : arts[j]) {
                    CAPTURE(a);
                    CAPTURE(b);
                    CHECK_FALSE(copies(a, b));
                }
            }
        }
    }
}

TEST_CASE("copies: a candidate folds into the best-ranked kept passage it copies, never its own article's") {
    analysis::Analyzer an;
    query::CopyIndex kept(an);
    Passage a = passage(lede_para);
    Passage other = passage(
        "Freight rates for Black Sea grain have tripled since the autumn, when drone strikes on "
        "port facilities forced several shipping lines to suspend calls.");
    CHECK(kept.add(other.sketch, other.text, "art-other") == 0);
    CHECK(kept.add(a.sketch, a.text, "art-a") == 1);
    CHECK(kept.add(a.sketch, a.text, "art-b") == 2);
    Passage reprint = passage("ISTANBUL (AP) — " + lede_para);
    CHECK(kept.original_of(reprint.sketch, reprint.text, "art-c") == std::optional<std::size_t>(1));
    CHECK(kept.original_of(reprint.sketch, reprint.text, "art-a") == std::optional<std::size_t>(2));
    CHECK_FALSE(kept.original_of(std::nullopt, reprint.text, "art-c").has_value());  // an older index
    Passage unrelated = passage("The president spoke about taxes and the budget for the coming year in Congress.");
    CHECK_FALSE(kept.original_of(unrelated.sketch, unrelated.text, "art-c").has_value());
}

TEST_CASE("copies: the same text folds into the best-ranked kept passage it copies, as a near copy does") {
    analysis::Analyzer an;
    query::CopyIndex kept(an);
    Passage a = passage(lede_para);
    Passage reprint = passage("ISTANBUL (AP) — " + lede_para);
    CHECK(kept.add(a.sketch, a.text, "art-a") == 0);
    CHECK(kept.add(reprint.sketch, reprint.text, "art-r") == 1);
    // The reprint's own text again: the best-ranked copy is the first kept, not its twin.
    CHECK(kept.original_of(reprint.sketch, reprint.text, "art-x") == std::optional<std::size_t>(0));
    // Its own article's passage is never its original; the other one is.
    CHECK(kept.original_of(a.sketch, a.text, "art-a") == std::optional<std::size_t>(1));
    // Without a sketch (an older index), not even the same text folds.
    CHECK_FALSE(kept.original_of(std::nullopt, a.text, "art-x").has_value());
    query::CopyIndex short_kept(an);
    Passage credit = passage("Reporting by Jane Doe; editing by John Roe");
    CHECK(short_kept.add(credit.sketch, credit.text, "art-1") == 0);
    CHECK(short_kept.original_of(credit.sketch, credit.text, "art-2") == std::optional<std::size_t>(0));
}
