#include "indexer/merge.hpp"

#include "indexer/rebuild.hpp"

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

namespace {

// Whether a segment of @p segments other than those @p picked holds @p term.
bool elsewhere(const fs::path& dir, const std::vector<std::string>& segments, const std::vector<std::size_t>& picked,
               const std::string& term) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (std::find(picked.begin(), picked.end(), i) == picked.end()
            && Xapian::Database((dir / segments[i]).string()).term_exists(term)) {
            return true;
        }
    }
    return false;
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
            for (const std::string& t : seg::deleted_terms(index.committed())) {
                if (from.term_exists(t) && !elsewhere(dir, segments, pick, t)) {
                    index.set_metadata(seg::deletion_key(t), "");
                }
            }
            ++rep.rebuilt;
            rep.dropped += hidden.size();
        } else {
            from.compact(out.string(), Xapian::DBCOMPACT_MULTIPASS);
            rep.hidden += hidden.size();
        }
        sync_folder(out);
        index.commit({name}, parts);
        ++rep.merges;
        rep.merged += parts.size();
    }
    rep.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return rep;
}

}  // namespace lede::indexer
