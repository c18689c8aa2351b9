// lede::Searcher: the search pipeline, one short step per stage:
//
//   parse (parse.hpp) → build, with expansion from the index (build.hpp,
//   expand.hpp) → gather Xapian's BM25 candidates, checked on their text when
//   the query holds a phrase, NEAR or ADJ (verify.hpp), and matched word by
//   word (match.hpp) → rerank (rank.hpp) → with --expand, feedback terms
//   from the best passages and a second gather and rerank (rank.hpp) → page:
//   per-article cap, near copies folded (copies.hpp), stored records
//   completed, highlights and snippets (snippet.hpp) → hits; spelling
//   correction (expand.hpp) and a second run when nothing matches.
#include <xapian.h>

#include <lede/search.hpp>
#include <lede/version.hpp>

#include "analysis/analyzer.hpp"
#include "analysis/sketch.hpp"
#include "analysis/terms.hpp"
#include "index/database.hpp"
#include "index/mapped.hpp"
#include "index/record.hpp"
#include "index/schema.hpp"
#include "index/segments.hpp"
#include "query/alerts.hpp"
#include "query/build.hpp"
#include "query/copies.hpp"
#include "query/expand.hpp"
#include "query/parse.hpp"
#include "query/rank.hpp"
#include "query/snippet.hpp"
#include "query/tally.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace lede {
namespace {

// The hidden documents of a local index as one posting list per database
// (by its UUID): what the AND_NOT of a search excludes, without opening the
// posting list of every deleted version term in every segment at every
// search (docs/BENCHMARKS.md "A month of daily updates"). Not for remote
// shards (xapian-tcpsrv cannot run it): they get the terms.
class HiddenDocs : public Xapian::PostingSource {
public:
    using Lists = std::unordered_map<std::string, std::vector<Xapian::docid>>;
    explicit HiddenDocs(std::shared_ptr<const Lists> lists) : lists_(std::move(lists)) {}
    [[nodiscard]] HiddenDocs* clone() const override { return new HiddenDocs(lists_); }
    void init(const Xapian::Database& db) override {
        auto it = lists_->find(db.get_uuid());
        ids_ = it == lists_->end() ? nullptr : &it->second;
        pos_ = 0;
        started_ = false;
        const Xapian::doccount n = ids_ == nullptr ? 0 : static_cast<Xapian::doccount>(ids_->size());
        set_maxweight(0);
        termfreq_ = n;
    }
    [[nodiscard]] Xapian::doccount get_termfreq_min() const override { return termfreq_; }
    [[nodiscard]] Xapian::doccount get_termfreq_est() const override { return termfreq_; }
    [[nodiscard]] Xapian::doccount get_termfreq_max() const override { return termfreq_; }
    void next(double /*min_wt*/) override {
        if (started_) {
            ++pos_;
        }
        started_ = true;
    }
    void skip_to(Xapian::docid did, double /*min_wt*/) override {
        started_ = true;
        if (ids_ != nullptr) {
            pos_ = static_cast<std::size_t>(
                std::lower_bound(ids_->begin() + static_cast<std::ptrdiff_t>(pos_), ids_->end(), did) - ids_->begin());
        }
    }
    [[nodiscard]] bool at_end() const override { return ids_ == nullptr || pos_ >= ids_->size(); }
    [[nodiscard]] Xapian::docid get_docid() const override { return (*ids_)[pos_]; }

private:
    std::shared_ptr<const Lists> lists_;
    const std::vector<Xapian::docid>* ids_ = nullptr;
    std::size_t pos_ = 0;
    bool started_ = false;
    Xapian::doccount termfreq_ = 0;
};

// The hidden passages @p deleted of @p db as a query: HiddenDocs when every
// database of it is local (@p remote: by part) and has its own UUID, else
// the OR of the deleted version terms @p terms.
Xapian::Query hidden_docs_query(const Xapian::Database& db, const std::vector<bool>& remote,
                                const index::segments::Deleted& deleted, const std::vector<std::string>& terms) {
    if (terms.empty() || deleted.empty()) {
        return index::segments::hidden_query(terms);
    }
    // The UUID of a database of several is theirs, in order, joined by ':'.
    std::vector<std::string> uuids;
    const std::string all = db.get_uuid();
    for (std::size_t start = 0; !all.empty() && start <= all.size();) {
        const std::size_t colon = std::min(all.find(':', start), all.size());
        uuids.push_back(all.substr(start, colon - start));
        start = colon + 1;
    }
    const std::size_t n = uuids.size();
    bool local = n == db.size() && n > 0 && std::find(remote.begin(), remote.end(), true) == remote.end()
                 && std::find(uuids.begin(), uuids.end(), std::string()) == uuids.end();
    if (local) {
        std::vector<std::string> sorted = uuids;
        std::sort(sorted.begin(), sorted.end());
        local = std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end();  // copies of one database
    }
    if (!local) {
        return index::segments::hidden_query(terms);
    }
    // Document c of the whole is document (c - 1) / n + 1 of part (c - 1) % n.
    std::vector<std::vector<Xapian::docid>> by_part(n);
    for (Xapian::docid c : deleted.ids()) {
        by_part[(c - 1) % n].push_back((c - 1) / static_cast<Xapian::docid>(n) + 1);
    }
    auto lists = std::make_shared<HiddenDocs::Lists>();
    for (std::size_t k = 0; k < n; ++k) {
        if (!by_part[k].empty()) {
            (*lists)[uuids[k]] = std::move(by_part[k]);
        }
    }
    return Xapian::Query((new HiddenDocs(std::move(lists)))->release());
}

// A slot_indexed value as a time (the epoch when there is none).
std::chrono::system_clock::time_point indexed_time(const std::string& value) {
    if (value.empty()) {
        return {};
    }
    return query::from_ms(static_cast<std::int64_t>(Xapian::sortable_unserialise(value)));
}

Hit to_hit(index::PassageRecord&& rec) {
    Hit h;
    h.path = std::move(rec.path);
    h.passage = rec.passage;
    h.start = rec.start;
    h.end = rec.end;
    h.text = std::move(rec.text);
    h.article = std::move(rec.article);
    h.title = std::move(rec.title);
    h.date = std::move(rec.date);
    h.source = std::move(rec.source);
    h.url = std::move(rec.url);
    return h;
}

Copy to_copy(const index::PassageRecord& rec) {
    return Copy{rec.path, rec.passage, rec.article, rec.title, rec.date, rec.source, rec.url};
}

// Xapian's candidates for one query, in BM25 order, with their stored records.
struct Gathered {
    std::vector<query::Candidate> cands;
    std::vector<index::PassageRecord> recs;  // by Candidate::order
    std::vector<std::string> indexed;        // by Candidate::order: the slot_indexed value, when read
    std::vector<Xapian::docid> ids;          // by Candidate::order
    std::size_t examined = 0;                // candidates checked on their text
    std::vector<std::string> dates;          // --sort: each candidate's first day (slot_date), by order
    bool exhausted = false;                  // Xapian has no more
    // The exact number of Xapian's matches of the query, when the first
    // match of collect() counted them all (count_total needs no second match).
    std::optional<Xapian::doccount> matches;
    // The bounds of the matches from the first match of collect() (by
    // relevance only), for a total not counted on its own.
    std::optional<std::pair<Xapian::doccount, Xapian::doccount>> bounds;
    // The passages that hold the query's variant terms (BuiltQuery::
    // variants), from the first match's statistics: what a count with
    // their AND_NOT would read (count_total()).
    Xapian::doccount variant_postings = 0;
    // The tokens of the matched candidates (within the rerank depth), by
    // Candidate::order, when kept for feedback.
    std::vector<std::vector<analysis::Token>> toks;
    // The near-copy sketches, by Candidate::order (none: not read with --all-copies).
    std::vector<std::optional<analysis::Sketch>> sketches;
    // The candidates (by Candidate::order) whose sketch read_sketches() reads
    // at the end of the gather, in docid order, from one value stream per
    // database rather than one B-tree lookup per candidate.
    std::vector<std::size_t> unread;
    // --expand's second gather: the first gather (from), and its candidates
    // by docid (seen: their index in from->cands), whose record, tokens and
    // matches are taken from there, not read and analysed again.
    Gathered* from = nullptr;
    std::unordered_map<Xapian::docid, std::size_t> seen;
};

}  // namespace

