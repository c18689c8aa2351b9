// An index written with other analysis settings (data/aliases.txt, variant
// rules) still searches, with a warning on stderr that says how to rebuild.
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>
#include <xapian.h>

#include <algorithm>

using namespace e2e;

TEST_CASE("schema: other analysis settings give a warning, not a refusal") {
    TempDir d;
    write_file(d / "a.txt", "Witkoff met Umerov in Miami to talk about security guarantees.\n");
    REQUIRE(lede("index --db " + q(d / "idx") + " " + q(d / "a.txt")).exit == 0);
    Result fresh = lede("search --db " + q(d / "idx") + " Umerov");
    CHECK(fresh.exit == 0);
    CHECK(fresh.err.empty());
    {
        Xapian::WritableDatabase db(meta_db(d / "idx"), Xapian::DB_OPEN);
        db.set_metadata("lede:analysis", "aliases:0;rules:0");
        db.commit();
    }
    Result r = lede("search --db " + q(d / "idx") + " Umerov");
    CHECK(r.exit == 0);
    CHECK(r.out.find("Umerov") != std::string::npos);
    CHECK(r.err.starts_with("lede: warning: index at "));
    CHECK(r.err.find("other analysis settings") != std::string::npos);
    CHECK(r.err.find("run `lede index` again") != std::string::npos);
    CHECK(r.err.find("partial") == std::string::npos);
    nlohmann::json j = search_json(d / "idx", "Umerov");
    CHECK_FALSE(j.contains("partial"));
}

TEST_CASE("schema: an index of an older format is refused with how to rebuild it, a folder lede did not write too") {
    TempDir d;
    {
        Xapian::WritableDatabase db(d / "old", Xapian::DB_CREATE);
        Xapian::Document doc;
        doc.set_data("1:x");
        db.add_document(doc);
        db.set_metadata("lede:format", "lede-7");
        db.commit();
        Xapian::WritableDatabase other(d / "other", Xapian::DB_CREATE);
        other.add_document(doc);
        other.commit();
    }
    Result r = lede("search --db " + q(d / "old") + " Umerov");
    CHECK(r.exit == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("index format lede-7 (this lede reads lede-8)") != std::string::npos);
    CHECK(r.err.find("delete the folder and run `lede index` again") != std::string::npos);
    write_file(d / "a.txt", "Witkoff met Umerov in Miami.\n");
    Result w = lede("index --db " + q(d / "old") + " " + q(d / "a.txt"));
    CHECK(w.exit == 2);
    CHECK(w.err.find("delete the folder and run `lede index` again") != std::string::npos);
    Result o = lede("search --db " + q(d / "other") + " Umerov");
    CHECK(o.exit == 2);
    CHECK(o.err.find("not a lede index") != std::string::npos);
    CHECK(o.err.find("index into a new folder") != std::string::npos);
    CHECK(std::count(o.err.begin(), o.err.end(), '\n') == 1);
}
