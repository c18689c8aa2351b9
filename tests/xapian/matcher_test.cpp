// The Xapian the lede command links (scripts/xapian-static.sh) against a
// matcher bug of Xapian 1.4 that its build fixes: AndMaybePostList::next(),
// where an AND_MAYBE can no longer reach the weight a page needs and turns
// into an AND, skipped to max(lhead, rhead) + 1, and so never weighed the
// right side's current document when a check() had moved it past the left's
// (docs/SCALING.md). Debian's libxapian 1.4.22 fails these cases: the best
// document is missing from the page.
//
// The documents (ids 1..n, each padded with a filler term to 20 words):
// 1..c hold `c`; k of them, evenly spread, also hold `a` ten times (they
// set the page's minimum weight); x = c + 1 holds `a` once; y = c + 2 holds
// `a` and `b` ten times each, the best document; y .. y + b - 1 hold `b`.
// The query OR(a, b, c) becomes AND_MAYBE(OR(a, c), b) once the minimum
// exceeds what `b` can add; at x, `c` has ended and OR(a, c) is pruned to
// `a`, the check of `b` at x lands on y, and the minimum now exceeds what `a`
// alone can reach: the AND_MAYBE turns into an AND at x, y.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <xapian.h>

#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace {

struct Layout {
    int docs;           // per database
    int page;           // get_mset's maxitems (k)
    int check;          // its checkatleast
    int c;              // documents holding `c`
    int b;              // documents holding `b`
    int databases = 1;  // identical copies searched as one
    bool glass = false;
};

// Builds the layout and returns the documents the page misses: those
// weighing more than the page's lowest weight that it does not hold (ties
// at the lowest weight may legitimately differ).
std::vector<Xapian::docid> missed(const Layout& l, const std::filesystem::path& dir) {
    const int step = l.c / l.page;
    const int x = l.c + 1;
    const int y = l.c + 2;
    REQUIRE(step >= 1);
    REQUIRE(y + l.b - 1 <= l.docs);
    std::vector<Xapian::WritableDatabase> parts;
    Xapian::Database db;
    for (int j = 0; j < l.databases; ++j) {
        if (l.glass) {
            parts.emplace_back((dir / ("db" + std::to_string(j))).string(),
                               Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
        } else {
            parts.emplace_back(std::string(), Xapian::DB_BACKEND_INMEMORY);
        }
    }
    for (int i = 1; i <= l.docs; ++i) {
        Xapian::Document d;
        int len = 0;
        auto add = [&](const char* term, int wdf) {
            d.add_term(term, static_cast<Xapian::termcount>(wdf));
            len += wdf;
        };
        if (i <= l.c) {
            add("c", 1);
        }
        if ((i <= l.c && i % step == 0 && i / step <= l.page) || i == y) {
            add("a", 10);
        }
        if (i == x) {
            add("a", 1);
        }
        if (i >= y && i < y + l.b) {
            add("b", i == y ? 10 : 1);
        }
        add("z", 20 - len);
        for (auto& p : parts) {
            p.add_document(d);
        }
    }
    for (auto& p : parts) {
        p.commit();
        db.add_database(p);
    }
    const std::vector<std::string> terms{"a", "b", "c"};
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
    enquire.set_weighting_scheme(Xapian::BM25Weight(1.0, 0, 1.0, 0.5, 0.5));  // lede's first stage
    const Xapian::MSet all = enquire.get_mset(0, db.get_doccount());
    const Xapian::MSet page =
        enquire.get_mset(0, static_cast<Xapian::doccount>(l.page), static_cast<Xapian::doccount>(l.check));
    REQUIRE(page.size() == static_cast<Xapian::doccount>(l.page));
    const double lowest = page[page.size() - 1].get_weight();
    std::set<Xapian::docid> held(page.begin(), page.end());
    std::vector<Xapian::docid> out;
    for (auto it = all.begin(); it != all.end(); ++it) {
        if (it.get_weight() > lowest + 1e-9 && held.count(*it) == 0) {
            out.push_back(*it);
        }
    }
    return out;
}

std::filesystem::path scratch() {
    auto dir = std::filesystem::temp_directory_path() / ("lede-matcher-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("xapian: the page holds the best document where an AND_MAYBE turns into an AND") {
    const auto dir = scratch();
    // lede's page (48 with check_at_least 100), ten documents, two databases, glass.
    for (const Layout& l : {Layout{2000, 48, 100, 150, 200}, Layout{10, 2, 0, 4, 5}, Layout{10, 2, 0, 4, 5, 2},
                            Layout{2000, 48, 100, 150, 200, 2, true}}) {
        CAPTURE(l.docs);
        CAPTURE(l.page);
        CAPTURE(l.databases);
        CAPTURE(l.glass);
        CHECK(missed(l, dir).size() == 0);
    }
    std::filesystem::remove_all(dir);
}