struct Searcher::Impl {
    std::string path;  // for messages: the shards, comma-separated
    Xapian::Database db;
    analysis::Analyzer analyzer;
    analysis::TermMaker terms;
    query::RankParams rank;
    query::MatchCache match_cache;
    std::vector<std::string> warnings;    // Searcher::warnings(): skipped shards, other analysis settings
    std::vector<std::string> skipped;     // skipped shards: every search's results are partial
    std::vector<Xapian::Database> parts;  // each index of db, in subdatabase order (alerts' windows)
    std::vector<bool> remote_part;        // by part: served over the network (documents come with their values)
    // Each single database of db, in subdatabase order (a segmented index's
    // metadata database and segments), for reads that need one segment only.
    std::vector<Xapian::Database> singles;
    // Where the deletion records are read: each part, except that the parts
    // of a segmented index are all the index itself, read once.
    std::vector<Xapian::Database> deletion_parts;
    // The shards whose databases may change under the same name (all but the
    // segmented local ones, whose commit point is their stub): refresh()
    // reopens these only.
    std::vector<Xapian::Database> reopened;
    query::TimeFilter time_filter;  // this search's --indexed-since / --since-last
    bool fold_copies = true;        // this search folds near copies (not --all-copies)
    bool expanded = false;          // this search's query got feedback terms (wants_feedback)
    bool named = false;             // ... for a subject that passages name: on the candidates (wants_feedback)
    bool in_place = false;          // the candidates were reranked with that feedback (ranking())
    std::size_t named_held = 0;     // the candidates naming the query (wants_feedback)
    // The article fields of a later passage come from the article's first
    // passage (the lowest document id of its article term), once per search.
    std::unordered_map<std::string, index::PassageRecord> articles;
    // The order of the search under way (SearchOptions::sort).
    SortOrder sort = SortOrder::relevance;

    // The passages the indexes hide (segmented indexes' deletion records,
    // index/segments.hpp): every match excludes them, every direct read of
    // postings skips their documents.
    Xapian::Query hidden;
    index::segments::Deleted deleted;
    // The shards as given, and the commit point of each segmented one as last
    // seen: a new commit there is a new stub, read by opening again.
    std::vector<std::string> shard_paths;
    OpenOptions open_options;
    std::vector<std::pair<std::string, std::string>> stubs;  // stub file, its identity
    // The segmented indexes' files, read through memory maps (OpenOptions::map_files).
    std::vector<index::mapped::Registration> mapped;

    // Candidates checked at most for a page of a phrase query, unless the
    // page itself is larger (--count, -l).
    static constexpr std::size_t check_candidates = 100000;

    Impl(const std::vector<std::string>& shards, const OpenOptions& opt)
        : rank(query::RankParams::parse(opt.ranking)), shard_paths(shards), open_options(opt) {
        if (shards.empty()) {
            throw Error(ErrorKind::invalid_argument, "no index given");
        }
        index::check_distinct(shards, "searching");
        for (const auto& s : shards) {
            path += (path.empty() ? "" : ",") + s;
        }
        open_all();
    }

