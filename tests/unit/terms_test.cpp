// Every term an indexed passage gets is one that a query for one of its words
// looks up: no term in the index is dead weight, and the indexer and the query
// builder agree on prefixes, stems and variant keys (index/schema.hpp). Run
// over corpus/ and SOTU speeches, through the real DocumentBuilder and the
// real query builder.
#include "analysis/terms.hpp"
#include "analysis/analyzer.hpp"
#include "analysis/sentences.hpp"
#include "index/record.hpp"
#include "index/schema.hpp"
#include "indexer/builder.hpp"
#include "indexer/passages.hpp"
#include "query/build.hpp"
#include "query/parse.hpp"

#include <doctest/doctest.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
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

// The word terms of a document: not the boolean terms of its article, file,
// path and source, nor its title words (looked up by title:).
bool word_term(const std::string& t) {
    using namespace lede::index;
    for (auto p : {prefix::article, prefix::file, prefix::path, prefix::source, prefix::title}) {
        if (t.starts_with(p)) {
            return false;
        }
    }
    return true;
}

struct Probe {
    lede::analysis::Analyzer analyzer;
    lede::analysis::TermMaker terms;
    lede::analysis::SentenceSplitter sentences;
    lede::indexer::DocumentBuilder builder;
    std::set<std::string> looked_up;  // every term the queries for the words seen so far look up

    // The terms a query for @p word (a normalized token, any case) looks up.
    void query_terms(const std::string& word) {
        lede::query::Node ast;
        try {
            ast = lede::query::parse(word);
        } catch (const std::exception&) {
            ast = lede::query::parse("\"" + word + "\"");
        }
        auto built = lede::query::build(ast, analyzer, terms);
        for (auto it = built.query.get_terms_begin(); it != built.query.get_terms_end(); ++it) {
            looked_up.insert(*it);
        }
    }

    // The word terms of passage @p text that no query for one of its words looks up.
    std::vector<std::string> dead_terms(const std::string& text) {
        lede::index::PassageRecord rec;
        rec.path = "/p.txt";
        rec.article = rec.path;
        rec.passage = 1;
        rec.text = text;
        std::vector<std::string> spellings;
        Xapian::Document doc = builder.build(rec, lede::index::article_term(rec.path), spellings);
        std::vector<lede::analysis::Token> toks;
        analyzer.tokenize(text, toks);
        for (const auto& t : toks) {
            query_terms(t.term);
        }
        std::vector<std::string> dead;
        for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
            if (word_term(*it) && looked_up.count(*it) == 0) {
                dead.push_back(*it);
            }
        }
        return dead;
    }
};

}  // namespace

TEST_CASE("terms: every term of an indexed passage is looked up by a query for one of its words") {
    Probe p;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(LEDE_TEST_DATA "/../../corpus")) {
        files.push_back(e.path());
    }
    for (const auto& e : fs::directory_iterator(LEDE_TEST_DATA "/sotu")) {
        files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::size_t passages = 0;
    std::vector<std::string> dead;
    for (const auto& f : files) {
        std::string text = slurp(f);
        for (const auto& span : lede::indexer::segment(text, p.sentences).passages) {
            ++passages;
            for (auto& t : p.dead_terms(text.substr(span.begin, span.end - span.begin))) {
                dead.push_back(f.filename().string() + ": " + t);
            }
        }
    }
    CHECK(passages > 100);
    for (std::size_t i = 0; i < dead.size() && i < 20; ++i) {
        MESSAGE("not looked up: " << dead[i]);
    }
    CHECK(dead.empty());
}
