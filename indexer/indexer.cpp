// lede::Indexer: the batch driver.
//
//   walk → stat check (main thread) → [workers: read, hash, articles,
//   passages, analysis → Xapian documents] → writer (main thread, file order)
//
// Unchanged files are skipped (size + mtime, confirmed by a content hash);
// changed files are replaced in place (all documents of a file share one "S"
// term). Writes are grouped in transactions of IndexOptions::flush_passages
// passages: a crash loses at most the batch in flight, and since a file's
// stamp is written in the same transaction as its passages, the next run
// redoes exactly what was lost. Memory is bounded by the batch size plus a
// window of 4 files per worker in flight.
//
// A fresh index of many files is built faster by one writer per core: each
// writes a shard under <index>/.lede-build/, the shards are compacted into
// one, and its tables replace the empty index's (iamglass last, so a crash
// leaves either the empty index or the whole new one; an interrupted swap
// is cleaned up by the next run, see database.cpp).
#include <xapian.h>

#include <lede/index.hpp>

#include "analysis/sentences.hpp"
#include "indexer/articles.hpp"
#include "indexer/builder.hpp"
#include "indexer/database.hpp"
#include "indexer/passages.hpp"
#include "indexer/record.hpp"
#include "indexer/source.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <exception>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <sstream>
#include <thread>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace lede {
namespace {

using Clock = std::chrono::steady_clock;

// Per-file bookkeeping in the index metadata under "F" + path.
struct FileStamp {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint64_t hash = 0;
    std::size_t articles = 0;

    [[nodiscard]] std::string str() const {
        std::ostringstream o;
        o << size << ' ' << mtime_ns << ' ' << hash << ' ' << articles;
        return o.str();
    }
    static FileStamp parse(const std::string& s) {
        FileStamp f;
        std::istringstream in(s);
        in >> f.size >> f.mtime_ns >> f.hash >> f.articles;
        return f;
    }
};

constexpr const char* stamp_prefix = "F";
// Below this, one writer is as fast as several (merging costs a little).
constexpr std::uint64_t parallel_min_bytes = 4U << 20;
constexpr const char* updated_key = "lede:updated";

std::string stamp_key(const std::string& path) {
    std::string k = stamp_prefix + path;
    return k.size() > 240 ? indexer::file_term(path).replace(0, 1, stamp_prefix) : k;
}

std::string now_iso() {
    std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

struct Job {
    indexer::SourceFile file;
    bool had_stamp = false;
    FileStamp old;
    bool stdin_input = false;
};

struct ArticleDocs {
    std::string key;
    std::vector<Xapian::Document> docs;
};

struct JobResult {
    std::optional<std::string> failure;
    bool same_content = false;
    FileStamp stamp;
    std::uint64_t bytes = 0;
    std::size_t repaired = 0;
    std::size_t non_prose = 0;
    std::vector<ArticleDocs> articles;
    bool feed = false;  // items replace their own articles only: those that left the feed stay
    std::map<std::string, unsigned> spellings;
    std::vector<FileError> errors;    // line errors (JSON Lines)
    std::vector<FileError> warnings;
};

// Analysis state of one worker thread.
struct Worker {
    analysis::SentenceSplitter sentences;
    indexer::DocumentBuilder builder;
    std::vector<std::string> words;

    std::size_t build_article(const indexer::SourceArticle& a, const std::string& file_path,
                              ArticleDocs& out, std::map<std::string, unsigned>& spell,
                              std::size_t& non_prose) {
        std::string_view body(a.text);
        body.remove_prefix(a.body_begin);
        auto seg = indexer::segment(body, sentences);
        non_prose += seg.non_prose;
        out.key = a.key;
        std::string aterm = indexer::article_term(a.key);
        // The file term finds all passages of a file (JSON Lines: of all its
        // articles) for updates and path: filters.
        std::string fterm = indexer::file_term(file_path);
        int n = 0;
        for (const auto& span : seg.passages) {
            indexer::PassageRecord rec;
            rec.path = file_path;
            rec.passage = ++n;
            // start/end: where the passage came from in the file; text: the (decoded, extracted) text.
            rec.start = a.origin.begin_of(a.body_begin + span.begin);
            rec.end = std::max(rec.start, a.origin.end_of(a.body_begin + span.end));
            rec.text = a.text.substr(a.body_begin + span.begin, span.end - span.begin);
            rec.article = a.key;
            rec.title = a.title;
            rec.date = a.date;
            rec.source = a.source;
            rec.url = a.url;
            words.clear();
            Xapian::Document doc = builder.build(rec, aterm, words);
            doc.add_boolean_term(fterm);
            if (n == 1 && file_path.size() < 240) {
                // path: expands these (over every shard, local or remote) to file terms.
                doc.add_boolean_term(analysis::prefix::path + file_path);
            }
            out.docs.push_back(std::move(doc));
            for (auto& w : words) {
                ++spell[w];
            }
        }
        return seg.passages.size();
    }

    JobResult run(const Job& job, const IndexOptions& opt) {
        JobResult r;
        indexer::LoadedText loaded;
        std::string reason;
        bool ok = job.stdin_input ? indexer::load_stream(std::cin, loaded, reason)
                                  : indexer::load_text(job.file.path, loaded, reason);
        if (!ok) {
            r.failure = reason;
            return r;
        }
        r.bytes = loaded.text.size();
        r.repaired = loaded.repaired;
        r.stamp = {job.file.size, job.file.mtime_ns, XXH3_64bits(loaded.text.data(), loaded.text.size()), 0};
        if (job.had_stamp && job.old.hash == r.stamp.hash) {
            r.same_content = true;
            r.stamp.articles = job.old.articles;
            return r;
        }
        if (loaded.repaired > 0) {
            r.warnings.push_back({job.file.path, "invalid UTF-8: " + std::to_string(loaded.repaired)
                                                     + " bytes replaced by '?' (indexed)"});
        }
        std::vector<indexer::SourceArticle> arts;
        const std::size_t warned = r.warnings.size();
        r.feed = indexer::read_articles(job.file.path, std::move(loaded.text), opt.format, opt.json, arts, r.errors,
                                        r.warnings, loaded.origin)
                 == InputFormat::feed;
        std::size_t passages = 0;
        for (const auto& a : arts) {
            ArticleDocs ad;
            passages += build_article(a, job.file.path, ad, r.spellings, r.non_prose);
            r.articles.push_back(std::move(ad));
        }
        r.stamp.articles = arts.size();
        if (passages == 0 && r.errors.empty() && r.warnings.size() == warned) {  // (unless the reader said why)
            r.warnings.push_back({job.file.path, r.bytes == 0 ? "empty file (nothing to index)"
                                                              : "no prose passages found (nothing to index)"});
        }
        return r;
    }
};

}  // namespace

struct Indexer::Impl {
    std::string path;
    Xapian::WritableDatabase db;
    std::optional<Worker> api_worker;  // for add_article
    bool in_txn = false;
    std::size_t in_batch = 0;
    bool spelling = true;  // collect spelling data while indexing (false: a parallel build's shards)

