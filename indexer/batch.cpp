#include "indexer/batch.hpp"

#include "index/database.hpp"
#include "index/record.hpp"
#include "index/schema.hpp"
#include "indexer/stamps.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace lede::indexer {
namespace {

std::string now_iso() {
    std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// What OldTimes matches a passage by: its article and a hash of its text.
std::string passage_key(const Xapian::Document& doc) {
    auto rec = index::load(doc);
    if (!rec) {
        return {};
    }
    std::string key = index::needs_article(*rec) ? rec->article : index::article_ref(rec->article);
    key += '\0';
    std::uint64_t h = XXH3_64bits(rec->text.data(), rec->text.size());
    key.append(reinterpret_cast<const char*>(&h), sizeof h);
    return key;
}

}  // namespace

void OldTimes::read(const Xapian::Database& db, const std::string& term,
                    const std::function<bool(Xapian::docid)>& hidden) {
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
        if (hidden && hidden(*it)) {
            continue;
        }
        Xapian::Document d = db.get_document(*it);
        std::string t = d.get_value(index::slot_indexed);
        if (t.empty()) {
            continue;
        }
        if (std::string key = passage_key(d); !key.empty()) {
            times_.emplace(std::move(key), std::move(t));
        }
    }
}

std::string OldTimes::find(const Xapian::Document& doc) const {
    auto it = times_.find(passage_key(doc));
    return it == times_.end() ? std::string() : it->second;
}

BatchWriter::BatchWriter(const std::string& p) : path(p) {
    try {
        index = std::make_unique<index::segments::Index>(p);
    } catch (...) {
        index::rethrow_as_lede("opening index at " + p + " for writing");
    }
    index_id_ = index->id();
    const std::string last = index->metadata(index::meta::indexed);
    std::from_chars(last.data(), last.data() + last.size(), last_time_);  // "" (a new index): 0
}

BatchWriter::BatchWriter(const std::string& shard_path, std::string index_id, std::uint64_t segment, bool termlists)
    // Unsynced: a shard is read only by the compaction into its run's
    // segment, which is synced; a crash leaves a build folder the next run removes.
    : path(shard_path),
      db(shard_path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_NO_SYNC | (termlists ? 0 : Xapian::DB_NO_TERMLIST)),
      termlists_(termlists), index_id_(std::move(index_id)), segment_(segment) {}

void BatchWriter::open_segment() {
    segment_ = index->allocate();
    segment_name_ = index::segments::segment_name(segment_);
    const std::string dir = (std::filesystem::path(path) / segment_name_).string();
    std::filesystem::remove_all(dir);  // a leftover no commit names
    db = Xapian::WritableDatabase(dir, Xapian::DB_CREATE);
}

void BatchWriter::begin() {
    if (!in_txn_) {
        if (index && segment_ == 0) {
            open_segment();
        }
        db.begin_transaction(true);
        in_txn_ = true;
        in_batch_ = 0;
        txn_time_ = next_time();
        txn_value_ = Xapian::sortable_serialise(static_cast<double>(txn_time_));
    }
}

// Later than the last commit's, even when the clock went back: a search
// bounded by one commit's time never misses a later commit.
std::int64_t BatchWriter::next_time() const { return fixed_time > 0 ? fixed_time : std::max(now_ms(), last_time_ + 1); }

std::pair<std::string, std::string> BatchWriter::version_terms(const std::string& file_term,
                                                               const std::string& article_term) const {
    std::pair<std::string, std::string> v{index::segments::version_term(file_term, index_id_, segment_), {}};
    // A file's one article, keyed by its path (the same hash), goes with the
    // file's version term (Index::hide() finds it there): a term per passage less.
    if (std::string_view(article_term).substr(index::prefix::article.size())
        != std::string_view(file_term).substr(index::prefix::file.size())) {
        v.second = index::segments::version_term(article_term, index_id_, segment_);
    }
    return v;
}

void BatchWriter::add(Xapian::Document& doc, const OldTimes& old, const std::pair<std::string, std::string>& versions) {
    if (old.empty()) {
        doc.add_value(index::slot_indexed, txn_value_);
    } else {
        std::string t = old.find(doc);
        doc.add_value(index::slot_indexed, t.empty() ? txn_value_ : t);
    }
    doc.add_boolean_term(versions.first);
    if (!versions.second.empty()) {
        doc.add_boolean_term(versions.second);
    }
    db.add_document(doc);
}

void BatchWriter::drop(const std::string& term) {
    begin();
    if (termlists_) {
        db.delete_document(term);  // this run's own passages
    } else if (db.term_exists(term)) {
        own_hidden.push_back(term);
    }
    if (index) {
        index->hide(term);  // committed ones: a deletion record
    } else if (shared != nullptr) {
        std::lock_guard lk(*shared_mu);
        shared->hide(term);
    }
}

bool BatchWriter::exists(const std::string& term) {
    if ((segment_ != 0 || !index) && db.term_exists(term)) {
        return true;
    }
    if (shared != nullptr) {
        std::lock_guard lk(*shared_mu);
        return shared->visible_term(term);
    }
    return index && index->visible_term(term);
}

