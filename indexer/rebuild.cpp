#include "indexer/rebuild.hpp"

#include <lede/error.hpp>

#include "index/record.hpp"
#include "index/schema.hpp"
#include "indexer/builder.hpp"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <thread>
#include <utility>
#include <vector>

namespace lede::indexer {
namespace {

// The terms a writer adds beyond DocumentBuilder::build() that the record
// does not say: version terms (index/segments.hpp) and the date-origin term
// of an article's first passage. Read from the postings of their prefixes,
// by document (the live ones), as (docid, index into terms) sorted by docid.
class ExtraTerms {
public:
    ExtraTerms(const Xapian::Database& db, const index::segments::Deleted& hidden) {
        for (std::string_view prefix : {index::segments::version_prefix, index::prefix::date_origin}) {
            const std::string p(prefix);
            for (auto t = db.allterms_begin(p); t != db.allterms_end(p); ++t) {
                const auto k = static_cast<std::uint32_t>(terms_.size());
                bool used = false;
                for (auto d = db.postlist_begin(*t); d != db.postlist_end(*t); ++d) {
                    if (!hidden.contains(*d)) {
                        postings_.emplace_back(*d, k);
                        used = true;
                    }
                }
                if (used) {
                    terms_.push_back(*t);
                }
            }
        }
        std::sort(postings_.begin(), postings_.end());
    }

    /// Add the terms of document @p id of the source to @p doc.
    void add_to(Xapian::docid id, Xapian::Document& doc) const {
        auto it = std::lower_bound(postings_.begin(), postings_.end(), std::pair<Xapian::docid, std::uint32_t>(id, 0));
        for (; it != postings_.end() && it->first == id; ++it) {
            doc.add_boolean_term(terms_[it->second]);
        }
    }

private:
    std::vector<std::string> terms_;
    std::vector<std::pair<Xapian::docid, std::uint32_t>> postings_;
};

[[noreturn]] void not_a_record(Xapian::docid id, const std::string& why) {
    throw Error(ErrorKind::index_corrupt, "passage " + std::to_string(id) + " " + why);
}

// The record of an article's first passage, for its later passages (which
// store only a reference to it). Passages of an article mostly come one
// after another; when not (an article written across two commits, so in two
// segments), its first passage is found by its article term.
class Articles {
public:
    explicit Articles(const Xapian::Database& db) : db_(db) {}

    void first_seen(const index::PassageRecord& rec) {
        ref_ = index::article_ref(rec.article);
        first_ = rec;
    }

