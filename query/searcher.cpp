// lede::Searcher: parse → analyse → Xapian match → highlights → snippets.
#include <xapian.h>
#include <lede/search.hpp>
#include <lede/version.hpp>

#include "analysis/analyzer.hpp"
#include "analysis/terms.hpp"
#include "indexer/database.hpp"
#include "indexer/record.hpp"
#include "query/ast.hpp"
#include "query/builder.hpp"
#include "query/snippet.hpp"


namespace lede {

struct Searcher::Impl {
    std::string path;
    Xapian::Database db;
    analysis::Analyzer analyzer;
    analysis::TermMaker terms;

    explicit Impl(const std::string& p) : path(p), db(indexer::open_for_reading(p)) {}

    Xapian::MSet run(const Xapian::Query& q, const SearchOptions& opt) {
        // A writer may commit while we read: reopen and retry once.
        for (int attempt = 0;; ++attempt) {
            try {
                Xapian::Enquire enq(db);
                enq.set_query(q);
                enq.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.5, 0.5));
                return enq.get_mset(static_cast<Xapian::doccount>(opt.offset),
                                    static_cast<Xapian::doccount>(opt.limit), 100);
            } catch (const Xapian::DatabaseModifiedError&) {
                if (attempt > 2) {
                    throw;
                }
                db.reopen();
            }
        }
    }
};

Searcher::Searcher(const std::string& db_path) : impl_(std::make_unique<Impl>(db_path)) {}
Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

SearchResults Searcher::search(std::string_view query_text, const SearchOptions& opt) {
    SearchResults res;
    res.query = query_text;
    query::Node ast = query::parse(query_text);
    query::BuiltQuery built = query::build(ast, impl_->analyzer, impl_->terms);
    if (built.query.empty()) {
        throw QuerySyntaxError("the query has no searchable words (only punctuation or operators)", 1);
    }
    try {
        Xapian::MSet mset = impl_->run(built.query, opt);
        res.total = mset.get_matches_estimated();
        int rank = static_cast<int>(opt.offset);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            auto rec = indexer::decode(it.get_document().get_data());
            if (!rec) {
                throw Error(ErrorKind::index_corrupt,
                            "index at " + impl_->path + ": passage " + std::to_string(*it)
                                + " has unreadable data; rebuild the index with `lede index`");
            }
            Hit h;
            h.rank = ++rank;
            h.score = it.get_weight();
            h.path = std::move(rec->path);
            h.passage = rec->passage;
            h.start = rec->start;
            h.end = rec->end;
            h.text = std::move(rec->text);
            h.highlights = built.matcher.highlight(h.text, impl_->analyzer, impl_->terms);
            query::Snippet sn = query::make_snippet(h.text, h.highlights, opt.snippet_bytes);
            h.snippet = std::move(sn.text);
            h.snippet_highlights = std::move(sn.highlights);
            res.hits.push_back(std::move(h));
        }
    } catch (const Error&) {
        throw;
    } catch (...) {
        indexer::rethrow_as_lede("searching index at " + impl_->path);
    }
    return res;
}

const char* version() noexcept { return LEDE_VERSION_STRING; }

}  // namespace lede