    // The identity of a file: a stub is replaced by rename, never edited.
    static std::string identity(const std::string& file) {
        struct stat st {};
        if (::stat(file.c_str(), &st) != 0) {
            return {};
        }
        return std::to_string(st.st_ino) + ":" + std::to_string(st.st_mtim.tv_sec) + "."
               + std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_size);
    }

    void open_all() {
        // The files of the databases opened before stay registered until
        // the new ones are (a segment both name is never unregistered).
        const std::vector<index::mapped::Registration> before = std::move(mapped);
        mapped.clear();
        db = Xapian::Database();
        warnings.clear();
        skipped.clear();
        parts.clear();
        remote_part.clear();
        singles.clear();
        deletion_parts.clear();
        reopened.clear();
        stubs.clear();
        for (const auto& s : shard_paths) {
            if (!s.starts_with("tcp://") && index::segments::is_segmented(s)) {
                std::string stub = s + "/" + index::segments::stub_name;
                stubs.emplace_back(stub, identity(stub));
            }
            open_shard(s, open_options);
        }
        if (db.size() == 0) {
            throw Error(ErrorKind::network, "opening " + path + ": no shard could be opened");
        }
        try {
            const std::vector<std::string> hidden_list = index::hidden_terms(deletion_parts);
            deleted = singles.size() == db.size() ? index::segments::Deleted(singles, remote_part, hidden_list)
                                                  : index::segments::Deleted(db, hidden_list);
            hidden = hidden_docs_query(db, remote_part, deleted, hidden_list);
        } catch (...) {
            index::rethrow_as_lede("opening index at " + path);
        }
    }

    // See the latest commit: a segmented index that committed since has a
    // new stub, and is opened again; its databases never change once a stub
    // names them (docs/ARCHITECTURE.md), so only the other shards are
    // reopened (Xapian reads the version file of each database it reopens:
    // four system calls per segment and search).
    void refresh() {
        for (const auto& [stub, id] : stubs) {
            if (identity(stub) != id) {
                open_all();
                return;
            }
        }
        for (auto& shard : reopened) {
            shard.reopen();  // shares its databases with db
        }
    }

    // @p q without the hidden passages.
    Xapian::Query visible(const Xapian::Query& q) const {
        return hidden.empty() || q.empty() ? q : Xapian::Query(Xapian::Query::OP_AND_NOT, q, hidden);
    }

    void open_shard(const std::string& s, const OpenOptions& opt) {
        try {
            if (opt.map_files && !s.starts_with("tcp://")) {
                mapped.push_back(index::mapped::register_index(s));
            }
            std::vector<Xapian::Database> shard_parts;
            std::vector<Xapian::Database> shard_singles;
            Xapian::Database shard = index::open_for_reading(s, opt.remote_timeout_ms, &shard_parts, &shard_singles);
            if (std::string w = index::analysis_warning(shard, s); !w.empty()) {
                warnings.push_back(std::move(w));
            }
            db.add_database(shard);
            const bool segmented = !s.starts_with("tcp://") && index::segments::is_segmented(s);
            if (segmented) {
                deletion_parts.push_back(shard);  // its parts are copies of it (open_for_reading)
            } else {
                deletion_parts.insert(deletion_parts.end(), shard_parts.begin(), shard_parts.end());
            }
            for (auto& p : shard_parts) {
                remote_part.push_back(p.get_description().find("RemoteDatabase") != std::string::npos);
                parts.push_back(std::move(p));
            }
            for (auto& one : shard_singles) {
                singles.push_back(std::move(one));
            }
            if (s.starts_with("tcp://") || !index::segments::is_segmented(s)) {
                reopened.push_back(shard);
            }
        } catch (const Error& e) {
            if (!opt.allow_partial || e.kind() == ErrorKind::invalid_argument) {
                throw;
            }
            skipped.push_back(std::string("skipped shard: ") + e.what());
            warnings.push_back(skipped.back());
        }
    }

    // After Xapian's "Database has no termlist" from a remote shard: the first
    // tcp:// shard that cannot send a passage (stock xapian-tcpsrv sends a
    // document's values from its term list, which lede leaves out unless the
    // index is remote-ready; index/segments.hpp), as a clear error; else nothing.
    void check_remote_termlists() const {
        for (const auto& s : shard_paths) {
            if (!s.starts_with("tcp://")) {
                continue;
            }
            try {
                Xapian::Database one = index::open_for_reading(s, open_options.remote_timeout_ms);
                auto it = one.postlist_begin("");
                if (it != one.postlist_end("")) {
                    (void)one.get_document(*it).get_data();
                }
            } catch (const Xapian::Error& e) {
                if (e.get_msg().find("has no termlist") != std::string::npos) {
                    throw Error(ErrorKind::index_version,
                                s + ": this index has no term lists, which xapian-tcpsrv needs to send passages; "
                                    "serve one built with `lede index --remote-ready`, or a copy made with "
                                    "`lede compact --remote-ready`");
                }
            } catch (...) {  // NOLINT(bugprone-empty-catch): not this error; the original is reported
            }
        }
    }

    template <typename F>
    auto retrying(F&& f) {
        return index::retry_reads(db, "reading index at " + path, f, [this] { articles.clear(); });
    }

    query::BuiltQuery build(const query::Node& ast, bool exact, const std::string& working_dir = {}) {
        query::BuildOptions o;
        o.all_exact = exact;
        o.working_dir = working_dir;
        o.weights = rank.words;
        o.expand = [this](const std::string& p) { return query::expand_prefix(db, p); };
        o.files_under = [this](const std::string& p) { return query::files_under(db, p); };
        o.files_under_resolved = [this](const std::string& p) { return query::files_under_resolved(db, p); };
        o.termfreq = [this](const std::string& t) { return db.get_termfreq(t); };
        query::BuiltQuery built = query::build(ast, analyzer, terms, o);
        for (Xapian::Query* q : {&built.query, &built.count_query}) {
            if (time_filter.active() && !q->empty()) {
                *q = Xapian::Query(Xapian::Query::OP_FILTER, *q, time_filter.query());
            }
            *q = visible(*q);
        }
        return built;
    }

    // Whether candidates are checked one by one (and may be rejected): on
    // their text for phrases, NEAR and ADJ; against their own index's
    // window for an alert over indexes at different checkpoints.
    bool checks(const query::BuiltQuery& built) const { return built.check.positional() || time_filter.per_part(); }

    index::PassageRecord record(const Xapian::Document& doc, Xapian::docid id) {
        auto rec = index::load(doc);
        if (!rec) {
            throw Xapian::DatabaseCorruptError("passage " + std::to_string(id) + " has unreadable data");
        }
        return std::move(*rec);
    }

    // The article fields of passage @p rec (document @p id) from its
    // article's first passage: looked for first in the database that holds
    // it (a version of an article is written into one segment, and merges
    // keep its passages together), which spares a posting-list lookup in
    // every other segment; then in all of them.
    void complete(index::PassageRecord& rec, Xapian::docid id) {
        if (!index::needs_article(rec)) {
            return;
        }
        auto found = articles.find(rec.article);
        if (found == articles.end()) {
            const std::string term = index::article_term_of_ref(rec.article);
            const auto n = static_cast<Xapian::docid>(db.size());
            if (n > 1 && singles.size() == n && id > 0 && !remote_part[(id - 1) % n]) {
                const Xapian::docid k = (id - 1) % n;
                const Xapian::Database& one = singles[k];
                for (auto it = one.postlist_begin(term); it != one.postlist_end(term); ++it) {
                    const Xapian::docid whole = (*it - 1) * n + k + 1;
                    if (deleted.contains(whole)) {
                        continue;  // an old version of the article
                    }
                    index::PassageRecord first = record(one.get_document(*it), whole);
                    if (!index::needs_article(first)) {
                        found = articles.emplace(rec.article, std::move(first)).first;
                        break;
                    }
                }
            }
            if (found == articles.end()) {
                for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
                    if (deleted.contains(*it)) {
                        continue;  // an old version of the article
                    }
                    index::PassageRecord first = record(db.get_document(*it), *it);
                    if (!index::needs_article(first)) {
                        found = articles.emplace(rec.article, std::move(first)).first;
                        break;
                    }
                }
            }
            if (found == articles.end()) {
                // Also what a revision that a writer is overwriting can look
                // like: retry_reads() retries it, and reports damage when it
                // persists.
                throw Xapian::DatabaseCorruptError("the first passage of article " + rec.article + " is missing");
            }
        }
        index::with_article(rec, found->second);
    }

    std::string explanation(const query::Node& ast, const query::BuiltQuery& built) const {
        std::string e = "parsed:   " + ast.describe() + "\nsearched: " + built.query.get_description();
        for (const auto& leaf : built.matcher.describe()) {
            e += "\nleaf:     " + leaf;
        }
        if (built.check.positional()) {
            e += "\nchecked:  phrases, NEAR and ADJ on each candidate's text (no positions are indexed)";
        }
        char buf[200];
        std::snprintf(buf, sizeof buf,
                      "\nranking:  BM25(k1=%.2f, b=%.2f)/best + %.2f*coverage + %.2f*proximity*coverage"
                      " + %.2f*article + %.2f*form",
                      rank.k1, rank.b, rank.coverage, rank.proximity, rank.article, rank.form);
        return e + buf;
    }

    // One candidate from Xapian's match, or nothing when the check rejects it.
    // Within the rerank depth its matches are computed (toks: its tokens when
    // checked), and its tokens kept when @p keep_tokens (for feedback and for
    // the copy check).
    bool take(const Xapian::MSetIterator& it, const query::BuiltQuery& built, bool check, bool keep_tokens,
              std::vector<analysis::Token>& toks, Gathered& g) {
        const Xapian::docid id = *it;
        if (g.from != nullptr) {
            if (auto found = g.seen.find(id); found != g.seen.end()) {
                const query::Candidate& f = g.from->cands[found->second];
                // Accepted by the first gather, with the same checks: the
                // same record, and its tokens and matches when it was matched.
                const bool matched = g.recs.size() < rank.depth || sort != SortOrder::relevance;
                if (!matched || (f.matched && (!keep_tokens || f.order < g.from->toks.size()))) {
                    g.examined += check ? 1 : 0;
                    take_seen(it, found->second, keep_tokens, g);
                    return true;
                }
            }
        }
        Xapian::Document doc = it.get_document();
        // The indexed time: read now for an alert's per-index check, or when
        // it came with a remote document anyway; else for the hits only (make_hit).
        std::string indexed;
        if (time_filter.per_part() || remote_part[(id - 1) % remote_part.size()]) {
            indexed = doc.get_value(index::slot_indexed);
        }
        g.examined += check ? 1 : 0;
        if (time_filter.per_part() && !time_filter.admits(id, indexed)) {
            return false;
        }
        index::PassageRecord rec = record(doc, *it);
        toks.clear();
        if (check && built.check.positional()) {
            analyzer.tokenize(rec.text, toks);
            if (query::evaluate(built.check, toks, terms, match_cache) == query::Truth::no) {
                return false;
            }
        }
        query::Candidate c;
        c.bm25 = it.get_weight();
        // The order key (slot_order) as the indexer made it, from the record
        // read anyway: a value read less per candidate.
        c.key = index::needs_article(rec) ? index::order_key_of_ref(rec.article, rec.passage)
                                          : index::order_key(rec.article, rec.passage);
        if (c.key.empty()) {
            c.key = doc.get_value(index::slot_order);
        }
        c.article = index::needs_article(rec) ? rec.article : index::article_ref(rec.article);
        c.passage = rec.passage;
        c.order = g.recs.size();
        if (sort != SortOrder::relevance) {
            g.dates.push_back(doc.get_value(index::slot_date));
        }
        // By date, every candidate is scored alike: relevance orders each day.
        if (g.recs.size() < rank.depth || sort != SortOrder::relevance) {
            if (!check || !built.check.positional()) {
                analyzer.tokenize(rec.text, toks);
            }
            c.matches = built.matcher.match(toks, terms, &match_cache);
            c.matched = true;
            if (keep_tokens) {
                g.toks.push_back(std::move(toks));  // toks is cleared before its next use
            }
        }
        g.cands.push_back(std::move(c));
        g.recs.push_back(std::move(rec));
        // The copy fold compares them; --all-copies does not need them. A
        // remote document came with its values; a local one's sketch is read
        // with the others' (read_sketches()).
        if (fold_copies && remote_part[(id - 1) % remote_part.size()]) {
            g.sketches.push_back(analysis::decode_sketch(doc.get_value(index::slot_sketch)));
        } else {
            g.sketches.emplace_back();
            if (fold_copies) {
                g.unread.push_back(g.recs.size() - 1);
            }
        }
        g.indexed.push_back(std::move(indexed));
        g.ids.push_back(id);
        return true;
    }

    // The sketches of the candidates take() left unread (Gathered::unread):
    // by database, in docid order, along one value stream each; a database
    // that is not one of singles (it cannot be told apart) by document.
    static constexpr std::size_t stream_sketches = 8;  // fewer of one database: read one by one
    void read_sketches(Gathered& g) {
        if (g.unread.empty()) {
            return;
        }
        const auto n = static_cast<Xapian::docid>(db.size());
        if (singles.size() != n) {
            for (std::size_t o : g.unread) {
                g.sketches[o] = analysis::decode_sketch(
                    db.get_document(g.ids[o], Xapian::DOC_ASSUME_VALID).get_value(index::slot_sketch));
            }
            g.unread.clear();
            return;
        }
        std::vector<std::pair<Xapian::docid, std::size_t>> wanted;  // (whole docid, order)
        wanted.reserve(g.unread.size());
        for (std::size_t o : g.unread) {
            wanted.emplace_back(g.ids[o], o);
        }
        // Whole docids of one database are k + 1, k + 1 + n, ...: sorted by
        // (database, docid), each database's run is in its own docid order.
        std::sort(wanted.begin(), wanted.end(), [n](const auto& a, const auto& b) {
            const Xapian::docid ka = (a.first - 1) % n;
            const Xapian::docid kb = (b.first - 1) % n;
            return ka != kb ? ka < kb : a.first < b.first;
        });
        for (std::size_t i = 0; i < wanted.size();) {
            const Xapian::docid k = (wanted[i].first - 1) % n;
            const Xapian::Database& one = singles[k];
            std::size_t run = i;
            while (run < wanted.size() && (wanted[run].first - 1) % n == k) {
                ++run;
            }
            if (run - i < stream_sketches) {
                // Opening a stream reads its first block: for a few, one lookup each.
                for (; i < run; ++i) {
                    const Xapian::docid local = (wanted[i].first - 1) / n + 1;
                    g.sketches[wanted[i].second] = analysis::decode_sketch(
                        one.get_document(local, Xapian::DOC_ASSUME_VALID).get_value(index::slot_sketch));
                }
                continue;
            }
            Xapian::ValueIterator it = one.valuestream_begin(index::slot_sketch);
            const Xapian::ValueIterator end = one.valuestream_end(index::slot_sketch);
            for (; i < wanted.size() && (wanted[i].first - 1) % n == k; ++i) {
                const Xapian::docid local = (wanted[i].first - 1) / n + 1;
                if (it != end) {
                    it.skip_to(local);
                }
                if (it != end && it.get_docid() == local) {
                    g.sketches[wanted[i].second] = analysis::decode_sketch(*it);
                }
            }
        }
        g.unread.clear();
    }

    // take() of the candidate of the first gather (Gathered::from) at @p i
    // of its ranking. Its record, tokens and matches are moved, but for the
    // first RankParams::fb_keep, which keep_first() may still take from there.
    void take_seen(const Xapian::MSetIterator& it, std::size_t i, bool keep_tokens, Gathered& g) const {
        Gathered& from = *g.from;
        query::Candidate& f = from.cands[i];
        const bool move = i >= rank.fb_keep;
        query::Candidate c;
        c.bm25 = it.get_weight();
        c.key = f.key;
        c.article = f.article;
        c.passage = f.passage;
        c.order = g.recs.size();
        if (sort != SortOrder::relevance) {
            g.dates.push_back(from.dates[f.order]);
        }
        if (g.recs.size() < rank.depth || sort != SortOrder::relevance) {
            c.matches = move ? std::move(f.matches) : f.matches;
            c.matched = true;
            if (keep_tokens) {
                g.toks.push_back(move ? std::move(from.toks[f.order]) : from.toks[f.order]);
            }
        }
        g.cands.push_back(std::move(c));
        g.recs.push_back(move ? std::move(from.recs[f.order]) : from.recs[f.order]);
        g.sketches.push_back(from.sketches[f.order]);
        g.indexed.push_back(from.indexed[f.order]);
        g.ids.push_back(from.ids[f.order]);
    }

    // Xapian's best @p fetch candidates for @p q (built.query, or built.query
    // with feedback terms); with a check (phrases, NEAR, ADJ), in growing
    // batches until @p fetch pass it or the budget is spent.
    Gathered gather(const query::BuiltQuery& built, const Xapian::Query& q, std::size_t fetch, bool keep_tokens,
                    SearchResults& res, Gathered g = {}) {
        if (sort == SortOrder::relevance) {
            res.total = collect(built, q, fetch, keep_tokens, false, g);
            read_sketches(g);
            return g;
        }
        // By date: the dated matches by date, then the undated ones by
        // relevance with the tie rule of every layout (oldest first, Xapian
        // would sort a missing value first, and the remote backend of Xapian
        // 1.4 takes no KeyMaker that could say otherwise).
        const Xapian::Query dated(Xapian::Query::OP_VALUE_GE, index::slot_date, "0");
        const Xapian::Query undated(Xapian::Query::OP_AND_NOT, q, dated);
        res.total = collect(built, Xapian::Query(Xapian::Query::OP_FILTER, q, dated), fetch, keep_tokens, true, g);
        const bool stopped = checks(built) && g.examined >= std::max(check_candidates, fetch);
        if (g.exhausted && g.cands.size() < fetch && !stopped) {
            res.total += collect(built, undated, fetch, keep_tokens, false, g);
        } else {
            const std::uint64_t rest = count_matches(undated, estimate_from).estimate;
            res.total += rest;
            g.exhausted = g.exhausted && rest == 0;
        }
        g.matches.reset();  // counted in parts, if at all
        g.bounds.reset();
        read_sketches(g);
        return g;
    }

    // Xapian's candidates for @p q into @p g, until it holds @p fetch (by
    // date: and the whole of its last day); returns Xapian's estimate of the
    // matches.
    Xapian::doccount collect(const query::BuiltQuery& built, const Xapian::Query& q, std::size_t fetch,
                             bool keep_tokens, bool by_date, Gathered& g) {
        Xapian::Enquire enq(db);
        enq.set_query(q);
        enq.set_weighting_scheme(*query::first_stage_weight(rank));
        // Equal weights are ordered by the order key, not by docid, also at
        // the cut of the candidates fetched: every layout gets the same ones.
        enq.set_sort_by_relevance_then_value(index::slot_order, false);
        const bool check = checks(built);
        const std::size_t check_limit = std::max<std::size_t>(check_candidates, fetch);
        // By date: by the first day, then by BM25; whole days are fetched,
        // and ordered by lede's score, so docids order nothing shown.
        if (by_date) {
            enq.set_sort_by_value_then_relevance(index::slot_date, sort == SortOrder::newest);
        }
        std::vector<analysis::Token> toks;
        Xapian::doccount estimate = 0;
        Xapian::doccount start = 0;
        auto batch = static_cast<Xapian::doccount>(std::max<std::size_t>(fetch - std::min(fetch, g.cands.size()), 1));
        std::unordered_set<Xapian::docid> taken;  // of a tie cut at the last batch's end
        const bool sums_vary = sums_may_vary(q);
        for (;;) {
            Xapian::MSet mset;
            Xapian::MSet first;
            std::vector<Xapian::doccount> pick;
            Xapian::doccount next = start + batch;
            if (by_date || !sums_vary) {
                mset = enq.get_mset(start, batch, 100);
                for (Xapian::doccount i = 0; i < mset.size(); ++i) {
                    pick.push_back(i);
                }
            } else {
                mset = tie_cut(enq, start, batch, taken, pick, next, first);
            }
            if (start == 0) {
                // The first match's counts (a run read whole at the cut had a cutoff).
                const Xapian::MSet& m = by_date || !sums_vary ? mset : first;
                estimate = m.get_matches_estimated();
                if (m.get_matches_lower_bound() == m.get_matches_upper_bound()) {
                    g.matches = m.get_matches_lower_bound();
                }
                g.bounds.emplace(m.get_matches_lower_bound(), m.get_matches_upper_bound());
                g.variant_postings = 0;
                for (const std::string& v : built.variants) {
                    g.variant_postings += m.get_termfreq(v);
                }
            }
            for (Xapian::doccount i : pick) {
                take(mset[i], built, check, keep_tokens, toks, g);
            }
            g.exhausted = mset.size() < batch;
            if (by_date) {
                if (g.exhausted || whole_days(g, fetch) || (check && g.examined >= check_limit)) {
                    trim_to_whole_days(g, fetch);
                    return estimate;
                }
            } else if (!check || g.exhausted || g.cands.size() >= fetch || g.examined >= check_limit) {
                return estimate;
            }
            start = next;
            batch = std::min<Xapian::doccount>(batch * 2, 4096);
        }
    }

    // Whether a passage's weight for @p q can differ in the last bits from
    // one database of db to another: Xapian adds the weights of three or more
    // terms in an order it picks per database (two add alike either way), so
    // with one database (one segment, one shard) copies weigh alike and
    // Xapian's order among equal weights is already the tie rule's (a
    // segmented index's meta database holds no passage). (Terms
    // are counted, not weighted leaves: a SYNONYM's two count, so this errs
    // toward the rule's extra reading.)
    bool sums_may_vary(const Xapian::Query& q) const {
        std::size_t holding = db.size();  // databases holding passages (not a segmented index's meta)
        if (singles.size() == db.size()) {
            holding = 0;
            for (std::size_t k = 0; k < singles.size() && holding < 2; ++k) {
                holding += remote_part[k] || singles[k].get_doccount() > 0 ? 1 : 0;
            }
        }
        if (holding < 2) {
            return false;
        }
        std::size_t n = 0;
        for (auto t = q.get_terms_begin(); t != q.get_terms_end() && n < 3; ++t) {
            ++n;
        }
        return n >= 3;
    }

    // Xapian's matches from @p start, @p batch of them to take (@p pick, as
    // positions in the MSet returned), cut by the tie rule of every layout.
    // A passage's weight is a sum whose order Xapian picks per database (by
    // each one's term frequencies), so copies of one passage in different
    // shards differ in the last bits, and Xapian's own order among them is
    // the layout's. So weights are compared as query::tie_weight() rounds
    // them, equal ones ordered by the order key (Xapian's sort key); a run of
    // equal weights at the cut is read whole (one match more, with a weight
    // cutoff just below it) so that the same ones make it in every layout. @p next:
    // where the next batch starts (the start of such a run: @p taken holds
    // those of it taken, skipped then).
    static Xapian::MSet tie_cut(Xapian::Enquire& enq, Xapian::doccount start, Xapian::doccount batch,
                                std::unordered_set<Xapian::docid>& taken, std::vector<Xapian::doccount>& pick,
                                Xapian::doccount& next, Xapian::MSet& first) {
        Xapian::doccount size = batch + 8;  // a few more: whether a run of equal weights goes on past the cut
        first = enq.get_mset(start, size, 100);
        Xapian::MSet mset = first;
        auto tied = [&mset](Xapian::doccount i) { return query::tie_weight(mset[i].get_weight()); };
        if (mset.size() == size && tied(size - 1) == tied(batch - 1)) {
            // The run's end: the matches down to the lowest weight that
            // rounds to the cut's, in one more match (the cutoff lets Xapian
            // skip what cannot reach it).
            const double cut = tied(batch - 1);
            int e = 0;
            std::frexp(cut, &e);
            enq.set_cutoff(0, cut - std::ldexp(1.0, e - 32));
            do {
                size = size * 4;
                mset = enq.get_mset(start, size, 100);
            } while (mset.size() == size);
            enq.set_cutoff(0, 0);
        }
        std::vector<Xapian::doccount> at(mset.size());
        std::vector<double> w(mset.size());
        std::vector<std::string> key(mset.size());
        for (Xapian::doccount i = 0; i < mset.size(); ++i) {
            at[i] = i;
            const Xapian::MSetIterator it = mset[i];
            w[i] = query::tie_weight(it.get_weight());
            key[i] = it.get_sort_key();
        }
        std::stable_sort(at.begin(), at.end(), [&](Xapian::doccount a, Xapian::doccount b) {
            return w[a] != w[b] ? w[a] > w[b] : key[a] < key[b];
        });
        std::vector<Xapian::doccount> run;  // of the weight at the cut, when it goes on past it
        if (mset.size() > batch && w[at[batch]] == w[at[batch - 1]]) {
            for (Xapian::doccount i = 0; i < at.size(); ++i) {
                if (w[at[i]] == w[at[batch - 1]]) {
                    run.push_back(i);
                }
            }
            next = start + run.front();
        }
        std::unordered_set<Xapian::docid> now;
        for (Xapian::doccount i = 0; i < at.size() && pick.size() < batch; ++i) {
            const Xapian::docid id = *mset[at[i]];
            if (taken.count(id) == 0) {
                pick.push_back(at[i]);
                if (!run.empty() && i >= run.front()) {
                    now.insert(id);
                }
            }
        }
        if (!run.empty()) {
            taken.insert(now.begin(), now.end());
        } else {
            taken.clear();
        }
        return mset;
    }

    // Most passages of one day fetched beyond a page, by date, for the
    // relevance order within the page's last day.
    static constexpr std::size_t max_day_extra = 10000;

    // By date: whether the candidates hold @p fetch and the whole of the last
    // day among them (so that any layout of shards gives the same set). Past
    // the dated ones, Xapian's relevance order stands.
    static bool whole_days(const Gathered& g, std::size_t fetch) {
        if (g.cands.size() < fetch) {
            return false;
        }
        const std::string& boundary = g.dates[fetch - 1];
        return boundary.empty() || g.dates.back() != boundary || g.cands.size() >= fetch + max_day_extra;
    }

    // Drop the candidates past the last whole day.
    static void trim_to_whole_days(Gathered& g, std::size_t fetch) {
        if (g.cands.size() <= fetch) {
            return;
        }
        const std::string& boundary = g.dates[fetch - 1];
        std::size_t keep = fetch;
        while (keep < g.cands.size() && !boundary.empty() && g.dates[keep] == boundary) {
            ++keep;
        }
        g.cands.resize(keep);
    }

    // By date: the reranked candidates in date order, the best first within a
    // day, undated last (rerank() broke ties by article and passage).
    void sort_by_date(Gathered& g) const {
        const bool newest = sort == SortOrder::newest;
        std::stable_sort(g.cands.begin(), g.cands.end(), [&](const query::Candidate& a, const query::Candidate& b) {
            const std::string& x = g.dates[a.order];
            const std::string& y = g.dates[b.order];
            if (x.empty() || y.empty()) {
                return !x.empty() && y.empty();
            }
            return newest ? x > y : x < y;
        });
    }

    // Matches Xapian counts one by one for SearchResults::total (beyond, it
    // estimates, within bounds), and candidates of a phrase, NEAR or ADJ
    // checked on their text to count them (beyond, the rate seen estimates).
    static constexpr Xapian::doccount count_limit = 5000000;
    static constexpr std::size_t count_checks = 4000;

    // Matches an estimate of SearchResults::total counts in each database
    // (without SearchOptions::exact_total) before Xapian estimates the rest.
    static constexpr Xapian::doccount estimate_from = 100;

    // Variant postings a database from which an estimated count is made
    // with BuiltQuery::count_query (count_total()).
    static constexpr Xapian::doccount variant_scan = 256;

    // Xapian's count of the matches of @p q (BoolWeight), estimated beyond
    // @p check matches: lower bound, estimate, upper bound.
    struct Count {
        std::uint64_t lower = 0;
        std::uint64_t estimate = 0;
        std::uint64_t upper = 0;
    };

    // Count @p q's matches in each single database alone (a segmented
    // index's segments; its metadata database holds no document) and add
    // them up. Xapian 1.4 stops an unweighted count after @p check matches
    // and estimates the rest only in a match over one database (multimatch.cc:
    // "if (leaves.size() == 1) break;"); over several it reads every posting.
    // A segmented index is always several, so its estimate read every
    // match: 31 % of xl's bench mix (docs/BENCHMARKS.md, round 7). The
    // singles hold disjoint documents, so the sums of their bounds bound the
    // whole; the hidden passages are excluded in each (HiddenDocs finds its
    // list by the single's UUID; version terms live in the segment that
    // holds their passages). With @p check at least a database's size the
    // count is exact, as before. At most @p budget matches are counted one
    // by one over all the databases (beyond, Xapian estimates). Remote
    // shards, and databases not told apart, are counted as one match over
    // the whole.
    //
    // In one database, @p same_set (BuiltQuery::count_query: the same
    // matches as @p q, when not empty) counts, and gives the same figures
    // as a count of @p q: below the check it counted them all; at the check
    // Xapian stopped, and its figures are @p q's postlist tree's estimate,
    // lower and upper bound, raised to the matches seen (multimatch.cc),
    // which a match of @p q that checks nothing gives without reading a
    // posting. A word's `Vkey AND_NOT forms` reads the variant's postings to
    // its end to find a next match that is rarely there: 11 % of
    // `government` on xl (docs/BENCHMARKS.md, round 8).
    Count count_matches(const Xapian::Query& q, Xapian::doccount check,
                        Xapian::doccount budget = std::numeric_limits<Xapian::doccount>::max(),
                        const Xapian::Query& same_set = {}) const {
        Count c;
        const bool local = std::find(remote_part.begin(), remote_part.end(), true) == remote_part.end();
        const bool alone = singles.size() == db.size() && singles.size() > 1 && local;
        auto add = [&c, check, &budget, &q, &same_set](const Xapian::Database& d, bool one) {
            const Xapian::doccount n = d.get_doccount();
            if (n == 0) {
                return;
            }
            // One more than it holds: all counted, the count is exact
            // (Xapian checks at most n: then n matches are estimated).
            const Xapian::doccount at_least = std::min({check, n + 1, budget});
            Xapian::Enquire enq(d);
            enq.set_weighting_scheme(Xapian::BoolWeight());
            const bool cheaper = one && !same_set.empty();
            enq.set_query(cheaper ? same_set : q);
            const Xapian::MSet m = enq.get_mset(0, 0, at_least);
            Xapian::doccount lower = m.get_matches_lower_bound();
            Xapian::doccount estimate = m.get_matches_estimated();
            Xapian::doccount upper = m.get_matches_upper_bound();
            const Xapian::doccount checked = std::min(at_least, n);
            if (cheaper && lower >= checked) {
                enq.set_query(q);
                const Xapian::MSet tree = enq.get_mset(0, 0, Xapian::doccount{0});
                lower = std::max(tree.get_matches_lower_bound(), checked);
                estimate = std::max(tree.get_matches_estimated(), checked);
                upper = tree.get_matches_upper_bound();
            }
            c.lower += lower;
            c.estimate += estimate;
            c.upper += upper;
            budget -= std::min(budget, lower);
        };
        if (!alone) {
            add(db, db.size() == 1 && local);
            return c;
        }
        for (const Xapian::Database& one : singles) {
            add(one, true);
        }
        return c;
    }

    // At most count_checks candidates of @p built (of about @p candidates)
    // checked on their text: every one when they are few, else every k-th in
    // document order, spread over the index (a sample independent of the
    // ranking and the page size). How many were checked, how many passed.
    std::pair<std::size_t, std::size_t> check_sample(const query::BuiltQuery& built, std::uint64_t candidates) {
        const std::uint64_t span = std::min<std::uint64_t>(candidates, 50 * std::uint64_t{count_checks});
        const std::uint64_t stride = std::max<std::uint64_t>(1, (span + count_checks - 1) / count_checks);
        Xapian::Enquire enq(db);
        enq.set_query(built.query);
        enq.set_weighting_scheme(Xapian::BoolWeight());
        enq.set_docid_order(Xapian::Enquire::ASCENDING);
        Xapian::MSet m = enq.get_mset(0, static_cast<Xapian::doccount>(std::max<std::uint64_t>(span, count_checks)));
        std::vector<analysis::Token> toks;
        std::size_t checked = 0;
        std::size_t passed = 0;
        for (Xapian::doccount i = 0; i < m.size(); i += static_cast<Xapian::doccount>(stride)) {
            auto rec = index::load(m[i].get_document());
            if (!rec) {
                continue;
            }
            ++checked;
            toks.clear();
            analyzer.tokenize(rec->text, toks);
            passed += query::evaluate(built.check, toks, terms, match_cache) == query::Truth::no ? 0 : 1;
        }
        return {checked, passed};
    }

    // SearchResults::total and its bounds, whatever the page size: Xapian's
    // count of the matches (exact up to count_limit); with a check, the
    // candidates that pass it (exact when gather() or check_sample() saw
    // them all, else estimated from the rate of the larger sample).
    // Without SearchOptions::exact_total: Xapian's estimate from 100 matches
    // counted and the candidates the page checked, within their bounds.
    // With @p ranked (SearchOptions::count_total off), and not @p exact: the
    // ranked match's estimate and bounds stand, no match of its own.
    void count_total(const query::BuiltQuery& built, const Gathered& g, std::size_t want, bool exact, bool ranked,
                     SearchResults& res) {
        std::uint64_t lo = 0;
        std::uint64_t hi = 0;
        if (g.matches) {
            // The ranked match counted them all: a second match would count the same.
            lo = hi = res.total = *g.matches;
        } else if (ranked && !exact && g.bounds) {
            lo = g.bounds->first;  // res.total: the ranked match's estimate, from gather()
            hi = g.bounds->second;
        } else {
            // The count query's own tree costs a set-up (~50 k instructions
            // a database) when a database has over estimate_from matches, as
            // the ranked query's tree is still needed for the estimate:
            // worth it where the variants' AND_NOT would read many postings
            // (`government` on SOTU: 600 a segment), or where the count
            // reads every match anyway (under estimate_from a database).
            const std::uint64_t dbs = std::max<std::size_t>(singles.size(), 1);
            const bool cheaper = exact || g.variant_postings >= variant_scan * dbs || res.total < estimate_from * dbs;
            const Xapian::Query none;
            const Xapian::Query& same_set = cheaper ? built.count_query : none;
            const Count c = exact ? count_matches(built.query, count_limit, count_limit, same_set)
                                  : count_matches(built.query, estimate_from,
                                                  std::numeric_limits<Xapian::doccount>::max(), same_set);
            lo = c.lower;
            hi = c.upper;
            res.total = c.estimate;
        }
        res.total_min = lo;
        res.total_max = hi;
        if (checks(built)) {
            if (g.exhausted) {
                res.total = res.total_min = res.total_max = g.cands.size();
            } else {
                std::size_t checked = g.examined;
                std::size_t passed = g.cands.size();
                if (exact && checked < count_checks) {
                    std::tie(checked, passed) = check_sample(built, hi);
                }
                if (lo == hi && checked >= lo) {
                    res.total = res.total_min = res.total_max = passed;  // every candidate checked
                } else {
                    const double rate =
                        static_cast<double>(passed) / static_cast<double>(std::max<std::size_t>(checked, 1));
                    const std::uint64_t rejected = checked - passed;
                    res.total_min = std::max<std::uint64_t>(passed, g.cands.size());
                    res.total_max = std::max(res.total_min, hi > rejected ? hi - rejected : 0);
                    res.total = std::clamp<std::uint64_t>(
                        static_cast<std::uint64_t>(static_cast<double>(res.total) * rate + 0.5), res.total_min,
                        res.total_max);
                }
            }
            estimate_total(g, want, res);
        }
        res.total_exact = res.total_min == res.total_max;
    }

    // After a check stopped before the page was full: say so.
    static void estimate_total(const Gathered& g, std::size_t want, SearchResults& res) {
        if (g.exhausted) {
            return;
        }
        std::string w = "stopped checking phrases after " + std::to_string(g.examined)
                        + " candidate passages; there may be more matches";
        if (g.cands.size() < want && std::find(res.warnings.begin(), res.warnings.end(), w) == res.warnings.end()) {
            res.check_stopped = true;
            res.warnings.push_back(std::move(w));  // once, though --expand gathers twice
        }
    }

    Hit make_hit(query::Candidate& c, index::PassageRecord& rec, const std::string& indexed, Xapian::docid id,
                 std::size_t rank_no, const query::BuiltQuery& built, const SearchOptions& opt) {
        complete(rec, id);
        Hit h = to_hit(std::move(rec));
        if (!indexed.empty()) {
            h.indexed = indexed_time(indexed);
        } else if (opt.indexed_time) {
            h.indexed = indexed_time(db.get_document(id, Xapian::DOC_ASSUME_VALID).get_value(index::slot_indexed));
        }
        h.rank = static_cast<int>(rank_no);
        h.score = c.score;
        if (opt.highlight) {
            h.highlights = c.matched ? std::move(c.matches.spans)
                                     : built.matcher.match(h.text, analyzer, terms, &match_cache).spans;
            query::Snippet sn = query::make_snippet(h.text, h.highlights, opt.snippet_bytes);
            h.snippet = std::move(sn.text);
            h.snippet_highlights = std::move(sn.highlights);
        }
        if (opt.explain) {
            h.explain = c.explain(ranking());
        }
        return h;
    }

    // The page of reranked candidates: at most per_article of an article, from
    // offset, limit hits; unless all_copies, a near copy of a passage kept
    // before it (shown, or skipped by the offset) is folded into that one
    // (query/copies.hpp), also after the page is full. Returns the number folded.
    std::size_t page(Gathered& g, const query::BuiltQuery& built, const SearchOptions& opt, SearchResults& res) {
        std::unordered_map<std::string, std::size_t> per_article;
        std::size_t seen = 0;
        std::size_t folded = 0;
        query::CopyIndex kept(analyzer);
        std::vector<std::size_t> hit_of;  // by kept passage: its hit on the page, or npos
        for (auto& c : g.cands) {
            index::PassageRecord& rec = g.recs[c.order];
            // Its tokens, when the rerank analysed it (kept in take()).
            const std::vector<analysis::Token>* toks = c.order < g.toks.size() ? &g.toks[c.order] : nullptr;
            if (!opt.all_copies) {
                if (auto orig = kept.original_of(g.sketches[c.order], rec.text, c.article, toks)) {
                    ++folded;
                    if (hit_of[*orig] != std::string::npos) {
                        complete(rec, g.ids[c.order]);
                        res.hits[hit_of[*orig]].copies.push_back(to_copy(rec));
                    }
                    continue;
                }
            }
            if (res.hits.size() >= opt.limit) {
                if (opt.all_copies) {
                    break;
                }
                continue;  // only copies of the page's hits are wanted now
            }
            if (opt.per_article > 0 && ++per_article[c.article] > opt.per_article) {
                continue;
            }
            if (!opt.all_copies) {
                kept.add(g.sketches[c.order], rec.text, c.article, toks);
            }
            if (seen++ < opt.offset) {
                hit_of.push_back(std::string::npos);
                continue;
            }
            hit_of.push_back(res.hits.size());
            res.hits.push_back(make_hit(c, rec, g.indexed[c.order], g.ids[c.order], seen, built, opt));
        }
        return folded;
    }

    // The share of passages holding a stem's forms (feedback idf).
    double stem_share(const std::string& stem) {
        const auto n = static_cast<double>(db.get_doccount());
        if (n <= 0) {
            return 0.0;
        }
        const auto df = static_cast<double>(db.get_termfreq(stem) + db.get_termfreq(index::stem_term(stem)));
        return std::min(df / n, 1.0);
    }

    // Pseudo-relevance feedback: terms of the best reranked passages (their
    // stored text, re-analysed; no term lists), best first.
    std::vector<query::FeedbackTerm> feedback(const query::BuiltQuery& built, const Gathered& g) {
        std::vector<std::vector<analysis::Token>> docs;
        std::vector<double> scores;
        for (const auto& c : g.cands) {
            if (docs.size() >= rank.fb_docs || !c.matched) {
                break;
            }
            docs.push_back(g.toks[c.order]);
            scores.push_back(c.score);
        }
        std::vector<std::string> exclude;
        for (const auto& w : built.matcher.words()) {
            exclude.push_back(w.stem.empty() ? terms.stem(w.raw) : w.stem);
        }
        auto fb = query::feedback_terms(
            docs, scores, terms, match_cache, exclude, [this](const std::string& s) { return stem_share(s); },
            rank.fb_terms, rank.fb_max_share);
        if (!fb.empty() && fb.front().weight <= 0.0) {
            fb.clear();
        }
        return fb;
    }

    // The feedback terms as a query: each SYNONYM(stem, Zstem), weighted by
    // RankParams::fb_weight relative to the best.
    Xapian::Query feedback_query(const std::vector<query::FeedbackTerm>& fb) const {
        std::vector<Xapian::Query> qs;
        for (const auto& t : fb) {
            qs.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                            Xapian::Query(Xapian::Query::OP_SYNONYM, Xapian::Query(t.stem),
                                          Xapian::Query(index::stem_term(t.stem))),
                            query::feedback_scale(fb, t, rank));
        }
        return {Xapian::Query::OP_OR, qs.begin(), qs.end()};
    }

    // --expand: the query's own best RankParams::fb_keep passages (@p first,
    // reranked) keep their places, first; the feedback orders the rest of
    // @p g. The passages that say the query best are those a reader who
    // remembers a sentence looks for, and the feedback, which weighs what the
    // best passages are about, would push them down (docs/RELEVANCE.md). One
    // the feedback pushed beyond the candidates gathered or reranked is carried
    // over with its first run's matches.
    void keep_first(Gathered& first, Gathered& g) const {
        std::size_t place = 0;
        for (std::size_t i = 0; i < first.cands.size() && place < rank.fb_keep && first.cands[i].matched; ++i) {
            query::Candidate& f = first.cands[i];
            auto it = find_from(g.cands, place, f.article, f.passage);
            query::Candidate c;
            if (it != g.cands.end() && it->matched) {
                c = std::move(*it);
                g.cands.erase(it);
            } else if (it != g.cands.end()) {
                // Beyond the second run's rerank depth: the first run's
                // matches and features, for its highlights and --explain.
                const std::size_t order = it->order;
                g.cands.erase(it);
                c = std::move(f);
                c.order = order;
            } else {
                c = std::move(f);
                const std::size_t from = c.order;
                c.order = g.recs.size();
                if (from < first.toks.size() && c.order == g.toks.size()) {
                    g.toks.push_back(std::move(first.toks[from]));
                }
                if (from < first.dates.size()) {
                    g.dates.push_back(std::move(first.dates[from]));
                }
                g.recs.push_back(std::move(first.recs[from]));
                g.indexed.push_back(std::move(first.indexed[from]));
                g.ids.push_back(first.ids[from]);
                g.sketches.push_back(std::move(first.sketches[from]));
            }
            put_kept(g.cands, place, std::move(c));
        }
    }

    // The candidate of @p article, @p passage in @p cands, looked for from
    // place @p from on (the places before it are kept ones).
    static std::vector<query::Candidate>::iterator find_from(std::vector<query::Candidate>& cands, std::size_t from,
                                                             const std::string& article, int passage) {
        return std::find_if(cands.begin() + static_cast<std::ptrdiff_t>(from), cands.end(),
                            [&](const query::Candidate& c) { return c.passage == passage && c.article == article; });
    }

    // Puts @p c at place @p place (from 0) of @p cands, the next kept place.
    static void put_kept(std::vector<query::Candidate>& cands, std::size_t& place, query::Candidate c) {
        c.kept = ++place;
        cands.insert(cands.begin() + static_cast<std::ptrdiff_t>(place - 1), std::move(c));
    }

    // The ranking the candidates were reranked with: RankParams::
    // fb_named_form for form once feedback on the candidates reranked them.
    [[nodiscard]] query::RankParams ranking() const {
        query::RankParams p = rank;
        if (in_place) {
            p.form = rank.fb_named_form;
        }
        return p;
    }

    // Feedback for a subject that passages name (RankParams::fb_named): the
    // feedback terms' BM25 in each reranked candidate, from the tokens the
    // rerank analysed, added to its weight; the rerank again, with
    // RankParams::fb_named_form; the query's own best keep their places. No
    // second run: about a third of its cost, and the passages matched, read
    // and analysed are the first run's (docs/RELEVANCE.md, tenth round).
    void expand_in_place(const query::BuiltQuery& built, const std::vector<query::FeedbackTerm>& fb, Gathered& g) {
        std::vector<std::pair<std::string, int>> keep;  // the query's own best: article, passage
        for (const auto& c : g.cands) {
            if (keep.size() >= rank.fb_keep || !c.matched) {
                break;
            }
            keep.emplace_back(c.article, c.passage);
        }
        const query::FeedbackWeight weight(fb, static_cast<double>(db.get_doccount()), rank);
        const double avlen = db.get_avlength();
        // Document lengths in docid order: Xapian reads them with a cursor
        // that moves forward (under a third of the cost of lookups in rank order).
        std::vector<std::pair<Xapian::docid, query::Candidate*>> by_id;
        for (auto& c : g.cands) {
            if (c.matched && c.order < g.toks.size()) {  // beyond the rerank depth: BM25 order, as before
                by_id.emplace_back(g.ids[c.order], &c);
            }
        }
        std::sort(by_id.begin(), by_id.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& [id, c] : by_id) {
            const double len = avlen > 0 ? static_cast<double>(db.get_doclength(id)) / avlen : 1.0;
            c->feedback = weight(g.toks[c->order], len, terms, match_cache);
            c->bm25 += c->feedback;
        }
        in_place = true;
        query::rerank(g.cands, built.matcher.leaves(), ranking());
        std::size_t place = 0;
        for (const auto& [article, passage] : keep) {
            auto it = find_from(g.cands, place, article, passage);
            if (it != g.cands.end()) {
                query::Candidate c = std::move(*it);
                g.cands.erase(it);
                put_kept(g.cands, place, std::move(c));
            }
        }
    }

    // Feedback: the terms of the query's best passages, weighed in a second
    // run (expand_run) or, for a subject that passages name, on the reranked
    // candidates (expand_in_place). --explain lists the terms added.
    void expand(const query::BuiltQuery& built, std::size_t fetch, std::size_t want, Gathered& g,
                const SearchOptions& opt, SearchResults& res) {
        if (g.cands.size() < 2 || rank.fb_weight <= 0) {
            return;
        }
        std::vector<query::FeedbackTerm> fb = feedback(built, g);
        if (fb.empty()) {
            return;
        }
        if (named) {
            expand_in_place(built, fb, g);
        } else {
            expand_run(built, fetch, want, g, opt, res, fb);
        }
        if (opt.explain) {
            std::string line;
            for (const auto& t : fb) {
                char buf[120];
                std::snprintf(buf, sizeof buf, "%s%s %.2f", line.empty() ? "" : ", ", t.stem.c_str(),
                              query::feedback_scale(fb, t, rank));
                line += buf;
            }
            res.explanation += "\nexpanded: " + line;
            if (in_place) {
                char buf[40];
                std::snprintf(buf, sizeof buf, "; form %.2f)", rank.fb_named_form);
                res.explanation += " (on the candidates: a subject " + std::to_string(named_held)
                                   + " of them name, two of its words side by side" + buf;
            }
        }
    }

    // The query again, with the feedback terms @p fb under AND_MAYBE, so that
    // the passages matched stay those of the query and the feedback terms
    // only weigh.
    void expand_run(const query::BuiltQuery& built, std::size_t fetch, std::size_t want, Gathered& g,
                    const SearchOptions& opt, SearchResults& res, const std::vector<query::FeedbackTerm>& fb) {
        const std::uint64_t total = res.total;  // the passages matched stay the same: so does their count
        Gathered first = std::move(g);
        g = Gathered{};
        if (rank.fb_reuse) {
            g.from = &first;
            for (std::size_t i = 0; i < first.cands.size(); ++i) {
                g.seen.emplace(first.ids[first.cands[i].order], i);
            }
        }
        g = gather(built, Xapian::Query(Xapian::Query::OP_AND_MAYBE, built.query, feedback_query(fb)), fetch,
                   !opt.all_copies, res, std::move(g));
        g.from = nullptr;  // first dies here
        g.seen.clear();
        // The passages matched are the query's: so are their count and its
        // bounds, from the first run (count_total needs no match of its own).
        res.total = total;
        g.matches = first.matches;
        g.bounds = first.bounds;
        if (checks(built)) {
            estimate_total(g, want, res);
        }
        query::rerank(g.cands, built.matcher.leaves(), rank);
        keep_first(first, g);
    }

    // Whether the query gets feedback: SearchOptions::expand, and when
    // automatic, how many reranked candidates hold the whole query
    // (RankParams::fb_none, fb_whole) and how many of them name it, two of
    // its words side by side (fb_named: feedback in place). --explain says
    // which, and why.
    bool wants_feedback(const query::BuiltQuery& built, const Gathered& g, const SearchOptions& opt,
                        SearchResults& res) {
        expanded = false;
        named = false;
        in_place = false;
        named_held = 0;
        if (opt.expand == SearchOptions::Expand::never) {
            return false;
        }
        if (opt.expand == SearchOptions::Expand::always) {
            return expanded = true;
        }
        const std::size_t words = built.matcher.words().size();
        std::size_t whole = 0;
        for (const auto& c : g.cands) {
            if (c.matched && c.cov >= 1.0) {
                ++whole;
                named_held += words >= 2 && query::collocated(c.matches, words) ? 1 : 0;
            }
        }
        expanded = (rank.fb_none && whole == 0) || (rank.fb_whole > 0 && whole >= rank.fb_whole);
        if (!expanded && rank.fb_named > 0 && named_held >= rank.fb_named) {
            expanded = named = true;
        }
        if (opt.explain && !expanded && res.explanation.find("\nnot expanded: ") == std::string::npos) {
            res.explanation += "\nnot expanded: " + std::to_string(whole) + " of the candidates hold"
                               + (whole == 1 ? "s" : "") + " the whole query";
            if (words >= 2 && whole > 0) {
                res.explanation += ", " + std::to_string(named_held) + " with two of its words side by side";
            }
            res.explanation += " (--expand to expand)";
        }
        return expanded;
    }

    // Deeper gathers while folded copies leave a page short: at most 16
    // times the first one's candidates (640 for a page of 10). On xl, where
    // every passage has ten exact copies and a mail footer thousands, a
    // third round of 2,560 candidates took over half of `lede search
    // unsubscribe` and added no result (docs/BENCHMARKS.md); on SOTU,
    // corpus/ and the tests no page goes past the second round.
    static constexpr int max_fold_rounds = 2;

    void run(const query::BuiltQuery& built, const SearchOptions& opt, SearchResults& res) {
        const std::size_t want = opt.offset + opt.limit;
        std::size_t fetch = std::max(rank.depth, want * (opt.per_article > 0 ? 4 : 1));
        // Folded copies take candidates: while the page is short and Xapian
        // has more, gather again, four times deeper, at most max_fold_rounds times.
        Gathered g;
        for (int round = 0;; ++round) {
            g = gather(built, built.query, fetch, opt.expand != SearchOptions::Expand::never || !opt.all_copies, res);
            query::rerank(g.cands, built.matcher.leaves(), rank);
            if (wants_feedback(built, g, opt, res)) {
                expand(built, fetch, want, g, opt, res);
            }
            if (sort != SortOrder::relevance) {
                sort_by_date(g);
            }
            const std::size_t folded = page(g, built, opt, res);
            if (folded == 0 || res.hits.size() >= opt.limit || g.exhausted || round == max_fold_rounds) {
                break;
            }
            res.hits.clear();
            fetch *= 4;
        }
        count_total(built, g, want, opt.exact_total, !opt.count_total, res);
        if (opt.timeline != Period::none || !opt.facets.empty()) {
            tally(built, opt, res);
        }
    }

    // --timeline and --by: all matches counted by slot values. Without a
    // check, Xapian's ValueCountMatchSpy counts them in the match (over
    // remote shards too: a stock xapian-tcpsrv knows it); with phrases, NEAR
    // or ADJ, lede counts the matches that pass the check, up to its limit.
    void tally(const query::BuiltQuery& built, const SearchOptions& opt, SearchResults& res) {
        std::vector<unsigned> slots;
        if (opt.timeline != Period::none) {
            slots.push_back(index::slot_period);
        }
        for (const auto& f : opt.facets) {
            if (!query::facet_field(f)) {
                throw Error(ErrorKind::invalid_argument,
                            "cannot count matches by '" + f + "' (known: source, year, month, decade)");
            }
            if (std::find(slots.begin(), slots.end(), query::facet_slot(f)) == slots.end()) {
                slots.push_back(query::facet_slot(f));
            }
        }
        std::unordered_map<unsigned, query::ValueCounts> counts;
        std::uint64_t total = 0;
        bool lower_bound = false;
        Xapian::Enquire enq(db);
        enq.set_query(built.query);
        enq.set_weighting_scheme(Xapian::BoolWeight());
        if (!built.check.positional()) {
            std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
            for (unsigned slot : slots) {
                spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot));
                enq.add_matchspy(spies.back().get());
            }
            enq.get_mset(0, 0, db.get_doccount());
            for (std::size_t i = 0; i < slots.size(); ++i) {
                auto& c = counts[slots[i]];
                for (auto it = spies[i]->values_begin(); it != spies[i]->values_end(); ++it) {
                    c.emplace(*it, it.get_termfreq());
                }
                total = spies[i]->get_total();
            }
        } else {
            Xapian::MSet m = enq.get_mset(0, static_cast<Xapian::doccount>(check_candidates));
            std::vector<analysis::Token> toks;
            for (auto it = m.begin(); it != m.end(); ++it) {
                const Xapian::Document doc = it.get_document();
                index::PassageRecord rec = record(doc, *it);
                toks.clear();
                analyzer.tokenize(rec.text, toks);
                if (query::evaluate(built.check, toks, terms, match_cache) == query::Truth::no) {
                    continue;
                }
                ++total;
                for (unsigned slot : slots) {
                    ++counts[slot][doc.get_value(slot)];
                }
            }
            lower_bound = m.get_matches_lower_bound() > m.size();
        }
        if (opt.timeline != Period::none) {
            res.timeline = query::make_timeline(counts[index::slot_period], total, opt.timeline, lower_bound);
        }
        res.facets.clear();
        for (const auto& f : opt.facets) {
            res.facets.push_back(query::make_facet(f, counts[query::facet_slot(f)], total, lower_bound));
        }
    }

    // One search on the latest committed revision (retried as a whole by retrying()).
    SearchResults search(const query::Node& ast, std::string_view query_text, const SearchOptions& opt) {
        SearchResults res;
        res.query = query_text;
        res.warnings = skipped;
        res.partial = !skipped.empty();
        refresh();  // see the latest committed revision
        articles.clear();
        sort = opt.sort;
        fold_copies = !opt.all_copies;
        // Read on this revision, before searching it: alerts' windows end here.
        time_filter =
            query::TimeFilter(parts, opt.indexed_since ? std::optional(query::to_ms(*opt.indexed_since)) : std::nullopt,
                              opt.since_checkpoint);
        res.checkpoint = time_filter.next();
        query::BuiltQuery built = build(ast, opt.exact, opt.working_dir);
        if (built.query.empty()) {
            throw QuerySyntaxError("the query has no searchable words (only punctuation or operators)", 1);
        }
        if (opt.explain) {
            res.explanation = explanation(ast, built);
        }
        run(built, opt, res);
        bool confident = false;
        if (opt.correct_spelling) {
            try {
                res.corrected = query::correct_spelling(db, ast, query_text, analyzer, terms, confident);
            } catch (const Xapian::UnimplementedError&) {
                // spelling data is not available over the remote protocol
            }
        }
        if (res.hits.empty() && !res.corrected.empty() && confident) {
            run(build(query::parse(res.corrected), opt.exact, opt.working_dir), opt, res);
            res.used_correction = !res.hits.empty();
        }
        return res;
    }

    std::vector<Hit> neighbours(const Hit& hit, std::size_t before, std::size_t after) {
        std::vector<Hit> out;
        std::string term = index::article_term(hit.article);
        int lo = std::max(0, hit.passage - static_cast<int>(std::min<std::size_t>(before, 1U << 20)));
        int hi = hit.passage + static_cast<int>(std::min<std::size_t>(after, 1U << 20));
        // The order keys of the article's passages lo..hi sort as their numbers.
        Xapian::Enquire enq(db);
        enq.set_query(visible(
            Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term),
                          Xapian::Query(Xapian::Query::OP_VALUE_RANGE, index::slot_order,
                                        index::order_key(hit.article, lo), index::order_key(hit.article, hi)))));
        enq.set_weighting_scheme(Xapian::BoolWeight());
        enq.set_sort_by_value(index::slot_order, false);
        Xapian::MSet m = enq.get_mset(0, static_cast<Xapian::doccount>(hi - lo + 1));
        for (auto it = m.begin(); it != m.end(); ++it) {
            index::PassageRecord rec = record(it.get_document(), *it);
            complete(rec, *it);
            Hit h = to_hit(std::move(rec));
            h.snippet = query::make_snippet(h.text, {}, 300).text;
            out.push_back(std::move(h));
        }
        return out;
    }
};

