// The segmented layout (index/segments.hpp) as readers see it: a stub naming
// a metadata database and segments without term lists, deletion records that
// hide an article's old version from searches, from -C neighbours, from the
// completion of a later passage and from the statistics; the stub as the
// commit point of a long-lived Searcher; the write lock; the clean-up.
#include "index/segments.hpp"
#include "index/database.hpp"
#include "index/schema.hpp"
#include "indexer/builder.hpp"
#include "query/build.hpp"
#include "query/parse.hpp"

#include <lede/lede.hpp>

#include <doctest/doctest.h>

#include <xapian.h>
#include "tests/unit/tempdir.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>

namespace {

namespace fs = std::filesystem;
namespace seg = lede::index::segments;

using lede::test::TempDir;

const std::string index_id = "0123456789abcdef0123456789abcdef";

// Segment @p n of the index at @p dir with the passages @p texts of the
// article of file @p file, with their version terms.
// With @p append, into the segment as it is (a second article of one run).
void write_segment(const std::string& dir, std::uint64_t n, const std::string& file,
                   const std::vector<std::string>& texts, bool append = false) {
    Xapian::WritableDatabase db(dir + "/" + seg::segment_name(n),
                                (append ? Xapian::DB_OPEN : Xapian::DB_CREATE) | Xapian::DB_NO_TERMLIST);
    lede::indexer::DocumentBuilder builder;
    const std::string aterm = lede::index::article_term(file);
    const std::string fterm = lede::index::file_term(file);
    int passage = 0;
    for (const auto& t : texts) {
        lede::index::PassageRecord rec;
        rec.passage = ++passage;
        rec.text = t;
        rec.path = file;  // stored on the first passage only: a later one refers to its article
        rec.article = file;
        rec.title = "Talks " + std::to_string(n);  // which version completed a later passage
        std::vector<std::string> spellings;
        Xapian::Document doc = builder.build(rec, aterm, spellings);
        doc.add_value(lede::index::slot_order, lede::index::order_key(file, passage));
        doc.add_boolean_term(fterm);
        doc.add_boolean_term(seg::version_term(fterm, index_id, n));
        doc.add_boolean_term(seg::version_term(aterm, index_id, n));
        if (passage == 1) {
            doc.add_boolean_term(lede::index::path_term(file));
        }
        db.add_document(doc);
    }
    db.commit();
}

void commit(const std::string& dir, std::uint64_t meta, const std::vector<std::uint64_t>& segs,
            const std::map<std::string, std::string>& changes) {
    seg::Layout old;
    std::optional<Xapian::Database> from;
    if (seg::is_segmented(dir)) {
        old = seg::read_layout(dir);
        from.emplace(dir + "/" + old.meta);
    }
    std::map<std::string, std::string> all = changes;
    all.emplace(lede::index::meta::format, seg::format);
    all.emplace(lede::index::meta::id, index_id);
    seg::write_meta(dir, seg::meta_name(meta), from ? &*from : nullptr, all);
    seg::Layout l;
    l.meta = seg::meta_name(meta);
    for (auto n : segs) {
        l.segments.push_back(seg::segment_name(n));
    }
    seg::write_layout(dir, l);
}

std::vector<std::string> texts(const lede::SearchResults& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) {
        out.push_back(h.text);
    }
    return out;
}

}  // namespace

TEST_CASE("segments: names, numbers and version terms") {
    CHECK(seg::segment_name(12) == "seg-000012");
    CHECK(seg::meta_name(7) == "meta-000007");
    CHECK(seg::number_of("seg-000012") == 12);
    CHECK(seg::number_of("seg-1234567") == 1234567);
    CHECK(seg::number_of("seg-x") == 0);
    CHECK(seg::number_of("notes") == 0);
    const std::string t = seg::version_term("S93be", index_id, 26);
    CHECK(t == "XVS93be@012345671a");
    CHECK(t.starts_with(seg::versions_prefix("S93be")));
    CHECK(!t.starts_with(seg::versions_prefix("S93")));
    CHECK(seg::version_term("S93be", "ffffffff", 26) != t);          // another index
    CHECK(seg::version_term("S93be", index_id, 27) != t);            // another segment
    CHECK(seg::version_term("S93be", index_id, 26, 1) == t + ".1");  // written again in the same segment
}

