// A parallel build's shards commit every IndexOptions::flush_passages
// passages, and at most every shard_flush_passages (indexer/parallel.hpp):
// how often they commit changes the work, never the index. Two builds of the
// same files, one committing after every few passages and one only at the
// cap, hold the same terms, postings, wdf, document lengths, records, values
// (but the indexed time) and spelling table.
#include "index/database.hpp"
#include "index/schema.hpp"
#include "indexer/parallel.hpp"

#include <lede/lede.hpp>

#include <doctest/doctest.h>

#include <xapian.h>
#include "tests/unit/tempdir.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;

// Everything a search reads of an index, with the run's index id (in the
// version terms) cut out: two builds have different ids.
std::string dump(const std::string& idx) {
    Xapian::Database db = lede::index::open_for_reading(idx);
    std::string out;
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
        std::string term = *t;
        if (auto at = term.find('@'); at != std::string::npos) {
            term.resize(at);
        }
        out += term + " " + std::to_string(t.get_termfreq()) + ":";
        for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p) {
            out += " " + std::to_string(*p) + "/" + std::to_string(p.get_wdf());
        }
        out += "\n";
    }
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
        out += std::to_string(*p) + " " + std::to_string(db.get_doclength(*p)) + " " + db.get_document(*p).get_data()
               + "\n";
    }
    for (Xapian::valueno slot = 0; slot < 16; ++slot) {
        if (slot == lede::index::slot_indexed) {
            continue;
        }
        for (auto v = db.valuestream_begin(slot); v != db.valuestream_end(slot); ++v) {
            out += std::to_string(slot) + " " + std::to_string(v.get_docid()) + "=" + *v + "\n";
        }
    }
    for (auto s = db.spellings_begin(); s != db.spellings_end(); ++s) {
        out += *s + " " + std::to_string(s.get_termfreq()) + "\n";
    }
    return out + std::to_string(db.get_doccount()) + " " + std::to_string(db.get_total_length());
}

}  // namespace

TEST_CASE("shards: how often a parallel build's shards commit does not change the index") {
    lede::test::TempDir d;
    const std::string src = d.path + "/src";
    fs::create_directories(src);
    // More passages than shard_flush_passages per shard: the capped build
    // commits inside the run too.
    const std::size_t files = 24;
    const std::size_t per_file = 2 * lede::indexer::shard_flush_passages / files + 40;
    for (std::size_t f = 0; f < files; ++f) {
        std::ofstream out(src + "/f" + std::to_string(f) + ".txt");
        for (std::size_t i = 0; i < per_file; ++i) {
            out << "Report " << f << "." << i << " on the Harvests of " << (i % 7 == 0 ? "Geneva" : "Miami")
                << ": rainfall rose " << (i * 13 + f) % 97 << " percent while growers waited.\n\n";
        }
    }
    auto build = [&](const std::string& idx, std::size_t flush) {
        lede::IndexOptions opt;
        opt.jobs = 2;
        opt.writers = 2;
        opt.flush_passages = flush;
        lede::Indexer ix(idx);
        const lede::IndexReport rep = ix.index_paths({src}, opt);
        CHECK(rep.writers == 2);
        CHECK(rep.passages == files * per_file);
    };
    build(d.path + "/often", 7);
    build(d.path + "/capped", 1000000);
    const std::string often = dump(d.path + "/often");
    CHECK(often.size() > files * per_file * 50);
    CHECK(often == dump(d.path + "/capped"));
}
