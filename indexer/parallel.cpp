#include "indexer/parallel.hpp"

#include "index/database.hpp"
#include "index/schema.hpp"
#include "index/segments.hpp"
#include "indexer/rebuild.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <iterator>
#include <mutex>
#include <numeric>
#include <thread>

namespace lede::indexer {
namespace {

namespace fs = std::filesystem;

// The files of each writer, and the bytes each got.
struct Partition {
    std::vector<std::vector<Job>> parts;
    std::vector<std::uint64_t> load;
};

// Files to writers by size, largest first to the least loaded: the writers
// finish together. Each part is then in walk order (docids, progress).
Partition partition(std::vector<Job>& jobs, unsigned writers, InputFormat format) {
    std::vector<std::size_t> order(jobs.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return jobs[a].file.size > jobs[b].file.size; });
    Partition p{std::vector<std::vector<Job>>(writers), std::vector<std::uint64_t>(writers, 0)};
    for (std::size_t i : order) {
        auto k = static_cast<std::size_t>(std::min_element(p.load.begin(), p.load.end()) - p.load.begin());
        if (format_for(jobs[i].file.path, format) == InputFormat::feed) {
            k = 0;  // feeds in one shard: an item in two snapshots is written once, by the later
        }
        p.load[k] += jobs[i].file.size + 1;
        p.parts[k].push_back(std::move(jobs[i]));
    }
    for (auto& part : p.parts) {
        std::sort(part.begin(), part.end(), [](const Job& a, const Job& b) { return a.file.path < b.file.path; });
    }
    return p;
}

// The progress of all writers as one (each writer reports its own).
class ProgressSum {
public:
    ProgressSum(const IndexOptions& opt, const Partition& p, std::size_t files)
        : opt_(opt), progress_(p.parts.size()), files_(files) {
        for (auto l : p.load) {
            bytes_ += l;
        }
    }
    std::function<void(const IndexProgress&)> of_writer(unsigned k) {
        if (!opt_.progress) {
            return {};
        }
        return [this, k](const IndexProgress& p) {
            std::lock_guard lk(mu_);
            progress_[k] = p;
            IndexProgress sum;
            for (const auto& q : progress_) {
                sum.files_done += q.files_done;
                sum.bytes_done += q.bytes_done;
            }
            sum.files_total = files_;
            sum.bytes_total = bytes_;
            sum.seconds = p.seconds;
            opt_.progress(sum);
        };
    }

private:
    const IndexOptions& opt_;
    std::mutex mu_;
    std::vector<IndexProgress> progress_;
    std::size_t files_;
    std::uint64_t bytes_ = 0;
};

// One thread per writer, each indexing its part into its own shard (one
// analysis thread feeding it, no spelling data). Rethrows the first failure.
void write_shards(Partition& p, const std::vector<std::string>& shards, const IndexOptions& opt, ProgressSum& progress,
                  std::vector<IndexReport>& reports, Clock::time_point t0, std::int64_t time,
                  const std::string& index_id, std::uint64_t segment, bool keep_termlists,
                  std::vector<std::string>& own_hidden) {
    std::vector<std::vector<std::string>> hidden(shards.size());
    std::vector<std::exception_ptr> failures(shards.size());
    std::vector<std::thread> threads;
    for (unsigned k = 0; k < shards.size(); ++k) {
        threads.emplace_back([&, k] {
            try {
                IndexOptions o = opt;
                o.jobs = 1;
                o.progress = progress.of_writer(k);
                // Without term lists unless the index keeps them, or the shard
                // has feeds (an item in two snapshots: the later replaces the
                // earlier, which only a delete_document can drop).
                bool termlists = keep_termlists;
                for (const Job& j : p.parts[k]) {
                    termlists = termlists || format_for(j.file.path, opt.format) == InputFormat::feed;
                }
                BatchWriter shard(shards[k], index_id, segment, termlists);
                shard.spelling = false;
                shard.fixed_time = time;  // the build is one commit: one indexed time
                shard.run_batch(p.parts[k], o, reports[k], t0);
                if (reports[k].interrupted) {
                    shard.cancel();  // the shards are dropped
                } else {
                    shard.commit_batch();
                    shard.db.commit();
                }
                shard.db.close();
                hidden[k] = std::move(shard.own_hidden);
            } catch (...) {
                failures[k] = std::current_exception();
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    for (auto& f : failures) {
        if (f) {
            std::rethrow_exception(f);
        }
    }
    for (auto& h : hidden) {
        own_hidden.insert(own_hidden.end(), h.begin(), h.end());
    }
}

// The writers' reports as one, errors and warnings by path.
void merge_reports(std::vector<IndexReport>& reports, IndexReport& rep) {
    for (auto& r : reports) {
        rep.added += r.added;
        rep.updated += r.updated;
        rep.unchanged += r.unchanged;
        rep.failed += r.failed;
        rep.passages += r.passages;
        rep.non_prose += r.non_prose;
        rep.repaired += r.repaired;
        rep.bytes += r.bytes;
        std::move(r.errors.begin(), r.errors.end(), std::back_inserter(rep.errors));
        std::move(r.warnings.begin(), r.warnings.end(), std::back_inserter(rep.warnings));
    }
    auto by_path = [](const FileError& a, const FileError& b) { return a.path < b.path; };
    std::stable_sort(rep.errors.begin(), rep.errors.end(), by_path);
    std::stable_sort(rep.warnings.begin(), rep.warnings.end(), by_path);
}

// Spelling data once from the terms of all shards (frequency = passages),
// into the first shard; then all shards compacted, without their term
// lists, into @p merged. Returns false, before the compaction, when the run
// is cancelled.
bool spell_and_compact(const std::vector<std::string>& shards, const std::string& merged, const IndexOptions& opt,
                       bool keep_termlists) {
    Xapian::Database all;
    for (const auto& s : shards) {
        all.add_database(Xapian::Database(s));
    }
    // A database written without term lists opens for writing only so.
    const bool first_has = std::filesystem::exists(std::filesystem::path(shards.front()) / "termlist.glass");
    Xapian::WritableDatabase first(shards.front(), Xapian::DB_OPEN | (first_has ? 0 : Xapian::DB_NO_TERMLIST));
    if (!spellings_from_terms(all, first, [&] { return cancelled(opt); })) {
        return false;
    }
    first.commit();
    first.close();
    if (cancelled(opt)) {
        return false;
    }
    all.close();
    Xapian::Database shard_dbs;  // without term lists unless the index keeps them: nor has the segment
    for (const auto& s : shards) {
        if (!keep_termlists) {
            index::segments::drop_termlists(s);
        }
        shard_dbs.add_database(Xapian::Database(s));
    }
    shard_dbs.compact(merged, Xapian::DBCOMPACT_MULTIPASS);  // from here on, the build finishes
    return true;
}

}  // namespace

void parallel_build(BatchWriter& target, std::vector<Job>& jobs, const IndexOptions& opt, IndexReport& rep,
                    Clock::time_point t0, unsigned writers) {
    const fs::path build = fs::path(target.path) / index::build_dir;
    fs::remove_all(build);  // a crashed run's leftovers (we hold the lock)
    fs::create_directories(build);

    const std::size_t files = jobs.size();
    // The segment the build becomes: its passages carry its version terms.
    const std::uint64_t segment = target.index->allocate();
    Partition p = partition(jobs, writers, opt.format);
    std::vector<std::string> shards;
    for (unsigned k = 0; k < writers; ++k) {
        shards.push_back((build / ("shard-" + std::to_string(k + 1))).string());
    }
    ProgressSum progress(opt, p, files);
    // The indexed time of the whole build (it appears at once, with the swap).
    const std::int64_t time = target.next_time();
    std::vector<IndexReport> reports(writers);
    // Cancelled before the compaction, the build is dropped: the index stays
    // new and empty (compacting the shards written so far could take as long
    // as what is left to do).
    auto drop = [&] {
        rep.interrupted = true;
        fs::remove_all(build);
    };
    const std::string merged = (build / "merged").string();
    const bool keep = target.index->keeps_termlists();
    std::vector<std::string> own_hidden;  // of files that failed after some parts, in shards without term lists
    try {
        write_shards(p, shards, opt, progress, reports, t0, time, target.index->id(), segment, keep, own_hidden);
        if (cancelled(opt) || !spell_and_compact(shards, merged, opt, keep)) {
            drop();
            return;
        }
    } catch (...) {
        std::error_code ec;
        fs::remove_all(build, ec);
        throw;
    }
    merge_reports(reports, rep);
    // The shards' metadata (file stamps, times) goes to the index's metadata
    // database; the segment keeps none.
    {
        Xapian::WritableDatabase m(merged, Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST);
        std::vector<std::string> keys;
        for (auto it = m.metadata_keys_begin(); it != m.metadata_keys_end(); ++it) {
            keys.push_back(*it);
        }
        for (const auto& k : keys) {
            if (k.starts_with(index::meta::file_stamp) || k == index::meta::updated) {
                target.index->set_metadata(k, m.get_metadata(k));
            }
            m.set_metadata(k, "");
        }
        m.commit();
        m.close();
    }
    const std::string name = index::segments::segment_name(segment);
    fs::rename(merged, fs::path(target.path) / name);
    target.index->set_metadata(index::meta::indexed, std::to_string(time));
    for (const auto& t : own_hidden) {
        const std::string v = index::segments::version_term(t, target.index->id(), segment);
        target.index->set_metadata(index::segments::deletion_key(v), "1");
    }
    target.index->commit({name});  // the build appears at once
    fs::remove_all(build);
    target.set_last_time(time);
}

}  // namespace lede::indexer