TEST_CASE("segments: a stub names the metadata first, then the segments, what it does not name is removed") {
    TempDir d;
    CHECK(!seg::is_segmented(d.path));
    write_segment(d.path, 2, "/n/a.txt", {"Witkoff met Umerov in Miami."});
    commit(d.path, 3, {2}, {});
    REQUIRE(seg::is_segmented(d.path));
    seg::Layout l = seg::read_layout(d.path);
    CHECK(l.meta == "meta-000003");
    CHECK(l.segments == std::vector<std::string>{"seg-000002"});
    // Xapian itself opens the folder as the stub it is.
    Xapian::Database x(d.path);
    CHECK(x.get_doccount() == 1);
    CHECK(x.get_metadata(lede::index::meta::format) == seg::format);
    CHECK(!fs::exists(d.path + "/seg-000002/termlist.glass"));

    // A run cut short before its commit: a segment and a metadata database no
    // stub names, and a stub's temporary file.
    write_segment(d.path, 4, "/n/b.txt", {"Lost."});
    seg::write_meta(d.path, seg::meta_name(5), nullptr, {});
    std::ofstream(d.path + "/XAPIANDB.tmp") << "glass meta-000005\n";
    fs::create_directories(d.path + "/seg-000006.tmp");  // a rebuild cut short (indexer/rebuild.hpp)
    fs::create_directories(d.path + "/notes");           // not ours
    fs::create_directories(d.path + "/seg-notes.tmp");   // nor this
    seg::remove_unnamed(d.path, seg::read_layout(d.path));
    CHECK(!fs::exists(d.path + "/seg-000004"));
    CHECK(!fs::exists(d.path + "/meta-000005"));
    CHECK(!fs::exists(d.path + "/XAPIANDB.tmp"));
    CHECK(!fs::exists(d.path + "/seg-000006.tmp"));
    CHECK(fs::exists(d.path + "/seg-notes.tmp"));
    CHECK(fs::exists(d.path + "/seg-000002"));
    CHECK(fs::exists(d.path + "/meta-000003"));
    CHECK(fs::exists(d.path + "/notes"));

    std::ofstream(d.path + "/XAPIANDB") << "glass ../elsewhere\n";
    CHECK_THROWS_AS(seg::read_layout(d.path), lede::Error);
}

TEST_CASE("segments: a deletion record hides an old version from every read") {
    TempDir d;
    const std::string a = "/news/a.txt";
    write_segment(d.path, 1, a,
                  {"Witkoff met Umerov in Miami.", "The talks on guarantees went on.", "Umerov flew home on Sunday."});
    write_segment(d.path, 2, "/news/b.txt", {"Zelensky spoke of guarantees in Kyiv."});
    commit(d.path, 3, {1, 2}, {});

    lede::Searcher s(d.path);
    CHECK(s.search("Umerov").hits.size() == 2);
    CHECK(lede::index_stats(d.path).passages == 4);

    // The file a.txt changes: its new version goes to segment 4, its old one
    // is hidden by a deletion record in the commit that names segment 4.
    write_segment(d.path, 4, a, {"Witkoff met Umerov in Geneva.", "The talks on guarantees ended."});
    const std::string fterm = lede::index::file_term(a);
    commit(d.path, 5, {1, 2, 4}, {{seg::deletion_key(seg::version_term(fterm, index_id, 1)), "1"}});

    // The Searcher opened before sees the new commit (a new stub).
    auto r = s.search("Umerov");
    CHECK(texts(r) == std::vector<std::string>{"Witkoff met Umerov in Geneva."});
    r = s.search("guarantees");
    REQUIRE(r.hits.size() == 2);
    for (const auto& h : r.hits) {
        CHECK(h.text.find("went on") == std::string::npos);
        CHECK(h.title == (h.path == a ? "Talks 4" : "Talks 2"));  // completed from the live first passage
    }
    lede::Searcher fresh(d.path);
    auto c = fresh.search("ended");
    REQUIRE(c.hits.size() == 1);
    CHECK(c.hits[0].path == a);
    auto around = fresh.neighbours(c.hits[0], 5, 5);
    REQUIRE(around.size() == 2);
    CHECK(around[0].text == "Witkoff met Umerov in Geneva.");
    CHECK(fresh.search("Sunday").hits.empty());
    CHECK(fresh.search("Sunday").total == 0);

    lede::IndexStats st = lede::index_stats(d.path);
    CHECK(st.passages == 3);
    CHECK(st.articles == 2);

    // Hidden passages still count in Xapian's statistics until a merge.
    CHECK(Xapian::Database(d.path).get_doccount() == 6);

    // The hidden documents found database by database (walking each one's
    // version terms, or asking term by term as over the network) are those
    // the whole finds.
    std::vector<Xapian::Database> singles;
    const Xapian::Database whole = lede::index::open_for_reading(d.path, 5000, nullptr, &singles);
    REQUIRE(singles.size() == whole.size());
    const auto terms = seg::deleted_terms(whole);
    const seg::Deleted by_whole(whole, terms);
    CHECK(by_whole.size() == 3);
    CHECK(seg::Deleted(singles, {}, terms).ids() == by_whole.ids());
    CHECK(seg::Deleted(singles, std::vector<bool>(singles.size(), true), terms).ids() == by_whole.ids());
}