    explicit Impl(const std::string& p) : path(p), db(indexer::open_for_writing(p)) {}

    void begin() {
        if (!in_txn) {
            db.begin_transaction(true);
            in_txn = true;
            in_batch = 0;
        }
    }
    void commit_batch() {
        if (in_txn) {
            db.set_metadata(updated_key, now_iso());
            db.commit_transaction();
            in_txn = false;
        }
    }
    void cancel() noexcept {
        if (in_txn) {
            try {
                db.cancel_transaction();
            } catch (...) {  // NOLINT(bugprone-empty-catch): already failing
            }
            in_txn = false;
        }
    }

    std::size_t write(const Job& job, JobResult& r, IndexReport& rep) {
        if (r.failure) {
            ++rep.failed;
            rep.errors.push_back({job.file.path, *r.failure});
            return 0;
        }
        rep.bytes += r.bytes;
        rep.repaired += r.repaired;
        rep.non_prose += r.non_prose;
        for (auto& e : r.errors) {
            ++rep.failed;
            rep.errors.push_back(std::move(e));
        }
        for (auto& w : r.warnings) {
            rep.warnings.push_back(std::move(w));
        }
        begin();
        if (r.same_content) {
            db.set_metadata(stamp_key(job.file.path), r.stamp.str());  // touched, same content
            ++rep.unchanged;
            return 0;
        }
        // Always clear the file's old documents: after a crash they may be
        // there without a stamp. A feed's items replace only themselves.
        if (!r.feed) {
            db.delete_document(indexer::file_term(job.file.path));
            db.delete_document(indexer::article_term(job.file.path));
        }
        std::size_t n = 0;
        for (auto& a : r.articles) {
            if (r.feed) {
                std::string aterm = indexer::article_term(a.key);
                if (!a.docs.empty()) {
                    ++(db.term_exists(aterm) ? rep.updated : rep.added);
                }
                db.delete_document(aterm);
            }
            for (auto& d : a.docs) {
                db.add_document(d);
                ++n;
            }
        }
        for (const auto& [w, c] : r.spellings) {
            db.add_spelling(w, c);
        }
        if (!job.stdin_input) {
            db.set_metadata(stamp_key(job.file.path), r.stamp.str());
        }
        if (!r.feed) {
            (job.had_stamp ? rep.updated : rep.added) += r.articles.size();
        }
        rep.passages += n;
        in_batch += n;
        return n;
    }

