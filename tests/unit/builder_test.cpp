// The document builder keeps what an article's passages share (title terms,
// date and period values) and each word's stem and variant terms between
// passages: a builder that has built other passages, of other articles, gives
// every passage the same document as a builder that has built nothing.
#include "indexer/builder.hpp"
#include "index/record.hpp"
#include "index/schema.hpp"

#include <doctest/doctest.h>
#include <xapian.h>

#include <string>
#include <vector>

namespace {

// Terms with their wdf, values, data: what the writer stores of a document.
std::string content(const Xapian::Document& d) {
    std::string out = d.get_data() + "\n";
    for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
        out += *t + ":" + std::to_string(t.get_wdf()) + " ";
    }
    out += "\n";
    for (auto v = d.values_begin(); v != d.values_end(); ++v) {
        out += std::to_string(v.get_valueno()) + "=" + *v + " ";
    }
    return out;
}

lede::index::PassageRecord passage(const std::string& article, const std::string& title, const std::string& date,
                                   const std::string& source, int n, const std::string& text) {
    lede::index::PassageRecord r;
    r.path = "/corpus/" + article.substr(0, article.find('#'));
    r.article = article;
    r.title = title;
    r.date = date;
    r.source = source;
    r.passage = n;
    r.text = text;
    return r;
}

}  // namespace

TEST_CASE("a builder's caches never change a passage's document") {
    const std::vector<lede::index::PassageRecord> recs = {
        passage("a.jsonl#1", "Kyiv Talks Resume", "2024-03-01", "Reuters", 1,
                "Talks in Kyiv resumed. Running, runners ran; Zelenskyy met Zelenskiy's envoys."),
        passage("a.jsonl#1", "Kyiv Talks Resume", "2024-03-01", "Reuters", 2,
                "Running talks: Kyiv's officials and the envoys' well-known offers, 55,000 troops."),
        passage("a.jsonl#2", "Kyiv Talks Resume", "2024-03-02", "Reuters", 1, "Negotiations Negotiate negotiators."),
        passage("a.jsonl#2", "Talks Stall", "2024-03-02", "Reuters", 2, "Running Running running. Москва и Київ."),
        passage("b.txt", "", "", "", 1, "Plain text, undated: Running runners; Kyiv."),
        passage("b.txt", "", "", "", 2, "Negotiators, and Talks again."),
    };
    lede::indexer::DocumentBuilder reused;
    for (const auto& r : recs) {
        CAPTURE(r.article);
        CAPTURE(r.passage);
        lede::indexer::DocumentBuilder fresh;
        std::vector<std::string> s1;
        std::vector<std::string> s2;
        const std::string term = lede::index::article_term(r.article);
        const std::string a = content(reused.build(r, term, s1));
        CHECK(a == content(fresh.build(r, term, s2)));
        CHECK(s1 == s2);
        const bool has_title_term = a.find(lede::index::title_term("kyiv") + ":") != std::string::npos;
        CHECK(has_title_term == (r.title.find("Kyiv") != std::string::npos));
    }
}