TEST_CASE("segments: one writer at a time") {
    TempDir d;
    std::optional<seg::WriteLock> first;
    first.emplace(d.path);
    try {
        seg::WriteLock second(d.path);
        FAIL("a second lock was taken");
    } catch (const lede::Error& e) {
        CHECK(e.kind() == lede::ErrorKind::index_locked);
        CHECK(std::string(e.what()).find("already locked") != std::string::npos);
    }
    first.reset();
    CHECK_NOTHROW(seg::WriteLock(d.path));
}

TEST_CASE("segments: an index of another format in a segmented folder is refused with a rebuild hint") {
    TempDir d;
    write_segment(d.path, 1, "/n/a.txt", {"Text."});
    seg::write_meta(d.path, seg::meta_name(2), nullptr, {{lede::index::meta::format, "lede-5"}});
    seg::write_layout(d.path, seg::Layout{seg::meta_name(2), {seg::segment_name(1)}});
    try {
        lede::Searcher s(d.path);
        FAIL("opened");
    } catch (const lede::Error& e) {
        CHECK(e.kind() == lede::ErrorKind::index_version);
        CHECK(std::string(e.what()).find("delete the folder and run `lede index` again") != std::string::npos);
    }
}

// A file's one article (its key is its path) carries only the file's version
// term; removing it by key hides it all the same, and an API article keyed by
// a path hides only itself, not the passages of the file at that path.
TEST_CASE("segments: remove_article of a one-article file and of an API article keyed by a file path") {
    TempDir d;
    const std::string src = d.path + "/src";
    fs::create_directories(src);
    const std::string a = src + "/a.txt";
    const std::string j = src + "/b.jsonl";
    std::ofstream(a) << "Witkoff met Umerov in Miami.\n\nThe talks went on.\n";
    std::ofstream(j) << R"({"id": "1", "text": "Umerov in Geneva."})"
                     << "\n";
    const std::string idx = d.path + "/idx";
    {
        lede::Indexer w(idx);
        w.index_paths({src}, {});
        w.add_article({j, "Umerov in Doha.", "", "", "", ""});  // keyed by the JSON Lines file's path
        w.commit();
    }
    {
        Xapian::Database x(idx);
        const std::string vfile = seg::versions_prefix(lede::index::file_term(a));
        const std::string varticle = seg::versions_prefix(lede::index::article_term(a));
        CHECK(x.allterms_begin(vfile) != x.allterms_end(vfile));
        CHECK(x.allterms_begin(varticle) == x.allterms_end(varticle));  // none of its own
    }
    lede::Searcher s(idx);
    CHECK(s.search("Umerov").hits.size() == 3);
    {
        lede::Indexer w(idx);
        CHECK(w.remove_article(j));  // the API article, not the file's passages
        w.commit();
    }
    CHECK(texts(s.search("Umerov")) == std::vector<std::string>{"Umerov in Geneva.", "Witkoff met Umerov in Miami."});
    {
        lede::Indexer w(idx);
        CHECK(w.remove_article(a));
        w.commit();
    }
    CHECK(texts(s.search("Umerov")) == std::vector<std::string>{"Umerov in Geneva."});
    CHECK(s.search("talks").hits.empty());
}