    // Whether this is a new, empty index (no passages, no file stamps).
    bool fresh() {
        return db.get_doccount() == 0 && db.metadata_keys_begin(stamp_prefix) == db.metadata_keys_end(stamp_prefix);
    }

    void parallel_build(std::vector<Job>& jobs, const IndexOptions& opt, IndexReport& rep, Clock::time_point t0,
                        unsigned writers);

    void prune(const std::vector<std::string>& roots, IndexReport& rep) {
        std::vector<std::string> abs_roots;
        for (const std::string& r : roots) {
            std::error_code ec;
            if (r != "-") {
                abs_roots.push_back(std::filesystem::absolute(r, ec).lexically_normal().string());
            }
        }
        std::vector<std::pair<std::string, FileStamp>> gone;
        for (auto it = db.metadata_keys_begin(stamp_prefix); it != db.metadata_keys_end(stamp_prefix); ++it) {
            std::string p = (*it).substr(1);
            bool under = std::any_of(abs_roots.begin(), abs_roots.end(), [&](const std::string& a) {
                return p == a || (p.starts_with(a) && (a.ends_with('/') || p[a.size()] == '/'));
            });
            std::error_code ec;
            if (under && !std::filesystem::exists(p, ec)) {
                gone.emplace_back(*it, FileStamp::parse(db.get_metadata(*it)));
            }
        }
        begin();
        for (const auto& [k, stamp] : gone) {
            db.delete_document(indexer::file_term(k.substr(1)));
            db.delete_document(indexer::article_term(k.substr(1)));
            db.set_metadata(k, "");
            rep.removed += std::max<std::size_t>(1, stamp.articles);
        }
    }

    void run_batch(std::vector<Job>& jobs, const IndexOptions& opt, IndexReport& rep, Clock::time_point t0) {
        unsigned n_workers = opt.jobs > 0 ? opt.jobs : std::max(1U, std::thread::hardware_concurrency());
        const std::size_t window = 4 * static_cast<std::size_t>(n_workers);
        std::vector<std::optional<JobResult>> slots(jobs.size());
        std::mutex mu;
        std::condition_variable cv;
        std::size_t written = 0;
        std::atomic<std::size_t> next{0};
        std::atomic<bool> stop{false};
        std::uint64_t bytes_total = 0;
        for (const auto& j : jobs) {
            bytes_total += j.file.size;
        }
        auto work = [&] {
            Worker w;
            w.builder.collect_spellings = spelling;
            for (;;) {
                std::size_t i = next++;
                if (i >= jobs.size()) {
                    return;
                }
                {
                    std::unique_lock lk(mu);
                    cv.wait(lk, [&] { return stop.load() || i < written + window; });
                }
                if (stop) {
                    return;
                }
                JobResult r;
                try {
                    r = w.run(jobs[i], opt);
                } catch (const std::exception& e) {
                    r.failure = std::string("analysis failed: ") + e.what();
                }
                std::lock_guard lk(mu);
                slots[i] = std::move(r);
                cv.notify_all();
            }
        };
        std::vector<std::thread> threads;
        for (unsigned t = 0; t < n_workers && t < jobs.size(); ++t) {
            threads.emplace_back(work);
        }
        auto finish = [&] {
            stop = true;
            cv.notify_all();
            for (auto& t : threads) {
                t.join();
            }
        };
        try {
            IndexProgress prog;
            prog.files_total = jobs.size();
            prog.bytes_total = bytes_total;
            auto last_report = Clock::now();
            for (std::size_t i = 0; i < jobs.size(); ++i) {
                JobResult r;
                {
                    std::unique_lock lk(mu);
                    cv.wait(lk, [&] { return slots[i].has_value(); });
                    r = std::move(*slots[i]);
                    slots[i].reset();
                }
                write(jobs[i], r, rep);
                if (in_batch >= opt.flush_passages) {
                    commit_batch();
                }
                {
                    std::lock_guard lk(mu);
                    written = i + 1;
                    cv.notify_all();
                }
                prog.files_done = i + 1;
                prog.bytes_done += jobs[i].file.size;
                if (opt.progress && Clock::now() - last_report > std::chrono::milliseconds(200)) {
                    last_report = Clock::now();
                    prog.seconds = std::chrono::duration<double>(last_report - t0).count();
                    opt.progress(prog);
                }
            }
        } catch (...) {
            finish();
            throw;
        }
        finish();
    }
};

void Indexer::Impl::parallel_build(std::vector<Job>& jobs, const IndexOptions& opt, IndexReport& rep,
                                   Clock::time_point t0, unsigned writers) {
    namespace fs = std::filesystem;
    const fs::path build = fs::path(path) / indexer::build_dir;
    fs::remove_all(build);  // a crashed run's leftovers (we hold the lock)
    fs::create_directories(build);

    // Files to writers by size, largest first to the least loaded: the
    // writers finish together.
    std::vector<std::size_t> order(jobs.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return jobs[a].file.size > jobs[b].file.size; });
    std::vector<std::vector<Job>> part(writers);
    std::vector<std::uint64_t> load(writers, 0);
    for (std::size_t i : order) {
        auto k = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
        if (indexer::format_for(jobs[i].file.path, opt.format) == InputFormat::feed) {
            k = 0;  // feeds in one shard: an item in two snapshots is written once, by the later
        }
        load[k] += jobs[i].file.size + 1;
        part[k].push_back(std::move(jobs[i]));
    }
    for (auto& p : part) {  // each shard in walk order (docids, progress)
        std::sort(p.begin(), p.end(), [](const Job& a, const Job& b) { return a.file.path < b.file.path; });
    }

