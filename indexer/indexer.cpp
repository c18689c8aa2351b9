// lede::Indexer: the batch driver. Plans a run (walk the paths, skip files
// whose stamp matches, take this job's shard), then has it written by one
// writer (indexer/batch.hpp) or, for a batch of many files, by one writer per
// core (indexer/parallel.hpp); prunes gone files; commits once; merges.
// Also the single-article API, statistics and compaction.
#include <xapian.h>

#include <lede/index.hpp>

#include "index/database.hpp"
#include "index/schema.hpp"
#include "index/segments.hpp"
#include "indexer/batch.hpp"
#include "indexer/merge.hpp"
#include "indexer/parallel.hpp"
#include "indexer/rebuild.hpp"
#include "indexer/source.hpp"
#include "indexer/stamps.hpp"
#include "indexer/worker.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <thread>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace lede {
namespace {

using indexer::Clock;
using indexer::Job;

// Below this, one writer is as fast as several (merging costs a little).
constexpr std::uint64_t parallel_min_bytes = 4U << 20;

// The files of this run: "-" first, then the walk's files of this job's shard
// whose size or mtime differ from their stamp (the others count as unchanged).
std::vector<Job> plan(const Xapian::Database& db, std::vector<indexer::SourceFile>& files, bool use_stdin,
                      const IndexOptions& options, IndexReport& rep) {
    std::vector<Job> jobs;
    if (use_stdin) {
        Job j;
        j.file.path = "-";
        j.stdin_input = true;
        jobs.push_back(j);
    }
    if (options.shard_count > 1 && (options.shard_index < 1 || options.shard_index > options.shard_count)) {
        throw Error(ErrorKind::invalid_argument, "shard " + std::to_string(options.shard_index) + "/"
                                                     + std::to_string(options.shard_count) + " does not exist");
    }
    for (auto& f : files) {
        if (options.shard_count > 1 && shard_of(f.path, options.shard_count) != options.shard_index) {
            continue;  // another job's shard
        }
        Job j;
        std::optional<indexer::FileStamp> old = indexer::read_stamp(db, f.path);
        j.had_stamp = old.has_value();
        j.old = old.value_or(indexer::FileStamp{});
        if (j.had_stamp && j.old.size == f.size && j.old.mtime_ns == f.mtime_ns) {
            ++rep.unchanged;
            continue;
        }
        j.file = std::move(f);
        jobs.push_back(std::move(j));
    }
    return jobs;
}

// Writers for this run: as asked, else one per core for a large batch.
unsigned writers_for(const std::vector<Job>& jobs, const IndexOptions& options) {
    unsigned cores = options.jobs > 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
    std::uint64_t bytes = 0;
    for (const auto& j : jobs) {
        bytes += j.file.size;
    }
    unsigned writers = options.writers > 0                                                    ? options.writers
                       : bytes >= parallel_min_bytes && jobs.size() >= 4 * std::size_t{cores} ? cores
                                                                                              : 1;
    return std::min<unsigned>(writers, static_cast<unsigned>(jobs.size()));
}

}  // namespace

struct Indexer::Impl : indexer::BatchWriter {
    using BatchWriter::BatchWriter;
    std::optional<indexer::Worker> api_worker;  // for add_article
};

Indexer::Indexer(const std::string& db_path) : impl_(std::make_unique<Impl>(db_path)) {}
Indexer::~Indexer() {
    if (impl_) {
        try {
            impl_->commit_batch();
        } catch (...) {  // NOLINT(bugprone-empty-catch): destructors must not throw
        }
    }
}
Indexer::Indexer(Indexer&&) noexcept = default;
Indexer& Indexer::operator=(Indexer&&) noexcept = default;

namespace {

// A moved-from Indexer has no index: calling it is a caller bug, reported as
// invalid_argument (docs/API.md), never a crash.
template <typename Impl>
Impl& live(const std::unique_ptr<Impl>& impl) {
    if (!impl) {
        throw Error(ErrorKind::invalid_argument, "this Indexer was moved from: it has no index to write");
    }
    return *impl;
}

}  // namespace