// SearchOptions::count_total off (the CLI's text output) spares the match
// that estimates total: the hits are the same, and total is the ranked
// match's estimate within bounds that hold the true count.
TEST_CASE("segments: a total not counted on its own: the same hits, bounds around the count") {
    TempDir d;
    for (std::uint64_t n = 1; n <= 3; ++n) {
        std::vector<std::string> texts;
        for (int i = 0; i < 150; ++i) {
            texts.push_back("The treaty number " + std::to_string(i)
                            + (i % 7 == 0 ? " was signed in Ghent." : " lapsed."));
        }
        write_segment(d.path, n, "/news/t" + std::to_string(n) + ".txt", texts);
    }
    const std::string fterm = lede::index::file_term("/news/t2.txt");
    commit(d.path, 4, {1, 2, 3}, {{seg::deletion_key(seg::version_term(fterm, index_id, 2)), "1"}});
    lede::Searcher s(d.path);
    for (const char* query : {"treaty", "treaty Ghent", "signed"}) {
        CAPTURE(query);
        lede::SearchOptions exact;
        exact.exact_total = true;
        exact.limit = 20;
        const auto counted = s.search(query, exact);
        REQUIRE(counted.total_exact);
        CHECK(counted.total == (std::string(query) == "signed" ? 2 * 22 : 300));
        lede::SearchOptions opt;
        opt.limit = 20;
        const auto estimated = s.search(query, opt);
        opt.count_total = false;
        const auto ranked = s.search(query, opt);
        REQUIRE(ranked.hits.size() == estimated.hits.size());
        for (std::size_t i = 0; i < ranked.hits.size(); ++i) {
            CHECK(ranked.hits[i].path == counted.hits[i].path);
            CHECK(ranked.hits[i].passage == counted.hits[i].passage);
            CHECK(ranked.hits[i].score == estimated.hits[i].score);
        }
        CHECK(ranked.total_min <= counted.total);
        CHECK(counted.total <= ranked.total_max);
        CHECK(ranked.total_min <= ranked.total);
        CHECK(ranked.total <= ranked.total_max);
        CHECK(ranked.total_exact == (ranked.total_min == ranked.total_max));
    }
}

TEST_CASE("segments: hidden ids are ordered and unique, by bitmap when dense, by sort when sparse") {
    std::mt19937 rng(18);
    for (int round = 0; round < 400; ++round) {
        // Dense runs (articles' passages over 1 to 9 segments) or ids
        // scattered over millions, with repeats; the edges of the range too.
        const bool dense = round % 2 == 0;
        const Xapian::docid span = dense ? 1 + rng() % 5000 : 1 + rng() % 50000000;
        const Xapian::docid base = 1 + rng() % 1000;
        std::vector<Xapian::docid> ids;
        const std::size_t count = round % 50 == 0 ? 1 : 1 + rng() % 3000;
        for (std::size_t i = 0; i < count; ++i) {
            ids.push_back(base + rng() % span);
            if (rng() % 4 == 0) {
                ids.push_back(ids.back());
            }
        }
        std::vector<Xapian::docid> expected = ids;
        std::sort(expected.begin(), expected.end());
        expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
        seg::Deleted::sort_unique(ids);
        REQUIRE(ids == expected);
    }
    std::vector<Xapian::docid> none;
    seg::Deleted::sort_unique(none);
    CHECK(none.empty());
    std::vector<Xapian::docid> edges{4294967295U, 1, 4294967295U, 64, 65, 63, 1};
    seg::Deleted::sort_unique(edges);
    CHECK(edges == std::vector<Xapian::docid>{1, 63, 64, 65, 4294967295U});
}