    std::mutex mu;
    std::vector<IndexProgress> progress(writers);
    std::vector<IndexReport> reports(writers);
    std::vector<std::exception_ptr> failures(writers);
    std::vector<std::string> shard_paths;
    std::vector<std::thread> threads;
    for (unsigned k = 0; k < writers; ++k) {
        shard_paths.push_back((build / ("shard-" + std::to_string(k + 1))).string());
    }
    for (unsigned k = 0; k < writers; ++k) {
        threads.emplace_back([&, k] {
            try {
                IndexOptions o = opt;
                o.jobs = 1;  // one analysis thread feeding each writer
                if (opt.progress) {
                    o.progress = [&, k](const IndexProgress& p) {
                        std::lock_guard lk(mu);
                        progress[k] = p;
                        IndexProgress sum;
                        for (const auto& q : progress) {
                            sum.files_done += q.files_done;
                            sum.bytes_done += q.bytes_done;
                        }
                        sum.files_total = jobs.size();
                        for (const auto& l : load) {
                            sum.bytes_total += l;
                        }
                        sum.seconds = p.seconds;
                        opt.progress(sum);
                    };
                }
                Impl shard(shard_paths[k]);
                shard.spelling = false;
                shard.run_batch(part[k], o, reports[k], t0);
                shard.commit_batch();
                shard.db.commit();
                shard.db.close();
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
            std::error_code ec;
            fs::remove_all(build, ec);
            std::rethrow_exception(f);
        }
    }
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

    // Spelling data once from the terms of all shards (frequency = passages),
    // into the first shard; then merge, and swap the merged tables in.
    const std::string merged = (build / "merged").string();
    {
        Xapian::Database all;
        for (const auto& s : shard_paths) {
            all.add_database(Xapian::Database(s));
        }
        Xapian::WritableDatabase first(shard_paths.front(), Xapian::DB_OPEN);
        for (auto it = all.allterms_begin(); it != all.allterms_end(); ++it) {
            const std::string& t = *it;
            bool prefixed = t[0] >= 'A' && t[0] <= 'Z';
            if (!prefixed && analysis::TermMaker::spelling_word(t)) {
                first.add_spelling(t, it.get_termfreq());
            }
        }
        first.commit();
        first.close();
        all.reopen();  // see the spelling data just committed
        all.compact(merged, Xapian::DBCOMPACT_MULTIPASS);
    }
    db.close();
    indexer::replace_tables(path, merged);
    db = indexer::open_for_writing(path);
}

Indexer::Indexer(const std::string& db_path) : impl_(std::make_unique<Impl>(db_path)) {}
Indexer::~Indexer() {
    if (impl_) {
        try {
            impl_->commit_batch();
            impl_->db.commit();
        } catch (...) {  // NOLINT(bugprone-empty-catch): destructors must not throw
        }
    }
}
Indexer::Indexer(Indexer&&) noexcept = default;
Indexer& Indexer::operator=(Indexer&&) noexcept = default;

IndexReport Indexer::index_paths(const std::vector<std::string>& paths, const IndexOptions& options) {
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
    auto files = indexer::collect_files(roots, options.include, options.exclude, rep.errors);
    rep.failed += rep.errors.size();
    std::vector<Job> jobs;
    try {
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
            std::string old = impl_->db.get_metadata(stamp_key(f.path));
            j.had_stamp = !old.empty();
            j.old = j.had_stamp ? FileStamp::parse(old) : FileStamp{};
            if (j.had_stamp && j.old.size == f.size && j.old.mtime_ns == f.mtime_ns) {
                ++rep.unchanged;
                continue;
            }
            j.file = std::move(f);
            jobs.push_back(std::move(j));
        }
        rep.files = files.size() + (use_stdin ? 1 : 0);
        unsigned cores = options.jobs > 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
        std::uint64_t bytes = 0;
        for (const auto& j : jobs) {
            bytes += j.file.size;
        }
        unsigned writers = options.writers > 0 ? options.writers
                           : bytes >= parallel_min_bytes && jobs.size() >= 4 * std::size_t{cores} ? cores
                                                                                                    : 1;
        writers = std::min<unsigned>(writers, static_cast<unsigned>(jobs.size()));
        if (writers >= 2 && !use_stdin && options.shard_count <= 1 && impl_->fresh()) {
            impl_->parallel_build(jobs, options, rep, t0, writers);
        } else {
            impl_->run_batch(jobs, options, rep, t0);
        }
        if (options.prune) {
            impl_->prune(roots, rep);
        }
        impl_->commit_batch();
    } catch (...) {
        impl_->cancel();
        indexer::rethrow_as_lede("writing index at " + impl_->path);
    }
    rep.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return rep;
}

std::size_t Indexer::add_article(const Article& article) {
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
        a.source = article.source;
        a.url = article.url;
        ArticleDocs docs;
        std::map<std::string, unsigned> spell;
        std::size_t non_prose = 0;
        std::size_t n = impl_->api_worker->build_article(a, "api:" + article.key, docs, spell, non_prose);
        impl_->begin();
        impl_->db.delete_document(indexer::article_term(article.key));
        for (auto& d : docs.docs) {
            impl_->db.add_document(d);
        }
        for (const auto& [w, c] : spell) {
            impl_->db.add_spelling(w, c);
        }
        return n;
    } catch (...) {
        impl_->cancel();
        indexer::rethrow_as_lede("adding article " + article.key + " to " + impl_->path);
    }
}