IndexReport Indexer::index_paths(const std::vector<std::string>& paths, const IndexOptions& options) {
    live(impl_);
    auto t0 = Clock::now();
    IndexReport rep;
    std::vector<std::string> roots;
    bool use_stdin = false;
    for (const auto& p : paths) {
        if (p == "-") {
            use_stdin = true;
        } else {
            roots.push_back(p);
        }
    }
    if (indexer::cancelled(options)) {  // before the walk, which can take long
        rep.interrupted = true;
        rep.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        return rep;
    }
    if (options.remote_ready && !impl_->index->keeps_termlists()) {
        if (!impl_->fresh()) {
            throw Error(ErrorKind::invalid_argument,
                        impl_->path
                            + ": this index was built without term lists, so --remote-ready cannot apply to it; "
                            + "`lede compact --remote-ready` makes a copy that xapian-tcpsrv can serve");
        }
        impl_->index->set_metadata(index::meta::termlists, index::segments::termlists_kept);
    }
    auto files = indexer::collect_files(roots, options.include, options.exclude, rep.errors);
    rep.failed += rep.errors.size();
    try {
        std::vector<Job> jobs = plan(impl_->committed(), files, use_stdin, options, rep);
        rep.files = files.size() + (use_stdin ? 1 : 0);
        unsigned writers = writers_for(jobs, options);
        if (writers >= 2 && !use_stdin && options.shard_count <= 1) {
            rep.writers = writers;
            if (impl_->fresh()) {
                indexer::parallel_build(*impl_, jobs, options, rep, t0, writers);
            } else {
                indexer::parallel_update(*impl_, jobs, options, rep, t0, writers);
            }
        } else {
            impl_->run_batch(jobs, options, rep, t0);
        }
        if (options.prune && !rep.interrupted) {
            impl_->prune(roots, rep);
        }
        // Interrupted, the batch in flight is committed too: each file in it
        // is whole, with its stamp, so the next run skips exactly these.
        impl_->commit_batch();
        if (options.merge && !rep.interrupted) {
            const indexer::MergeReport m =
                indexer::merge_segments(*impl_->index, {}, [&options] { return indexer::cancelled(options); });
            rep.segments_merged = m.merged;
            rep.merges = m.merges;
            rep.merge_seconds = m.seconds;
            rep.segments_expunged = m.expunged;
            rep.hidden_dropped = m.dropped;
        }
        rep.segments = impl_->index->layout().segments.size();
    } catch (...) {
        impl_->cancel();
        index::rethrow_as_lede("writing index at " + impl_->path);
    }
    rep.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return rep;
}

std::size_t Indexer::add_article(const Article& article) {
    live(impl_);
    if (article.key.empty()) {
        throw Error(ErrorKind::invalid_argument, "add_article: the article needs a key");
    }
    try {
        if (!impl_->api_worker) {
            impl_->api_worker.emplace();
        }
        indexer::SourceArticle a;
        a.key = article.key;
        a.text = article.text;
        indexer::repair_utf8(a.text);
        a.title = article.title;
        a.date = indexer::normalize_date(article.date);
        a.date_from = a.date.empty() ? "" : "api";
        a.source = article.source;
        a.url = article.url;
        indexer::ArticleDocs docs;
        std::map<std::string, unsigned> spell;
        std::size_t non_prose = 0;
        std::size_t n = impl_->api_worker->build_article(a, "api:" + article.key, docs, spell, non_prose);
        impl_->begin();
        const std::string aterm = index::article_term(article.key);
        indexer::OldTimes old;  // unchanged passages keep their indexed time
        if (impl_->exists(aterm)) {
            impl_->read_old(old, aterm);
            impl_->drop(aterm);
        }
        const std::string fterm = index::file_term("api:" + article.key);
        const auto versions = impl_->version_terms(fterm, aterm);
        for (auto& d : docs.docs) {
            impl_->add(d, old, versions);
        }
        for (const auto& [w, c] : spell) {
            impl_->db.add_spelling(w, c);
        }
        return n;
    } catch (...) {
        impl_->cancel();
        index::rethrow_as_lede("adding article " + article.key + " to " + impl_->path);
    }
}