// Without SearchOptions::exact_total, total is estimated in each segment
// alone (a match over one database stops after 100 matches; over several,
// Xapian 1.4 reads them all), and the estimates and bounds added up. Hidden
// passages, a whole segment of them or some of one, stay out of every
// bound: the true count (exact_total) lies between total_min and total_max.
TEST_CASE("segments: an estimated total: each segment counted alone, bounds around the count, hidden passages out") {
    TempDir d;
    auto treaties = [](int n) {
        std::vector<std::string> texts;
        for (int i = 0; i < n; ++i) {
            texts.push_back("The treaty number " + std::to_string(i)
                            + (i % 7 == 0   ? " was signed in Ghent."
                               : i % 2 == 0 ? " lapsed in Paris."
                                            : " lapsed."));
        }
        return texts;
    };
    write_segment(d.path, 1, "/news/t1.txt", treaties(300));  // replaced by segment 5: all hidden
    write_segment(d.path, 2, "/news/t2.txt", treaties(300));  // deleted: hidden
    write_segment(d.path, 2, "/news/t4.txt", treaties(250), true);
    write_segment(d.path, 3, "/news/t3.txt", treaties(300));
    write_segment(d.path, 5, "/news/t1.txt", treaties(120));
    commit(d.path, 6, {1, 2, 3, 5},
           {{seg::deletion_key(seg::version_term(lede::index::file_term("/news/t1.txt"), index_id, 1)), "1"},
            {seg::deletion_key(seg::version_term(lede::index::file_term("/news/t2.txt"), index_id, 2)), "1"}});
    lede::Searcher s(d.path);
    const std::map<std::string, std::uint64_t> truth = {{"treaty", 120 + 250 + 300},
                                                        {"treaty Ghent", 120 + 250 + 300},  // any word
                                                        {"treaty AND Ghent", 18 + 36 + 43},
                                                        {"lapsed", 102 + 214 + 257},
                                                        {"treaty NOT Ghent", 102 + 214 + 257},
                                                        {"treaty OR signed", 120 + 250 + 300},
                                                        {"lapsed Paris", 102 + 214 + 257},
                                                        {"lapsed AND Paris", 51 + 107 + 128},
                                                        {"nowhere", 0}};
    for (const auto& [query, count] : truth) {
        CAPTURE(query);
        lede::SearchOptions exact;
        exact.exact_total = true;
        const auto counted = s.search(query, exact);
        REQUIRE(counted.total_exact);
        CHECK(counted.total == count);
        CHECK(counted.total_min == count);
        CHECK(counted.total_max == count);
        const auto estimated = s.search(query, lede::SearchOptions{});
        CHECK(estimated.total_min <= count);
        CHECK(count <= estimated.total_max);
        CHECK(estimated.total_min <= estimated.total);
        CHECK(estimated.total <= estimated.total_max);
        CHECK(estimated.total_exact == (estimated.total_min == estimated.total_max));
        if (estimated.total_exact) {
            CHECK(estimated.total == count);
        }
        REQUIRE(estimated.hits.size() == counted.hits.size());
        for (std::size_t i = 0; i < counted.hits.size(); ++i) {
            CHECK(estimated.hits[i].path == counted.hits[i].path);
            CHECK(estimated.hits[i].passage == counted.hits[i].passage);
        }
    }
    // Segments with more than 100 matches were not read to their end: fewer
    // matches seen than there are (a match over the whole index sees them all).
    CHECK(s.search("lapsed AND Paris", lede::SearchOptions{}).total_min < truth.at("lapsed AND Paris"));
    CHECK(s.search("lapsed", lede::SearchOptions{}).total_min < truth.at("lapsed"));
}

