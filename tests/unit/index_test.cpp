// The index schema (index/schema.hpp) and the checks on opening an index
// (index/database.hpp): the analysis fingerprint recorded at write time and
// the warning a search gives when it differs.
#include "analysis/variants.hpp"
#include "index/database.hpp"
#include "index/schema.hpp"
#include "index/segments.hpp"

#include <lede/lede.hpp>

#include <doctest/doctest.h>
#include <xapian.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace {

struct TempIndex {
    std::string path;
    TempIndex() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "lede-index-XXXXXX").string();
        path = mkdtemp(tmpl.data());
        path += "/idx";
    }
    ~TempIndex() {
        std::error_code ec;
        std::filesystem::remove_all(std::filesystem::path(path).parent_path(), ec);
    }
    TempIndex(const TempIndex&) = delete;
    TempIndex& operator=(const TempIndex&) = delete;
};

void write_one_article(const std::string& path) {
    lede::Indexer ix(path);
    lede::Article a;
    a.key = "a1";
    a.text = "Witkoff met Umerov in Miami to talk about security guarantees.";
    ix.add_article(a);
    ix.commit();
}

}  // namespace

TEST_CASE("index: the analysis fingerprint names the alias table and the rule version") {
    std::string fp = lede::analysis::fingerprint();
    CHECK(fp.starts_with("aliases:"));
    CHECK(fp.ends_with(";rules:" + std::to_string(lede::analysis::variant_rules_version)));
    CHECK(fp == lede::analysis::fingerprint());
}

TEST_CASE("index: a new index records the analysis fingerprint, a search on it does not warn") {
    TempIndex t;
    write_one_article(t.path);
    CHECK(Xapian::Database(t.path).get_metadata(lede::index::meta::analysis) == lede::analysis::fingerprint());
    lede::Searcher s(t.path);
    CHECK(s.warnings().empty());
    CHECK(s.search("Umerov").hits.size() == 1);
}

TEST_CASE("index: other analysis settings warn, say how to rebuild, and still search") {
    TempIndex t;
    write_one_article(t.path);
    {
        // The metadata database the commit point names (index/segments.hpp).
        Xapian::WritableDatabase db(t.path + "/" + lede::index::segments::read_layout(t.path).meta, Xapian::DB_OPEN);
        db.set_metadata(lede::index::meta::analysis, "aliases:0;rules:0");
        db.commit();
    }
    lede::Searcher s(t.path);
    REQUIRE(s.warnings().size() == 1);
    const std::string& w = s.warnings().front();
    CHECK(w.find(t.path) != std::string::npos);
    CHECK(w.find("other analysis settings") != std::string::npos);
    CHECK(w.find("run `lede index` again") != std::string::npos);
    lede::SearchResults r = s.search("Umerov");
    CHECK(r.hits.size() == 1);
    CHECK(r.warnings.empty());  // not a partial result
    // An update keeps the recorded fingerprint: its old passages still have the old terms.
    write_one_article(t.path);
    CHECK(lede::Searcher(t.path).warnings().size() == 1);
}

TEST_CASE("index: an index that records no fingerprint opens without a warning") {
    TempIndex t;
    write_one_article(t.path);
    {
        // The metadata database the commit point names (index/segments.hpp).
        Xapian::WritableDatabase db(t.path + "/" + lede::index::segments::read_layout(t.path).meta, Xapian::DB_OPEN);
        db.set_metadata(lede::index::meta::analysis, "");
        db.commit();
    }
    CHECK(lede::Searcher(t.path).warnings().empty());
}

TEST_CASE("index: terms are built from the one prefix table") {
    using namespace lede::index;
    CHECK(stem_term("talk") == "Ztalk");
    CHECK(variant_term("umirov") == "Vumirov");
    CHECK(title_term("peace") == "Tpeace");
    CHECK(source_term("Reuters News") == "XSreuters news");
    CHECK(source_term(std::string(300, 'x')).size() < max_xapian_term);
    CHECK(article_term("/a/b.txt") == article_term_of_ref(article_ref("/a/b.txt")));
    // A later passage's order key, from its stored reference, is the indexer's.
    CHECK(order_key_of_ref(article_ref("/a/b.txt"), 7) == order_key("/a/b.txt", 7));
    CHECK(order_key("/a/b.txt", 7).substr(0, 8) == order_key("/a/b.txt", 300).substr(0, 8));
    CHECK(order_key("/a/b.txt", 7) < order_key("/a/b.txt", 300));
    CHECK(order_key_of_ref("", 7).empty());
    CHECK(order_key_of_ref("xyz", 7).empty());
    CHECK(article_term("/a/b.txt").starts_with(prefix::article));
    CHECK(file_term("/a/b.txt").starts_with(prefix::file));
    CHECK(file_term_of_path_term(path_term("/a/b.txt")) == file_term("/a/b.txt"));
    CHECK(path_term("/a/b.txt").starts_with(path_term_prefix("/a/")));
    CHECK(path_term(std::string(max_path_key, 'p')).empty());
    CHECK(stamp_path(stamp_key("/a/b.txt")) == "/a/b.txt");
    CHECK(stamp_key(std::string(400, 'p')).size() <= max_path_key);
    for (auto p :
         {prefix::stem, prefix::variant, prefix::title, prefix::article, prefix::file, prefix::path, prefix::source}) {
        CHECK(is_prefixed(p));
    }
    CHECK_FALSE(is_prefixed("talks"));
    CHECK_FALSE(is_prefixed(no_match_term));
}

TEST_CASE("index: the path \"-\" reads IndexOptions::stdin_input, and fails clearly without it") {
    TempIndex t;
    lede::Indexer ix(t.path);
    lede::IndexReport none = ix.index_paths({"-"}, {});
    REQUIRE(none.errors.size() == 1);
    CHECK(none.errors.front().path == "-");
    CHECK(none.errors.front().reason.find("standard input") != std::string::npos);
    std::istringstream in("Witkoff met Umerov in Miami.\n");
    lede::IndexOptions opt;
    opt.stdin_input = &in;
    lede::IndexReport rep = ix.index_paths({"-"}, opt);
    CHECK(rep.errors.empty());
    CHECK(rep.passages == 1);
}