bool Indexer::remove_article(const std::string& key) {
    live(impl_);
    try {
        std::string term = index::article_term(key);
        bool present = impl_->exists(term);
        impl_->drop(term);
        return present;
    } catch (...) {
        impl_->cancel();
        index::rethrow_as_lede("removing article " + key + " from " + impl_->path);
    }
}

void Indexer::commit() {
    live(impl_);
    try {
        impl_->commit_batch();
        indexer::merge_segments(*impl_->index);
    } catch (...) {
        impl_->cancel();
        index::rethrow_as_lede("committing index at " + impl_->path);
    }
}

namespace {

// Documents of @p term that are not hidden (all when nothing is).
std::uint64_t live_count(const Xapian::Database& db, const std::string& term, const index::segments::Deleted& deleted) {
    if (deleted.empty()) {
        return db.get_termfreq(term);
    }
    std::uint64_t n = 0;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
        n += deleted.contains(*it) ? 0 : 1;
    }
    return n;
}

// The statistics of @p db without its hidden passages (@p deleted).
IndexStats stats_of(const Xapian::Database& db, const std::string& path,
                    const index::segments::Deleted& deleted = index::segments::Deleted()) {
    IndexStats s;
    s.passages = db.get_doccount() - deleted.size();
    const std::string articles(index::prefix::article);
    for (auto it = db.allterms_begin(articles); it != db.allterms_end(articles); ++it) {
        s.articles += deleted.empty() || live_count(db, *it, deleted) > 0 ? 1 : 0;
    }
    for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
        s.terms += (*it).starts_with(index::segments::version_prefix) ? 0 : 1;  // bookkeeping, not words
    }
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) {
            s.bytes_on_disk += it->file_size(ec);
        }
    }
    s.last_update = db.get_metadata(index::meta::updated);
    for (const auto& [name, origin] : {std::pair{"front_matter", "front"},
                                       {"json", "json"},
                                       {"html", "html"},
                                       {"feed", "feed"},
                                       {"path", "path"},
                                       {"api", "api"}}) {
        const std::uint64_t n = live_count(db, index::date_origin_term(origin), deleted);
        s.dated += n;
        s.dated_from.emplace_back(name, n);
    }
    return s;
}

}  // namespace

IndexStats Indexer::stats() {
    live(impl_);
    try {
        return stats_of(impl_->committed(), impl_->path, impl_->index->deleted());
    } catch (...) {
        index::rethrow_as_lede("reading statistics of " + impl_->path);
    }
}

IndexStats index_stats(const std::string& db_path) {
    std::vector<Xapian::Database> parts;
    Xapian::Database db = index::open_for_reading(db_path, 5000, &parts);
    try {
        return index::retry_reads(
            db, "reading statistics of " + db_path,
            [&] {
                const std::vector<std::string> hidden = index::hidden_terms(parts);
                return stats_of(db, db_path, index::segments::Deleted(db, hidden));
            },
            [] {});
    } catch (...) {
        index::rethrow_as_lede("reading statistics of " + db_path);
    }
}

void compact_index(const std::string& db_path, const std::string& out_path, bool remote_ready) {
    compact_index(std::vector<std::string>{db_path}, out_path, remote_ready);
}

