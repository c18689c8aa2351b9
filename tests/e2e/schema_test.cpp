// An index written with other analysis settings (data/aliases.txt, variant
// rules) still searches, with a warning on stderr that says how to rebuild.
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>
#include <xapian.h>

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