bool Indexer::remove_article(const std::string& key) {
    try {
        std::string term = indexer::article_term(key);
        bool present = impl_->db.term_exists(term);
        impl_->begin();
        impl_->db.delete_document(term);
        return present;
    } catch (...) {
        impl_->cancel();
        indexer::rethrow_as_lede("removing article " + key + " from " + impl_->path);
    }
}

void Indexer::commit() {
    try {
        impl_->commit_batch();
        impl_->db.commit();
    } catch (...) {
        impl_->cancel();
        indexer::rethrow_as_lede("committing index at " + impl_->path);
    }
}

namespace {

IndexStats stats_of(const Xapian::Database& db, const std::string& path) {
    IndexStats s;
    s.passages = db.get_doccount();
    for (auto it = db.allterms_begin(analysis::prefix::article); it != db.allterms_end(analysis::prefix::article); ++it) {
        ++s.articles;
    }
    for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
        ++s.terms;
    }
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) {
            s.bytes_on_disk += it->file_size(ec);
        }
    }
    s.last_update = db.get_metadata(updated_key);
    return s;
}

}  // namespace

IndexStats Indexer::stats() {
    try {
        return stats_of(impl_->db, impl_->path);
    } catch (...) {
        indexer::rethrow_as_lede("reading statistics of " + impl_->path);
    }
}

IndexStats index_stats(const std::string& db_path) {
    Xapian::Database db = indexer::open_for_reading(db_path);
    try {
        return indexer::retry_reads(db, "reading statistics of " + db_path, [&] { return stats_of(db, db_path); }, [] {});
    } catch (...) {
        indexer::rethrow_as_lede("reading statistics of " + db_path);
    }
}

void compact_index(const std::string& db_path, const std::string& out_path) {
    compact_index(std::vector<std::string>{db_path}, out_path);
}

void compact_index(const std::vector<std::string>& shards, const std::string& out_path) {
    std::string names;
    Xapian::Database db;
    for (const auto& s : shards) {
        names += (names.empty() ? "" : ", ") + s;
        db.add_database(indexer::open_for_reading(s));
    }
    std::error_code ec;
    if (std::filesystem::exists(out_path, ec)) {
        throw Error(ErrorKind::invalid_argument, "compacting " + names + ": " + out_path
                                                     + " already exists; give a new folder");
    }
    try {
        db.compact(out_path, Xapian::DBCOMPACT_MULTIPASS);
    } catch (...) {
        indexer::rethrow_as_lede("compacting " + names + " into " + out_path);
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
