// Rebuilding a segment from stored passages (indexer/rebuild.hpp): every
// visible passage comes back with the terms, values and data it had; hidden
// ones are gone, and nothing needs the source's term lists.
#include "indexer/rebuild.hpp"
#include "index/database.hpp"
#include "index/record.hpp"
#include "index/schema.hpp"

#include <lede/lede.hpp>

#include <doctest/doctest.h>

#include <xapian.h>
#include "tests/unit/tempdir.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace seg = lede::index::segments;

using lede::test::TempDir;

void write(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << text;
}

using Terms = std::vector<std::pair<std::string, Xapian::termcount>>;

Terms terms_of(const Xapian::Document& d) {
    Terms out;
    for (auto it = d.termlist_begin(); it != d.termlist_end(); ++it) {
        out.emplace_back(*it, it.get_wdf());
    }
    return out;
}

std::map<Xapian::valueno, std::string> values_of(const Xapian::Document& d) {
    std::map<Xapian::valueno, std::string> out;
    for (auto it = d.values_begin(); it != d.values_end(); ++it) {
        out.emplace(it.get_valueno(), *it);
    }
    return out;
}

}  // namespace

TEST_CASE("rebuild: a rebuilt passage has the terms and values and data of the original and hidden ones are gone") {
    TempDir d;
    const std::string src = d.path + "/src";
    write(src + "/a.txt", "Witkoff met Umerov in Miami.\n\nThe talks went on for hours.\n\nNo statement followed.\n");
    write(src + "/2024/05/03/b.txt", "A dated file: the path says when.\n\nIt has two passages.\n");
    write(
        src + "/c.jsonl",
        R"({"id": "c1", "title": "Ceasefire talks", "date": "2025-02-04", "source": "Wire", "url": "https://x/c1", "text": "Negotiators met in Abu Dhabi.\n\nThey will meet again."})"
        "\n"
        R"({"id": "c2", "title": "Markets", "text": "Oil prices rose on Tuesday."})"
        "\n");
    // An article of more passages than a part (indexer/worker.hpp), written
    // across two commits, so its passages are in two segments.
    std::string big;
    for (int i = 0; i < 1200; ++i) {
        big += "Paragraph " + std::to_string(i) + " of the long report on harvests and rainfall.\n\n";
    }
    write(src + "/big.txt", big);
    const std::string idx = d.path + "/idx";
    lede::IndexOptions opt;
    opt.jobs = 1;
    opt.writers = 1;
    opt.flush_passages = 1000;
    opt.remote_ready = true;  // term lists, to compare with
    {
        lede::Indexer ix(idx);
        ix.index_paths({src}, opt);
    }
    // Updates hide old versions: an edited file, an edited JSON Lines file, a gone file.
    write(src + "/a.txt", "Witkoff met Umerov in Geneva.\n\nThe talks went on for hours.\n");
    write(
        src + "/c.jsonl",
        R"({"id": "c1", "title": "Ceasefire talks", "date": "2025-02-04", "source": "Wire", "text": "Negotiators met in Abu Dhabi again."})"
        "\n");
    fs::remove(src + "/2024/05/03/b.txt");
    opt.prune = true;
    {
        lede::Indexer ix(idx);
        ix.index_paths({src}, opt);
    }

    std::vector<Xapian::Database> parts;
    Xapian::Database from = lede::index::open_for_reading(idx, 5000, &parts);
    const seg::Deleted hidden(from, lede::index::hidden_terms(parts));
    REQUIRE(hidden.size() >= 6);
    REQUIRE(from.size() >= 4);  // the metadata database and three segments at least
    {
        // The long article's passages are in two segments (a later passage is
        // completed from a first passage in another database).
        std::set<std::size_t> dbs;
        const std::string aterm = lede::index::article_term(fs::absolute(src).lexically_normal().string() + "/big.txt");
        for (auto it = from.postlist_begin(aterm); it != from.postlist_end(aterm); ++it) {
            dbs.insert((*it - 1) % from.size());
        }
        CHECK(dbs.size() == 2);
    }

    const std::string out = d.path + "/rebuilt";
    lede::indexer::rebuild_segment(from, hidden, out, true);
    Xapian::Database r(out);
    REQUIRE(r.get_doccount() == from.get_doccount() - hidden.size());
    CHECK(r.get_doccount() > 1200);

    // The originals by order key (one per live passage).
    std::map<std::string, Xapian::docid> by_order;
    for (auto it = from.postlist_begin(""); it != from.postlist_end(""); ++it) {
        if (!hidden.contains(*it)) {
            by_order.emplace(from.get_document(*it).get_value(lede::index::slot_order), *it);
        }
    }
    REQUIRE(by_order.size() == r.get_doccount());
    std::size_t compared = 0;
    for (auto it = r.postlist_begin(""); it != r.postlist_end(""); ++it) {
        const Xapian::Document now = r.get_document(*it);
        auto o = by_order.find(now.get_value(lede::index::slot_order));
        REQUIRE(o != by_order.end());
        const Xapian::Document was = from.get_document(o->second);
        CAPTURE(lede::index::load(was)->text.substr(0, 80));
        CHECK(terms_of(now) == terms_of(was));
        CHECK(values_of(now) == values_of(was));
        CHECK(now.get_value(lede::index::slot_record) == was.get_value(lede::index::slot_record));
        CHECK(r.get_doclength(*it) == from.get_doclength(o->second));
        compared += 1;
    }
    CHECK(compared == by_order.size());
    // Hidden passages are gone with their terms, the statistics are those of
    // the live passages, and every live word has its spelling data.
    CHECK(!r.term_exists("miami"));
    CHECK(r.term_exists("geneva"));
    const std::string gone =
        lede::index::path_term(fs::absolute(src).lexically_normal().string() + "/2024/05/03/b.txt");
    CHECK(from.term_exists(gone));
    CHECK(!r.term_exists(gone));
    CHECK(r.get_termfreq("rainfall") == 1200);
    CHECK(r.get_spelling_suggestion("rainfal") == "rainfall");
    CHECK(r.get_spelling_suggestion("genevva") == "geneva");
    CHECK(r.get_spelling_suggestion("miammi").empty());

    // Without term lists (the default): the same documents, read from a
    // source that has none either.
    const std::string bare = d.path + "/bare";
    lede::indexer::rebuild_segment(r, seg::Deleted(), bare);
    CHECK(!fs::exists(bare + "/termlist.glass"));
    Xapian::Database b(bare);
    CHECK(b.get_doccount() == r.get_doccount());
    const std::string again = d.path + "/again";
    lede::indexer::rebuild_segment(b, seg::Deleted(), again, true);
    Xapian::Database a(again);
    REQUIRE(a.get_doccount() == r.get_doccount());
    for (Xapian::docid id = 1; id <= a.get_lastdocid(); id += 97) {
        CHECK(terms_of(a.get_document(id)) == terms_of(r.get_document(id)));
        CHECK(a.get_document(id).get_value(lede::index::slot_record)
              == r.get_document(id).get_value(lede::index::slot_record));
    }
}