Searcher::Searcher(const std::string& db_path)
    : impl_(std::make_unique<Impl>(std::vector<std::string>{db_path}, OpenOptions{})) {}
Searcher::Searcher(const std::vector<std::string>& shards, const OpenOptions& options)
    : impl_(std::make_unique<Impl>(shards, options)) {}
namespace {

// A moved-from Searcher has no index: calling it is a caller bug, reported
// as invalid_argument (docs/API.md), never a crash.
template <typename Impl>
Impl& live(const std::unique_ptr<Impl>& impl) {
    if (!impl) {
        throw Error(ErrorKind::invalid_argument, "this Searcher was moved from: it has no index to search");
    }
    return *impl;
}

}  // namespace

const std::vector<std::string>& Searcher::warnings() const { return live(impl_).warnings; }
Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

SearchResults Searcher::search(std::string_view query_text, const SearchOptions& opt) {
    live(impl_);
    query::Node ast = query::parse(query_text);
    // Everything that touches the index runs under retrying(): when a writer
    // commits mid-search, Xapian may report the revision gone; reopen and redo.
    try {
        return impl_->retrying([&] { return impl_->search(ast, query_text, opt); });
    } catch (const Error&) {
        throw;
    } catch (const Xapian::Error& e) {
        if (e.get_msg().find("has no termlist") != std::string::npos) {
            impl_->check_remote_termlists();
        }
        index::rethrow_as_lede("searching index at " + impl_->path);
    } catch (...) {
        index::rethrow_as_lede("searching index at " + impl_->path);
    }
}

std::vector<Hit> Searcher::neighbours(const Hit& hit, std::size_t before, std::size_t after) {
    live(impl_);
    try {
        return impl_->retrying([&] { return impl_->neighbours(hit, before, after); });
    } catch (const Error&) {
        throw;
    } catch (const Xapian::Error& e) {
        if (e.get_msg().find("has no termlist") != std::string::npos) {
            impl_->check_remote_termlists();
        }
        index::rethrow_as_lede("reading passages of " + hit.article);
    } catch (...) {
        index::rethrow_as_lede("reading passages of " + hit.article);
    }
}

const char* version() noexcept { return LEDE_VERSION_STRING; }

}  // namespace lede
