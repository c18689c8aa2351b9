// The tiered merge policy (indexer/merge.hpp): which segments a run's end
// merges, and what it bounds over a simulated month of daily runs - the
// number of segments, and how often a passage is merged again.
#include "indexer/merge.hpp"

#include <lede/lede.hpp>

#include <doctest/doctest.h>

#include <xapian.h>
#include "tests/unit/tempdir.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <optional>

namespace {

using lede::indexer::MergePolicy;
using lede::indexer::pick_merge;
using lede::indexer::tier_of;

// Apply the policy until it picks nothing, as merge_segments() does; returns
// the passages the merges wrote.
std::uint64_t settle(std::vector<std::uint64_t>& sizes, const MergePolicy& p = {}) {
    std::uint64_t written = 0;
    for (auto pick = pick_merge(sizes, p); pick.size() >= 2; pick = pick_merge(sizes, p)) {
        std::uint64_t merged = 0;
        for (auto it = pick.rbegin(); it != pick.rend(); ++it) {
            merged += sizes[*it];
            sizes.erase(sizes.begin() + static_cast<std::ptrdiff_t>(*it));
        }
        sizes.push_back(merged);  // the merged segment joins the end of the layout
        written += merged;
    }
    return written;
}

}  // namespace

TEST_CASE("merge policy: tiers by passage count, x8 from 1000") {
    CHECK(tier_of(0) == 0);
    CHECK(tier_of(999) == 0);
    CHECK(tier_of(1000) == 1);
    CHECK(tier_of(7999) == 1);
    CHECK(tier_of(8000) == 2);
    CHECK(tier_of(64000) == 3);
    CHECK(tier_of(UINT64_MAX) > 3);  // no overflow
}

TEST_CASE("merge policy: a tier of more than four is merged, the lowest first, over eight, the smallest") {
    CHECK(pick_merge({}).empty());
    CHECK(pick_merge({5, 6, 7, 8}).empty());
    CHECK(pick_merge({5, 6, 7, 8, 9}) == std::vector<std::size_t>{0, 1, 2, 3, 4});
    // Two tiers overflowing: tier 0 first (the cheap one).
    CHECK(pick_merge({2000, 10, 2000, 20, 2000, 30, 2000, 40, 2000, 50}) == std::vector<std::size_t>{1, 3, 5, 7, 9});
    CHECK(pick_merge({2000, 2000, 10, 2000, 2000, 2000}) == std::vector<std::size_t>{0, 1, 3, 4, 5});
    // Nine segments, no tier over four: the two smallest into one.
    CHECK(pick_merge({100000, 9000, 9100, 9200, 1500, 1600, 1700, 10, 20}) == std::vector<std::size_t>{7, 8});
    CHECK(pick_merge({100000, 9000, 9100, 9200, 1500, 1600, 1700, 10}).empty());
}

TEST_CASE("merge policy: a month of daily runs keeps at most eight segments, each passage merged a few times") {
    // A fresh build (one segment) and 30 runs, each one segment of a day's
    // passages: from a few files to a large day, and with --flush commits
    // cutting a day into several.
    for (std::uint64_t day : {40, 400, 1700, 6000, 30000}) {
        for (std::uint64_t per_run : {1, 3}) {
            CAPTURE(day);
            CAPTURE(per_run);
            std::vector<std::uint64_t> sizes = {25000};
            std::uint64_t added = 0;
            std::uint64_t written = 0;
            for (int run = 0; run < 30; ++run) {
                for (std::uint64_t k = 0; k < per_run; ++k) {
                    sizes.push_back(day / per_run);
                    added += day / per_run;
                }
                written += settle(sizes);
                CHECK(sizes.size() <= 8);
            }
            CHECK(std::accumulate(sizes.begin(), sizes.end(), std::uint64_t{0}) == 25000 + added);
            // Merged again about twice per tier passed (3 tiers at most here).
            CHECK(static_cast<double>(written) <= 8.0 * static_cast<double>(added));
        }
    }
}

TEST_CASE("merge policy: a run of many small commits (--flush 10) is merged into one") {
    std::vector<std::uint64_t> sizes = {25000};
    sizes.insert(sizes.end(), 60, 10);
    settle(sizes);
    CHECK(sizes == std::vector<std::uint64_t>{25000, 600});
}

TEST_CASE("merge policy: the decision point for hidden passages is 20 % of the merged passages") {
    using lede::indexer::drop_hidden_in_merge;
    CHECK(!drop_hidden_in_merge(0, 0));
    CHECK(!drop_hidden_in_merge(20, 100));
    CHECK(drop_hidden_in_merge(21, 100));
}

namespace {

namespace fs = std::filesystem;

using lede::test::TempDir;

// Round i of the talks: one article of one passage.
lede::Article talks(int i) {
    lede::Article a;
    a.key = "talks-" + std::to_string(i);
    a.text = "Witkoff met Umerov for round " + std::to_string(i) + " of the talks.";
    return a;
}

}  // namespace