void BatchWriter::read_old(OldTimes& old, const std::string& term) {
    if (segment_ != 0 || !index) {
        old.read(db, term);
    }
    if (index) {
        old.read(index->committed(), term, [this](Xapian::docid id) { return index->hidden(id); });
    } else if (shared != nullptr) {
        std::lock_guard lk(*shared_mu);
        old.read(shared->committed(), term, [this](Xapian::docid id) { return shared->hidden(id); });
    }
}

std::string BatchWriter::metadata(const std::string& key) {
    return index ? index->metadata(key) : db.get_metadata(key);
}

void BatchWriter::set_metadata(const std::string& key, const std::string& value) {
    if (index) {
        index->set_metadata(key, value);
    } else {
        db.set_metadata(key, value);
    }
}

Xapian::Database BatchWriter::committed() const { return index ? index->committed() : db; }

void BatchWriter::commit_batch() {
    if (in_txn_) {
        set_metadata(index::meta::updated, now_iso());
        set_metadata(index::meta::indexed, std::to_string(txn_time_));
        db.commit_transaction();
        last_time_ = txn_time_;
        in_txn_ = false;
        if (index) {
            publish();
        }
    } else if (index && !staged_.empty()) {
        publish();
    }
}

// The segment written (when it holds anything) joins the index, without its
// term lists, in one commit with the run's stamps and deletion records.
void BatchWriter::publish() {
    std::vector<std::string> added;
    if (segment_ != 0) {
        db.commit();
        const bool any = db.get_doccount() > 0 || db.spellings_begin() != db.spellings_end();
        db.close();
        db = Xapian::WritableDatabase();
        const std::string dir = (std::filesystem::path(path) / segment_name_).string();
        if (any) {
            if (!index->keeps_termlists()) {
                index::segments::drop_termlists(dir);
            }
            added.push_back(segment_name_);
        } else {
            std::filesystem::remove_all(dir);
        }
        segment_ = 0;
    }
    added.insert(added.end(), staged_.begin(), staged_.end());
    index->commit(added);
    staged_.clear();
}

void BatchWriter::cancel() noexcept {
    if (in_txn_) {
        try {
            db.cancel_transaction();
        } catch (...) {  // NOLINT(bugprone-empty-catch): already failing
        }
        in_txn_ = false;
    }
    staged_.clear();  // named by no stub: the next run removes them
    if (index) {
        index->discard();
    }
}

namespace {

// The article terms of the articles read from standard input before (to
// tell added from updated when the input comes in several parts).
std::set<std::string> stdin_articles(const Xapian::Database& db, const std::string& fterm,
                                     const std::function<bool(Xapian::docid)>& hidden = {}) {
    std::set<std::string> out;
    for (auto it = db.postlist_begin(fterm); it != db.postlist_end(fterm); ++it) {
        if (hidden && hidden(*it)) {
            continue;
        }
        if (auto rec = index::load(db.get_document(*it)); rec && rec->passage == 1) {
            out.insert(index::needs_article(*rec) ? index::article_term_of_ref(rec->article)
                                                  : index::article_term(rec->article));
        }
    }
    return out;
}

}  // namespace

std::size_t BatchWriter::write(const Job& job, JobResult& r, IndexReport& rep) {
    if (r.failure) {
        ++rep.failed;
        rep.errors.push_back({job.file.path, *r.failure});
        if (!r.first && !r.feed && !job.stdin_input) {
            begin();  // the parts written of a file that failed on the way: a file is whole or absent
            drop(index::file_term(job.file.path));
        }
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
        set_metadata(index::stamp_key(job.file.path), r.stamp.str());  // touched, same content
        ++rep.unchanged;
        return 0;
    }
    // Standard input has no stamp: whether its articles are new or updated
    // is whether the index holds them already.
    std::size_t stdin_known = 0;
    std::size_t begun = 0;
    if (job.stdin_input && !r.feed) {
        if (r.first) {
            stdin_known_.clear();
            if (!r.last) {
                const std::string fterm = index::file_term(job.file.path);
                if (segment_ != 0) {
                    stdin_known_ = stdin_articles(db, fterm);
                }
                if (index) {
                    stdin_known_.merge(stdin_articles(index->committed(), fterm,
                                                      [this](Xapian::docid id) { return index->hidden(id); }));
                }
            }
        }
        for (const auto& a : r.articles) {
            if (a.begins) {
                std::string aterm = index::article_term(a.key);
                stdin_known += (r.first && r.last ? exists(aterm) : stdin_known_.count(aterm) > 0) ? 1 : 0;
            }
        }
    }
    // The times of the passages being replaced: only files and articles
    // indexed before pay for reading them (a new index reads nothing).
    if (r.first) {
        old_times_ = OldTimes{};
        if (!r.feed && (job.had_stamp || stdin_known > 0 || !stdin_known_.empty())) {
            read_old(old_times_, index::file_term(job.file.path));
        }
    }
    // Always clear the file's old documents: after a crash they may be
    // there without a stamp. A feed's items replace only themselves.
    if (!r.feed && r.first) {
        drop(index::file_term(job.file.path));
        drop(index::article_term(job.file.path));
    }
    const std::string fterm = index::file_term(job.file.path);
    std::size_t n = 0;
    for (auto& a : r.articles) {
        begun += a.begins ? 1 : 0;
        OldTimes old_item;
        if (r.feed && a.begins) {
            std::string aterm = index::article_term(a.key);
            const bool known = exists(aterm);
            if (!a.docs.empty()) {
                ++(known ? rep.updated : rep.added);
            }
            if (known) {
                read_old(old_item, aterm);
                drop(aterm);
            }
        }
        if (a.docs.empty()) {
            continue;
        }
        const auto versions = version_terms(fterm, index::article_term(a.key));
        for (auto& d : a.docs) {
            add(d, r.feed ? old_item : old_times_, versions);
            ++n;
        }
    }
    for (const auto& [w, c] : r.spellings) {
        db.add_spelling(w, c);
    }
    if (!job.stdin_input && r.last) {
        set_metadata(index::stamp_key(job.file.path), r.stamp.str());
    }
    if (job.stdin_input && !r.feed) {
        rep.updated += stdin_known;
        rep.added += begun - stdin_known;
    } else if (!r.feed) {
        (job.had_stamp ? rep.updated : rep.added) += begun;
    }
    rep.passages += n;
    in_batch_ += n;
    return n;
}