    const index::PassageRecord& first_of(const std::string& ref, Xapian::docid id) {
        if (ref == ref_) {
            return first_;
        }
        const std::string term = index::article_term_of_ref(ref);
        for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) {
            std::optional<index::PassageRecord> r = index::load(db_.get_document(*it));
            if (r && !index::needs_article(*r) && index::article_ref(r->article) == ref) {
                first_seen(*r);
                return first_;
            }
        }
        not_a_record(id, "names an article whose first passage is not in the index");
    }

private:
    const Xapian::Database& db_;
    std::string ref_;
    index::PassageRecord first_;
};

// A passage to make again: its record (completed), its indexed time, and
// the document made.
struct Passage {
    Xapian::docid id = 0;
    index::PassageRecord rec;
    std::string indexed;
    Xapian::Document doc;
};

constexpr std::size_t batch_passages = 4096;

// The document of @p p, as the writer made it: DocumentBuilder::build() and
// what the writer adds (indexer/worker.cpp build_article, batch.cpp add).
void make(Passage& p, DocumentBuilder& builder, const ExtraTerms& extra) {
    std::vector<std::string> unused;
    p.doc = builder.build(p.rec, index::article_term(p.rec.article), unused);
    p.doc.add_boolean_term(index::file_term(p.rec.path));
    if (p.rec.passage == 1) {
        if (std::string pterm = index::path_term(p.rec.path); !pterm.empty()) {
            p.doc.add_boolean_term(pterm);
        }
    }
    extra.add_to(p.id, p.doc);
    if (!p.indexed.empty()) {
        p.doc.add_value(index::slot_indexed, p.indexed);
    }
}

// Make the documents of @p batch: builder k makes passages k, k + n, ...
void build_all(std::vector<Passage>& batch, std::vector<DocumentBuilder>& builders, const ExtraTerms& extra) {
    const std::size_t n = std::min(builders.size(), batch.size());
    std::vector<std::exception_ptr> failures(n);
    auto run = [&](std::size_t k) {
        try {
            for (std::size_t i = k; i < batch.size(); i += n) {
                make(batch[i], builders[k], extra);
            }
        } catch (...) {
            failures[k] = std::current_exception();
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t k = 1; k < n; ++k) {
        threads.emplace_back(run, k);
    }
    if (n > 0) {
        run(0);
    }
    for (auto& t : threads) {
        t.join();
    }
    for (auto& f : failures) {
        if (f) {
            std::rethrow_exception(f);
        }
    }
}

}  // namespace

bool spelling_words(const Xapian::Database& terms, const std::string& lo, const std::string& hi,
                    const std::function<void(const std::string&, Xapian::doccount)>& add,
                    const std::function<bool()>& stop) {
    Xapian::TermIterator it = terms.allterms_begin();
    const Xapian::TermIterator end = terms.allterms_end();
    if (!lo.empty()) {
        it.skip_to(lo);
    }
    std::size_t n = 0;
    while (it != end) {
        if (++n % 4096 == 0 && stop && stop()) {
            return false;
        }
        const std::string t = *it;
        if (!hi.empty() && t >= hi) {
            break;
        }
        if (index::is_prefixed(t)) {
            it.skip_to("[");  // every prefixed term starts with 'A'..'Z' ('[' follows 'Z')
            continue;
        }
        if (index::spelling_word(t)) {
            add(t, it.get_termfreq());
        }
        ++it;
    }
    return true;
}

bool spellings_from_terms(const Xapian::Database& terms, Xapian::WritableDatabase& into,
                          const std::function<bool()>& stop) {
    return spelling_words(
        terms, "", "", [&](const std::string& w, Xapian::doccount f) { into.add_spelling(w, f); }, stop);
}

void rebuild_segment(const Xapian::Database& from, const index::segments::Deleted& hidden, const std::string& out_dir,
                     bool keep_termlists) {
    // The live documents, database by database (a database of n combines
    // its databases' documents round-robin: docid = (local - 1) * n + k + 1).
    const std::size_t n = std::max<std::size_t>(1, from.size());
    std::vector<Xapian::docid> ids;
    ids.reserve(from.get_doccount());
    for (auto it = from.postlist_begin(""); it != from.postlist_end(""); ++it) {
        if (!hidden.contains(*it)) {
            ids.push_back(*it);
        }
    }
    std::stable_sort(ids.begin(), ids.end(),
                     [n](Xapian::docid a, Xapian::docid b) { return (a - 1) % n < (b - 1) % n; });

    const ExtraTerms extra(from, hidden);
    Articles articles(from);
    // The analysis on every core: the documents of a batch are made by
    // several builders (one per thread), then added in order.
    const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
    std::vector<DocumentBuilder> builders(threads);
    for (auto& b : builders) {
        b.collect_spellings = false;  // from the terms, below
    }
    std::vector<Passage> batch;
    // Written beside, then compacted into out_dir: a database written
    // document by document fills its blocks by half.
    const std::string tmp = out_dir + ".tmp";
    std::filesystem::remove_all(tmp);
    {
        Xapian::WritableDatabase out(tmp, Xapian::DB_CREATE | (keep_termlists ? 0 : Xapian::DB_NO_TERMLIST));
        auto flush = [&] {
            build_all(batch, builders, extra);
            for (Passage& p : batch) {
                out.add_document(p.doc);
            }
            batch.clear();
        };
        for (Xapian::docid id : ids) {
            const Xapian::Document old = from.get_document(id);
            std::optional<index::PassageRecord> rec = index::load(old);
            if (!rec) {
                not_a_record(id, "holds no passage record");
            }
            if (index::needs_article(*rec)) {
                index::with_article(*rec, articles.first_of(rec->article, id));
            } else {
                articles.first_seen(*rec);
            }
            batch.push_back(Passage{id, std::move(*rec), old.get_value(index::slot_indexed), {}});
            if (batch.size() == batch_passages) {
                flush();
            }
        }
        flush();
        out.commit();
        const Xapian::Database written(tmp);
        spellings_from_terms(written, out);
        out.commit();
        out.close();
    }
    Xapian::Database(tmp).compact(out_dir, Xapian::DBCOMPACT_MULTIPASS);
    std::filesystem::remove_all(tmp);
}

}  // namespace lede::indexer