// A word with a spelling variant is counted with BuiltQuery::count_query
// (its variant without `AND_NOT forms`): the same passages, and the same
// total and bounds as a count of the ranked query in each segment alone.
TEST_CASE("segments: a word's variant counted without its AND_NOT: the same matches, total and bounds") {
    TempDir d;
    auto talks = [](int n, int from) {
        std::vector<std::string> texts;
        for (int i = from; i < from + n; ++i) {
            texts.push_back(i % 11 == 0  ? "Umyrov spoke of the Government, round " + std::to_string(i) + "."
                            : i % 5 == 0 ? "Rustem Umyrov spoke, round " + std::to_string(i) + "."
                            : i % 3 == 0 ? "Umerov met the governors, round " + std::to_string(i) + "."
                                         : "The government talks with Umerov, round " + std::to_string(i) + ".");
        }
        return texts;
    };
    write_segment(d.path, 1, "/news/a.txt", talks(1500, 0));   // the variant read a count spares
    write_segment(d.path, 2, "/news/b.txt", talks(60, 1500));  // under 100 matches: counted to the end
    write_segment(d.path, 3, "/news/c.txt", talks(250, 1560));
    commit(d.path, 4, {1, 2, 3}, {});
    lede::Searcher s(d.path);
    lede::analysis::Analyzer analyzer;
    lede::analysis::TermMaker terms;
    const std::vector<std::string> segments = {"seg-000001", "seg-000002", "seg-000003"};
    for (const std::string query : {"Umerov", "umerov", "government", "Government", "Umerov -round",
                                    "Umerov NOT governors", "spoke Umerov", "Umerov AND spoke", "round", "400"}) {
        CAPTURE(query);
        const auto built = lede::query::build(lede::query::parse(query), analyzer, terms);
        // What a count of the ranked query gives, segment by segment; and
        // every match, by document, of both queries.
        std::uint64_t lower = 0, estimate = 0, upper = 0, all = 0;
        for (const auto& name : segments) {
            Xapian::Database one(d.path + "/" + name);
            Xapian::Enquire enq(one);
            enq.set_weighting_scheme(Xapian::BoolWeight());
            enq.set_query(built.query);
            const Xapian::MSet m = enq.get_mset(0, 0, 100);
            lower += m.get_matches_lower_bound();
            estimate += m.get_matches_estimated();
            upper += m.get_matches_upper_bound();
            const Xapian::MSet every = enq.get_mset(0, one.get_doccount());
            all += every.size();
            if (!built.count_query.empty()) {
                enq.set_query(built.count_query);
                const Xapian::MSet same = enq.get_mset(0, one.get_doccount());
                REQUIRE(same.size() == every.size());
                for (Xapian::doccount i = 0; i < same.size(); ++i) {
                    CHECK(*same[i] == *every[i]);
                }
            }
        }
        CHECK(built.count_query.empty() == (query == std::string("400")));  // a number has no variant
        CHECK(built.count_query.get_description().find("AND_NOT (Zumerov") == std::string::npos);
        const auto estimated = s.search(query, lede::SearchOptions{});
        CHECK(estimated.total == estimate);
        CHECK(estimated.total_min == lower);
        CHECK(estimated.total_max == upper);
        lede::SearchOptions exact;
        exact.exact_total = true;
        const auto counted = s.search(query, exact);
        CHECK(counted.total_exact);
        CHECK(counted.total == all);
    }
    // The segments of over 100 matches were estimated, not read to the end.
    CHECK(!s.search("Umerov", lede::SearchOptions{}).total_exact);
}

// Feedback (SearchOptions::expand) matches the passages the query matches:
// their count and its bounds are the query's own, from its first match,
// with no counting match of their own when count_total is off.
TEST_CASE("segments: a query with feedback has the total of the query without it") {
    TempDir d;
    for (std::uint64_t n = 1; n <= 3; ++n) {
        std::vector<std::string> texts;
        for (int i = 0; i < 150; ++i) {
            texts.push_back("The treaty number " + std::to_string(i)
                            + (i % 20 == 0 ? " was signed in Ghent by envoys." : " lapsed quietly."));
        }
        write_segment(d.path, n, "/news/t" + std::to_string(n) + ".txt", texts);
    }
    commit(d.path, 4, {1, 2, 3}, {});
    lede::Searcher s(d.path);
    for (const char* query : {"treaty signed", "signed Ghent"}) {
        CAPTURE(query);
        lede::SearchOptions opt;
        opt.limit = 20;
        opt.count_total = false;
        opt.explain = true;
        opt.expand = lede::SearchOptions::Expand::never;
        const auto own = s.search(query, opt);
        opt.expand = lede::SearchOptions::Expand::always;
        const auto fed = s.search(query, opt);
        REQUIRE(fed.explanation.find("\nexpanded: ") != std::string::npos);
        REQUIRE(!own.hits.empty());
        CHECK(fed.total == own.total);
        CHECK(fed.total_min == own.total_min);
        CHECK(fed.total_max == own.total_max);
        CHECK(fed.total_exact == own.total_exact);
    }
}
