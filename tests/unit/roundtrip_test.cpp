// The round-trip property of the analysis pipeline (issue 3): for every
// distinct word of corpus/ and of a sample of the SOTU speeches, searching
// that word (as written) returns a passage whose highlights cover an
// occurrence of it. What is indexed is what a query can find.
#include <lede/lede.hpp>

#include "analysis/analyzer.hpp"
#include "indexer/passages.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Words the query language reads as syntax are searched as a quoted phrase.
std::string as_query(const std::string& w) {
    bool syntax = w == "AND" || w == "OR" || w == "NOT" || w.starts_with("NEAR") || w.starts_with("ADJ")
                  || w.find(':') != std::string::npos || w.front() == '+' || w.front() == '-' || w.front() == '='
                  || w.back() == '*';
    return syntax ? "\"" + w + "\"" : w;
}

struct Failure {
    std::string word;
    std::string why;
};

std::vector<Failure> round_trip(const std::vector<fs::path>& files, std::size_t sample, std::size_t& checked) {
    std::string tmpl = (fs::temp_directory_path() / "lede-roundtrip-XXXXXX").string();
    std::string dir = mkdtemp(tmpl.data());
    std::string db = dir + "/idx";
    std::vector<std::string> paths;
    for (const auto& f : files) {
        paths.push_back(f.string());
    }
    {
        lede::Indexer w(db);
        lede::IndexReport rep = w.index_paths(paths);
        REQUIRE(rep.failed == 0);
    }
    // Distinct surface words (as written) of the indexed passages (wire
    // codes and tickers are not passages: lede skips them on purpose).
    lede::analysis::Analyzer an;
    lede::analysis::SentenceSplitter sentences;
    std::map<std::string, std::string> words;  // normalized term -> one surface form
    for (const auto& f : files) {
        std::string text = slurp(f);
        for (const auto& p : lede::indexer::segment(text, sentences).passages) {
            std::string_view passage(text.data() + p.begin, p.end - p.begin);
            std::vector<lede::analysis::Token> toks;
            an.tokenize(passage, toks);
            for (const auto& t : toks) {
                if (!t.compound) {
                    words.emplace(t.term, passage.substr(t.begin, t.end - t.begin));
                }
            }
        }
    }
    std::vector<std::pair<std::string, std::string>> pick(words.begin(), words.end());
    if (sample > 0 && pick.size() > sample) {
        std::vector<std::pair<std::string, std::string>> s;
        for (std::size_t i = 0; i < sample; ++i) {
            s.push_back(pick[i * pick.size() / sample]);
        }
        pick = std::move(s);
    }
    lede::Searcher searcher(db);
    lede::SearchOptions opt;
    opt.limit = 10;
    opt.correct_spelling = false;
    std::vector<Failure> failures;
    for (const auto& [term, surface] : pick) {
        ++checked;
        lede::SearchResults res;
        try {
            res = searcher.search(as_query(surface), opt);
        } catch (const lede::Error& e) {
            failures.push_back({surface, e.what()});
            continue;
        }
        bool covered = false;
        for (const auto& h : res.hits) {
            for (const auto& s : h.highlights) {
                std::vector<lede::analysis::Token> toks;
                an.tokenize(std::string_view(h.text).substr(s.begin, s.end - s.begin), toks);
                for (const auto& t : toks) {
                    covered = covered || t.term == term;
                }
            }
        }
        if (!covered) {
            failures.push_back({surface, res.hits.empty() ? "no results" : "no highlight covers it"});
        }
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    return failures;
}

}  // namespace

TEST_CASE("roundtrip: every word of corpus/ finds itself, highlighted") {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(std::string(LEDE_TEST_DATA) + "/../../corpus")) {
        files.push_back(e.path());
    }
    std::size_t checked = 0;
    auto failures = round_trip(files, 0, checked);
    CHECK(checked > 900);
    for (const auto& f : failures) {
        INFO(f.word << ": " << f.why);
        CHECK(false);
    }
}

TEST_CASE("roundtrip: a sample of 3000 SOTU words finds itself, highlighted") {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(std::string(LEDE_TEST_DATA) + "/sotu")) {
        files.push_back(e.path());
    }
    std::size_t checked = 0;
    auto failures = round_trip(files, 3000, checked);
    CHECK(checked == 3000);
    for (const auto& f : failures) {
        INFO(f.word << ": " << f.why);
        CHECK(false);
    }
}
