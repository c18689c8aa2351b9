#include "indexer/parallel.hpp"

#include "index/database.hpp"
#include "index/schema.hpp"
#include "index/segments.hpp"
#include "indexer/rebuild.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <functional>
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

// What the shards of a parallel run share.
struct ShardRun {
    std::int64_t time = 0;        // the indexed time of the whole run
    std::string index_id;         // whose version terms the passages carry
    std::uint64_t segment = 0;    // the segment the shards become
    bool keep_termlists = false;  // the index keeps its term lists
    // An update: the index updated (its committed passages of the files
    // written are hidden, looked up and read there, under mu), spelling data
    // collected by the writers (as one writer does), and the files written
    // whole before a Ctrl-C kept. Null: a fresh build.
    index::segments::Index* shared = nullptr;
    std::mutex* mu = nullptr;
};

// One thread per writer, each indexing its part into its own shard (one
// analysis thread feeding it; a fresh build's without spelling data).
// Rethrows the first failure.
void write_shards(Partition& p, const std::vector<std::string>& shards, const IndexOptions& opt, ProgressSum& progress,
                  std::vector<IndexReport>& reports, Clock::time_point t0, const ShardRun& run,
                  std::vector<std::string>& own_hidden) {
    std::vector<std::vector<std::string>> hidden(shards.size());
    std::vector<std::exception_ptr> failures(shards.size());
    std::vector<std::thread> threads;
    for (unsigned k = 0; k < shards.size(); ++k) {
        threads.emplace_back([&, k] {
            try {
                IndexOptions o = opt;
                o.jobs = 1;
                o.flush_passages = std::min(opt.flush_passages, shard_flush_passages);
                o.progress = progress.of_writer(k);
                // Without term lists unless the index keeps them, or the shard
                // has feeds (an item in two snapshots: the later replaces the
                // earlier, which only a delete_document can drop).
                bool termlists = run.keep_termlists;
                for (const Job& j : p.parts[k]) {
                    termlists = termlists || format_for(j.file.path, opt.format) == InputFormat::feed;
                }
                BatchWriter shard(shards[k], run.index_id, run.segment, termlists);
                shard.shared = run.shared;
                shard.shared_mu = run.mu;
                shard.spelling = run.shared != nullptr;
                shard.fixed_time = run.time;  // the run is one commit: one indexed time
                shard.run_batch(p.parts[k], o, reports[k], t0);
                if (reports[k].interrupted && run.shared == nullptr) {
                    shard.cancel();  // a fresh build's shards are dropped
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
        rep.interrupted = rep.interrupted || r.interrupted;
        std::move(r.errors.begin(), r.errors.end(), std::back_inserter(rep.errors));
        std::move(r.warnings.begin(), r.warnings.end(), std::back_inserter(rep.warnings));
    }
    auto by_path = [](const FileError& a, const FileError& b) { return a.path < b.path; };
    std::stable_sort(rep.errors.begin(), rep.errors.end(), by_path);
    std::stable_sort(rep.warnings.begin(), rep.warnings.end(), by_path);
}

// Spelling data once from the terms of all shards (frequency = passages;
// a fresh build's shards collect none), what spellings_from_terms() over all
// of them gives, on every core: the words are cut into one range by first
// letter per shard, each range is read from all shards by a thread and then
// written into its own shard, and the compaction joins them (a word is in one
// range, so its frequency is whole; a fragment's words are united). Returns
// false when the run is cancelled.
bool spell(const std::vector<std::string>& shards, const IndexOptions& opt) {
    const std::size_t n = shards.size();
    std::vector<std::string> bounds(n + 1);  // range k: [bounds[k], bounds[k + 1]), "" = open
    for (std::size_t k = 1; k < n; ++k) {
        bounds[k] = std::string(1, static_cast<char>('a' + 26 * k / n));
    }
    std::vector<std::vector<std::pair<std::string, Xapian::doccount>>> words(n);
    std::vector<std::exception_ptr> errors(n);
    std::vector<char> done(n, 0);
    auto in_threads = [&](const std::function<void(std::size_t)>& work) {
        std::vector<std::thread> threads;
        for (std::size_t k = 0; k < n; ++k) {
            threads.emplace_back([&, k] {
                try {
                    work(k);
                } catch (...) {
                    errors[k] = std::current_exception();
                }
            });
        }
        for (auto& t : threads) {
            t.join();
        }
        for (const auto& e : errors) {
            if (e) {
                std::rethrow_exception(e);
            }
        }
    };
    // Read all before writing any: a shard is not written while others read it.
    in_threads([&](std::size_t k) {
        Xapian::Database all;
        for (const auto& s : shards) {
            all.add_database(Xapian::Database(s));
        }
        done[k] = spelling_words(
            all, bounds[k], bounds[k + 1],
            [&](const std::string& w, Xapian::doccount f) { words[k].emplace_back(w, f); },
            [&] { return cancelled(opt); });
    });
    if (std::find(done.begin(), done.end(), 0) != done.end()) {
        return false;
    }
    in_threads([&](std::size_t k) {
        // A database written without term lists opens for writing only so.
        const bool has = fs::exists(fs::path(shards[k]) / "termlist.glass");
        Xapian::WritableDatabase db(shards[k], Xapian::DB_OPEN | (has ? 0 : Xapian::DB_NO_TERMLIST));
        for (const auto& [w, f] : words[k]) {
            db.add_spelling(w, f);
        }
        db.commit();
        db.close();
    });
    return !cancelled(opt);
}

// All shards compacted, without their term lists unless the index keeps
// them, into @p merged, synced.
void compact_shards(const std::vector<std::string>& shards, const std::string& merged, bool keep_termlists) {
    Xapian::Database shard_dbs;
    for (const auto& s : shards) {
        if (!keep_termlists) {
            index::segments::drop_termlists(s);
        }
        shard_dbs.add_database(Xapian::Database(s));
    }
    shard_dbs.compact(merged, Xapian::DBCOMPACT_MULTIPASS);
    index::segments::sync_folder(merged);
}

// A fresh build (@p update false) or an update run by @p writers writers:
// the shards under <index>/.lede-build/ become one segment, staged for
// @p target's next commit with the shards' file stamps and deletion records.
void run_parallel(BatchWriter& target, std::vector<Job>& jobs, const IndexOptions& opt, IndexReport& rep,
                  Clock::time_point t0, unsigned writers, bool update) {
    const fs::path build = fs::path(target.path) / index::build_dir;
    fs::remove_all(build);  // a crashed run's leftovers (we hold the lock)
    fs::create_directories(build);

    const std::size_t files = jobs.size();
    std::mutex shared_mu;
    ShardRun run;
    // The segment the run becomes: its passages carry its version terms.
    run.segment = target.index->allocate();
    run.index_id = target.index->id();
    run.keep_termlists = target.index->keeps_termlists();
    // The indexed time of the whole run (it appears at once, with the commit).
    run.time = target.next_time();
    if (update) {
        run.shared = target.index.get();
        run.mu = &shared_mu;
    }
    Partition p = partition(jobs, writers, opt.format);
    std::vector<std::string> shards;
    for (unsigned k = 0; k < writers; ++k) {
        shards.push_back((build / ("shard-" + std::to_string(k + 1))).string());
    }
    ProgressSum progress(opt, p, files);
    std::vector<IndexReport> reports(writers);
    const std::string merged = (build / "merged").string();
    std::vector<std::string> own_hidden;  // of files that failed after some parts, in shards without term lists
    try {
        write_shards(p, shards, opt, progress, reports, t0, run, own_hidden);
        // Cancelled before the compaction, a fresh build is dropped: the
        // index stays new and empty (compacting the shards written so far
        // could take as long as what is left to do). An update keeps the
        // files written whole, as one writer does (a file cut short is
        // hidden in its shard).
        if (!update && (cancelled(opt) || !spell(shards, opt))) {
            rep.interrupted = true;
            fs::remove_all(build);
            return;
        }
        compact_shards(shards, merged, run.keep_termlists);  // from here on, the run finishes
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
    const std::string name = index::segments::segment_name(run.segment);
    fs::remove_all(fs::path(target.path) / name);  // a leftover no commit names
    fs::rename(merged, fs::path(target.path) / name);
    fs::remove_all(build);
    target.index->set_metadata(index::meta::indexed, std::to_string(run.time));
    for (const auto& t : own_hidden) {
        const std::string v = index::segments::version_term(t, run.index_id, run.segment);
        target.index->set_metadata(index::segments::deletion_key(v), "1");
    }
    target.stage(name);  // the run appears at once, with the next commit
    target.set_last_time(run.time);
}

}  // namespace

void parallel_build(BatchWriter& target, std::vector<Job>& jobs, const IndexOptions& opt, IndexReport& rep,
                    Clock::time_point t0, unsigned writers) {
    run_parallel(target, jobs, opt, rep, t0, writers, false);
}

void parallel_update(BatchWriter& target, std::vector<Job>& jobs, const IndexOptions& opt, IndexReport& rep,
                     Clock::time_point t0, unsigned writers) {
    run_parallel(target, jobs, opt, rep, t0, writers, true);
}

}  // namespace lede::indexer
