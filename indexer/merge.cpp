#include "indexer/merge.hpp"

#include "indexer/rebuild.hpp"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <numeric>
#include <string>

namespace lede::indexer {
namespace fs = std::filesystem;
namespace seg = index::segments;

unsigned tier_of(std::uint64_t passages, const MergePolicy& policy) {
    if (passages < policy.floor) {
        return 0;
    }
    const std::uint64_t factor = std::max<std::uint64_t>(2, policy.factor);
    unsigned tier = 1;
    for (std::uint64_t bound = std::max<std::uint64_t>(1, policy.floor) * factor; passages >= bound; bound *= factor) {
        ++tier;
        if (bound > UINT64_MAX / factor) {
            break;
        }
    }
    return tier;
}

std::vector<std::size_t> pick_merge(const std::vector<std::uint64_t>& sizes, const MergePolicy& policy) {
    std::map<unsigned, std::vector<std::size_t>> tiers;  // lowest first
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        tiers[tier_of(sizes[i], policy)].push_back(i);
    }
    for (const auto& [tier, members] : tiers) {
        if (members.size() > std::max<std::size_t>(1, policy.per_tier)) {
            return members;
        }
    }
    const std::size_t most = std::max<std::size_t>(1, policy.max_segments);
    if (sizes.size() <= most) {
        return {};
    }
    // Merging the k smallest into one leaves k - 1 fewer segments.
    std::vector<std::size_t> order(sizes.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sizes[a] < sizes[b]; });
    order.resize(sizes.size() - most + 1);
    std::sort(order.begin(), order.end());
    return order;
}

namespace {

// Erase the deletion records of @p index that hide passages of @p from (the
// segments @p picked of @p segments, rebuilt without their hidden passages)
// and of no other segment (the others opened once, as one database).
void erase_records(seg::Index& index, const Xapian::Database& from, const fs::path& dir,
                   const std::vector<std::string>& segments, const std::vector<std::size_t>& picked) {
    Xapian::Database others;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (std::find(picked.begin(), picked.end(), i) == picked.end()) {
            others.add_database(Xapian::Database((dir / segments[i]).string()));
        }
    }
    for (const std::string& t : seg::deleted_terms(index.committed())) {
        if (from.term_exists(t) && !others.term_exists(t)) {
            index.set_metadata(seg::deletion_key(t), "");
        }
    }
}

// The hidden passages of each segment of @p index (its committed deletions;
// a database of n has document k of database j as (k - 1) * n + j + 1, the
// metadata database first).
std::vector<std::uint64_t> hidden_per_segment(const seg::Index& index) {
    std::vector<std::uint64_t> per(index.layout().segments.size(), 0);
    const std::size_t n = per.size() + 1;
    for (Xapian::docid id : index.deleted().ids()) {
        const std::size_t j = (id - 1) % n;
        if (j > 0) {
            ++per[j - 1];
        }
    }
    return per;
}

}  // namespace

bool drop_hidden_in_merge(std::uint64_t hidden, std::uint64_t passages) {
    return passages > 0 && hidden * 5 > passages;
}

MergeReport merge_segments(seg::Index& index, const MergePolicy& policy, const std::function<bool()>& stop) {
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    MergeReport rep;
    const fs::path dir(index.dir());
    std::map<std::string, std::uint64_t> sizes_of;  // segments never change: counted once
    for (;;) {
        const std::vector<std::string> segments = index.layout().segments;
        std::vector<std::uint64_t> sizes;
        for (const auto& s : segments) {
            auto it = sizes_of.find(s);
            if (it == sizes_of.end()) {
                it = sizes_of.emplace(s, Xapian::Database((dir / s).string()).get_doccount()).first;
            }
            sizes.push_back(it->second);
        }
        const std::vector<std::size_t> pick = pick_merge(sizes, policy);
        if (pick.size() < 2 || (stop && stop())) {
            break;
        }
        std::vector<std::string> parts;
        Xapian::Database from;
        for (std::size_t i : pick) {
            parts.push_back(segments[i]);
            from.add_database(Xapian::Database((dir / segments[i]).string()));
        }
        const seg::Deleted hidden(from, seg::deleted_terms(index.committed()));
        const std::string name = seg::segment_name(index.allocate());
        const fs::path out = dir / name;
        fs::remove_all(out);  // a leftover no commit names
        // Hidden passages: over drop_hidden_in_merge()'s share, the merged
        // segment is rebuilt from the stored passages without them (segments
        // without term lists cannot delete_document), and the deletion records
        // that hid only them are erased; else a compaction keeps them (their
        // version terms survive it, so their deletion records still hide them).
        if (!hidden.empty() && drop_hidden_in_merge(hidden.size(), from.get_doccount())) {
            rebuild_segment(from, hidden, out.string(), index.keeps_termlists());
            erase_records(index, from, dir, segments, pick);
            ++rep.rebuilt;
            rep.dropped += hidden.size();
        } else {
            from.compact(out.string(), Xapian::DBCOMPACT_MULTIPASS);
            rep.hidden += hidden.size();
        }
        seg::sync_folder(out.string());
        index.commit({name}, parts);
        ++rep.merges;
        rep.merged += parts.size();
    }
    // Then a segment no merge picked but whose hidden passages are over
    // drop_hidden_in_merge()'s share is rebuilt alone without them (a large
    // old segment that the day's updates hide piece by piece would else keep
    // them until a merge reaches its tier).
    for (;;) {
        if (stop && stop()) {
            break;
        }
        const std::vector<std::string> segments = index.layout().segments;
        const std::vector<std::uint64_t> hidden_in = hidden_per_segment(index);
        std::size_t pick = segments.size();
        std::uint64_t passages = 0;
        for (std::size_t i = 0; i < segments.size() && pick == segments.size(); ++i) {
            if (hidden_in[i] > 0) {
                passages = Xapian::Database((dir / segments[i]).string()).get_doccount();
                pick = passages >= policy.rebuild_min && drop_hidden_in_merge(hidden_in[i], passages) ? i : pick;
            }
        }
        if (pick == segments.size()) {
            break;
        }
        const Xapian::Database from((dir / segments[pick]).string());
        const seg::Deleted hidden(from, seg::deleted_terms(index.committed()));
        std::vector<std::string> added;
        if (hidden.size() < from.get_doccount()) {
            const std::string name = seg::segment_name(index.allocate());
            const fs::path out = dir / name;
            fs::remove_all(out);  // a leftover no commit names
            rebuild_segment(from, hidden, out.string(), index.keeps_termlists());
            seg::sync_folder(out.string());
            added.push_back(name);
        }  // else nothing of it is visible: it leaves the index
        erase_records(index, from, dir, segments, {pick});
        index.commit(added, {segments[pick]});
        ++rep.expunged;
        rep.dropped += hidden.size();
    }
    rep.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return rep;
}

}  // namespace lede::indexer
