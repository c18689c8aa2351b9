#include "indexer/merge.hpp"

#include <xapian.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <numeric>
#include <string>

namespace lede::indexer {
namespace {

namespace fs = std::filesystem;
namespace seg = index::segments;

// The files of a new segment reach the disk before a stub names it (Xapian
// syncs what it commits; a compaction's output is synced here, whatever
// version of Xapian wrote it).
void sync_folder(const fs::path& dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.is_regular_file(ec)) {
            int fd = ::open(e.path().c_str(), O_RDONLY | O_CLOEXEC);
            if (fd >= 0) {
                ::fsync(fd);
                ::close(fd);
            }
        }
    }
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

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
        // The decision point for hidden passages (drop_hidden_in_merge()):
        // dropping them means rebuilding the merged segment from the stored
        // passages (delete_document needs term lists, which segments are to
        // go without), which then also erases the deletion records it voids.
        // Every merge here is a compaction, which keeps them: their version
        // terms survive it, so their deletion records still hide them.
        if (drop_hidden_in_merge(hidden.size(), from.get_doccount())) {
            ++rep.over_threshold;
        }
        from.compact(out.string(), Xapian::DBCOMPACT_MULTIPASS);
        sync_folder(out);
        index.commit({name}, parts);
        ++rep.merges;
        rep.merged += parts.size();
        rep.hidden += hidden.size();
    }
    rep.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return rep;
}

}  // namespace lede::indexer