bool BatchWriter::fresh() {
    if (index) {
        return index->committed().get_doccount() == 0
               && !index->has_metadata_prefix(std::string(index::meta::file_stamp));
    }
    return db.get_doccount() == 0 && !has_stamps(db);
}

void BatchWriter::prune(const std::vector<std::string>& roots, IndexReport& rep) {
    std::vector<GoneFile> gone = gone_files(committed(), roots);
    if (gone.empty()) {
        return;
    }
    begin();
    for (const GoneFile& g : gone) {
        const std::string p = index::stamp_path(g.key);
        drop(index::file_term(p));
        drop(index::article_term(p));
        set_metadata(g.key, "");
        rep.removed += std::max<std::size_t>(1, g.stamp.articles);
    }
}

namespace {

// Thrown to a worker waiting to hand over a part when the run stops.
struct Stopped {};

// Parts of results (of files after the one being written) waiting for the
// writer: with the parts of the file being written (at most 2 waiting),
// this bounds the documents in memory whatever the files' sizes.
constexpr std::size_t max_parts_waiting = 4;

}  // namespace

void BatchWriter::run_batch(std::vector<Job>& jobs, const IndexOptions& opt, IndexReport& rep, Clock::time_point t0) {
    unsigned n_workers = opt.jobs > 0 ? opt.jobs : std::max(1U, std::thread::hardware_concurrency());
    const std::size_t window = 4 * static_cast<std::size_t>(n_workers);
    std::vector<std::deque<JobResult>> queues(jobs.size());
    std::mutex mu;
    std::condition_variable cv;
    std::size_t written = 0;  // files written whole
    std::size_t waiting = 0;  // parts in the queues
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
            if (stop || cancelled(opt)) {
                return;
            }
            Emit emit = [&, i](JobResult&& r) {
                std::unique_lock lk(mu);
                cv.wait(lk, [&] {
                    return stop.load() || (queues[i].size() < 2 && (i == written || waiting < max_parts_waiting));
                });
                if (stop) {
                    throw Stopped{};
                }
                queues[i].push_back(std::move(r));
                ++waiting;
                cv.notify_all();
            };
            try {
                w.run(jobs[i], opt, emit);
            } catch (const Stopped&) {
                return;
            }
        }
    };
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < n_workers && t < jobs.size(); ++t) {
        threads.emplace_back(work);
    }
    auto finish = [&] {
        {
            std::lock_guard lk(mu);
            stop = true;
        }
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
            bool started = false;  // a part of this file is written
            bool feed = false;
            for (;;) {
                JobResult r;
                {
                    std::unique_lock lk(mu);
                    // Stop between parts; while waiting for one, wake up now
                    // and then to see the flag (a cancelled worker hands nothing over).
                    for (;;) {
                        if (cancelled(opt)) {
                            rep.interrupted = true;
                            break;
                        }
                        if (!queues[i].empty()) {
                            break;
                        }
                        cv.wait_for(lk, std::chrono::milliseconds(50));
                    }
                    if (rep.interrupted) {
                        break;
                    }
                    r = std::move(queues[i].front());
                    queues[i].pop_front();
                    --waiting;
                    cv.notify_all();
                }
                write(jobs[i], r, rep);
                started = started || !r.failure;
                feed = r.feed;
                if (in_batch_ >= opt.flush_passages) {
                    commit_batch();
                }
                if (r.last) {
                    break;
                }
            }
            if (rep.interrupted) {
                // A file cut short leaves nothing of it: the next run indexes it whole.
                if (started && !feed && !jobs[i].stdin_input) {
                    drop(index::file_term(jobs[i].file.path));
                }
                break;
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

}  // namespace lede::indexer