TEST_CASE("merges: Indexer::commit merges, a reader of the old layout reads on, a Searcher follows the stub") {
    namespace seg = lede::index::segments;
    TempDir d;
    const std::string idx = d.path + "/idx";
    std::optional<Xapian::Database> before;
    std::optional<lede::Searcher> searcher;
    {
        lede::Indexer w(idx);
        for (int i = 0; i < 5; ++i) {
            w.add_article(talks(i));
            if (i == 2) {
                w.remove_article("talks-1");  // hidden: kept by the merge, still hidden
            }
            w.commit();
            if (i == 3) {
                CHECK(seg::read_layout(idx).segments.size() == 4);
                before.emplace(idx);  // Xapian opens the stub: four segments
                searcher.emplace(idx);
                CHECK(searcher->search("Umerov").total == 3);
            }
        }
        // The fifth commit merged the five segments into one.
        const seg::Layout l = seg::read_layout(idx);
        REQUIRE(l.segments.size() == 1);
        CHECK(seg::number_of(l.segments[0]) > 5);
        // The parts stay for readers that opened them.
        CHECK(before->get_doccount() == 4);
        std::size_t read = 0;
        for (auto it = before->postlist_begin(""); it != before->postlist_end(""); ++it) {
            read += before->get_document(*it).get_value(lede::index::slot_record).empty() ? 0 : 1;
        }
        CHECK(read == 4);
        // A Searcher reopens on the new stub: every live passage once.
        auto r = searcher->search("Umerov");
        CHECK(r.total == 4);
        CHECK(lede::index_stats(idx).passages == 4);
        CHECK(Xapian::Database(idx).get_doccount() == 5);  // the hidden one kept
    }
    // The next writer removes the parts.
    { lede::Indexer w(idx); }
    std::size_t folders = 0;
    for (const auto& e : fs::directory_iterator(idx)) {
        folders += e.path().filename().string().starts_with("seg-") ? 1 : 0;
    }
    CHECK(folders == 1);
    CHECK(searcher->search("Umerov").total == 4);
}

TEST_CASE(
    "merges: hidden passages over 20 % of the merged ones are dropped by a rebuild, with their deletion records") {
    namespace seg = lede::index::segments;
    TempDir d;
    const std::string idx = d.path + "/idx";
    lede::Indexer w(idx);
    for (int i = 0; i < 5; ++i) {
        w.add_article(talks(i));
        if (i == 3) {
            w.remove_article("talks-0");  // two of five hidden: 40 %
            w.remove_article("talks-2");
        }
        w.commit();
    }
    const seg::Layout l = seg::read_layout(idx);
    REQUIRE(l.segments.size() == 1);
    Xapian::Database db(idx);
    CHECK(db.get_doccount() == 3);          // the hidden ones are gone
    CHECK(seg::deleted_terms(db).empty());  // and so are the records that hid them
    lede::Searcher s(idx);
    auto r = s.search("Umerov");
    CHECK(r.total == 3);
    CHECK(lede::index_stats(idx).passages == 3);
    CHECK(s.search("round").total == 3);
}

TEST_CASE("merges: a segment no merge picks is rebuilt alone when over 20 % of it is hidden, not at 20 %") {
    namespace seg = lede::index::segments;
    TempDir d;
    const std::string idx = d.path + "/idx";
    lede::Indexer w(idx);
    const int n = static_cast<int>(lede::indexer::MergePolicy{}.rebuild_min);  // the smallest rebuilt alone
    for (int i = 0; i < n; ++i) {
        w.add_article(talks(i));
    }
    w.commit();
    const std::string first = seg::read_layout(idx).segments.at(0);
    int removed = 0;
    for (; removed * 5 < n; ++removed) {
        w.remove_article("talks-" + std::to_string(removed));
    }
    w.commit();  // 20 % hidden: kept
    {
        const seg::Layout l = seg::read_layout(idx);
        REQUIRE(l.segments.size() == 1);
        CHECK(l.segments[0] == first);
        Xapian::Database db(idx);
        CHECK(db.get_doccount() == static_cast<unsigned>(n));
        CHECK(seg::deleted_terms(db).size() == static_cast<std::size_t>(removed));
        CHECK(lede::Searcher(idx).search("Umerov").total == static_cast<std::size_t>(n - removed));
    }
    w.remove_article("talks-" + std::to_string(removed++));
    w.commit();  // over 20 %: rebuilt without them
    {
        const seg::Layout l = seg::read_layout(idx);
        REQUIRE(l.segments.size() == 1);
        CHECK(l.segments[0] != first);
        Xapian::Database db(idx);
        CHECK(db.get_doccount() == static_cast<unsigned>(n - removed));
        CHECK(seg::deleted_terms(db).empty());
        lede::Searcher s(idx);
        CHECK(s.search("Umerov").total == static_cast<std::size_t>(n - removed));
        CHECK(s.search("round").total == static_cast<std::size_t>(n - removed));
        CHECK(lede::index_stats(idx).passages == static_cast<std::size_t>(n - removed));
    }
    for (int i = removed; i < n; ++i) {
        w.remove_article("talks-" + std::to_string(i));
    }
    w.commit();  // left under rebuild_min passages, all hidden: kept until a merge
    CHECK(seg::read_layout(idx).segments.size() == 1);
    CHECK(lede::Searcher(idx).search("Umerov").total == 0);
    CHECK(lede::index_stats(idx).passages == 0);
}

TEST_CASE("merges: a segment of which nothing is visible leaves the index without a rebuild") {
    namespace seg = lede::index::segments;
    TempDir d;
    const std::string idx = d.path + "/idx";
    lede::Indexer w(idx);
    const int n = static_cast<int>(lede::indexer::MergePolicy{}.rebuild_min);
    for (int i = 0; i < n; ++i) {
        w.add_article(talks(i));
    }
    w.commit();
    REQUIRE(seg::read_layout(idx).segments.size() == 1);
    for (int i = 0; i < n; ++i) {
        w.remove_article("talks-" + std::to_string(i));
    }
    lede::Article kept;
    kept.key = "kept";
    kept.text = "Umerov stayed for the last round.";
    w.add_article(kept);
    w.commit();
    const seg::Layout l = seg::read_layout(idx);
    REQUIRE(l.segments.size() == 1);  // the new one
    Xapian::Database db(idx);
    CHECK(db.get_doccount() == 1);
    CHECK(seg::deleted_terms(db).empty());
    CHECK(lede::Searcher(idx).search("Umerov").total == 1);
    CHECK(lede::index_stats(idx).articles == 1);
}