void compact_index(const std::vector<std::string>& shards, const std::string& out_path, bool remote_ready) {
    index::check_distinct(shards, "compacting into " + out_path);
    std::string names;
    Xapian::Database db;
    std::vector<Xapian::Database> parts;
    bool all_keep = true;  // every index keeps its term lists (index/segments.hpp keeps_termlists())
    bool any_keep = false;
    for (const auto& s : shards) {
        names += (names.empty() ? "" : ", ") + s;
        std::vector<Xapian::Database> ps;
        Xapian::Database one = index::open_for_reading(s, 5000, &ps);
        const bool keeps = index::segments::keeps_termlists(one);
        all_keep = all_keep && keeps;
        any_keep = any_keep || keeps;
        db.add_database(one);
        parts.insert(parts.end(), ps.begin(), ps.end());
    }
    std::error_code ec;
    if (std::filesystem::exists(out_path, ec)) {
        throw Error(ErrorKind::invalid_argument,
                    "compacting " + names + ": " + out_path + " already exists; give a new folder");
    }
    try {
        // The result is a segmented index of one segment: the live passages
        // of all, with the metadata of all as Xapian's compaction merges it
        // (the first database's value of a key wins), without deletion records.
        namespace seg = index::segments;
        std::map<std::string, std::string> m;
        for (const auto& p : parts) {
            for (auto it = p.metadata_keys_begin(); it != p.metadata_keys_end(); ++it) {
                if (!(*it).starts_with(seg::deletion_prefix)) {
                    m.emplace(*it, p.get_metadata(*it));
                }
            }
        }
        // Once remote-ready, always: a copy keeps what its index promised.
        const bool keep = remote_ready || any_keep;
        std::filesystem::create_directories(out_path);
        const std::string segment = seg::segment_name(1);
        const std::string seg_path = (std::filesystem::path(out_path) / segment).string();
        const std::vector<std::string> hidden = index::hidden_terms(parts);
        if (hidden.empty() && (all_keep || !keep)) {
            db.compact(seg_path, Xapian::DBCOMPACT_MULTIPASS);
            {
                // The segment keeps no metadata: the metadata database has it.
                Xapian::WritableDatabase s(seg_path, Xapian::DB_OPEN | Xapian::DB_NO_TERMLIST);
                for (const auto& [k, v] : m) {
                    s.set_metadata(k, "");
                }
                s.commit();
            }
            if (!keep) {
                seg::drop_termlists(seg_path);
            }
        } else {
            // Hidden passages are dropped (Xapian's statistics then are those
            // of the live passages alone), and term lists made where asked,
            // by rebuilding from the stored passages.
            indexer::rebuild_segment(db, seg::Deleted(db, hidden), seg_path, keep);
        }
        std::set<std::string> ids;
        std::int64_t latest = 0;
        for (const auto& p : parts) {
            if (std::string id = p.get_metadata(index::meta::id); !id.empty()) {
                ids.insert(std::move(id));  // segments keep none
            }
            const std::string t = p.get_metadata(index::meta::indexed);
            std::int64_t v = 0;
            std::from_chars(t.data(), t.data() + t.size(), v);
            latest = std::max(latest, v);
        }
        if (ids.size() > 1) {
            // Merged shards are a new index to alerts, at the latest time of any of them.
            m[index::meta::id] = index::new_index_id();
            m[index::meta::indexed] = std::to_string(latest);
        }
        m[index::meta::format] = seg::format;
        m[seg::next_key] = "3";
        if (keep) {
            m[index::meta::termlists] = seg::termlists_kept;
        } else {
            m.erase(index::meta::termlists);
        }
        seg::write_meta(out_path, seg::meta_name(2), nullptr, m);
        seg::write_layout(out_path, seg::Layout{seg::meta_name(2), {segment}});
    } catch (...) {
        index::rethrow_as_lede("compacting " + names + " into " + out_path);
    }
}

unsigned shard_of(const std::string& path, unsigned shard_count) {
    if (shard_count <= 1) {
        return 1;
    }
    std::error_code ec;
    std::string abs = path == "-" ? path : std::filesystem::absolute(path, ec).lexically_normal().string();
    return static_cast<unsigned>(XXH3_64bits(abs.data(), abs.size()) % shard_count) + 1;
}

}  // namespace lede
