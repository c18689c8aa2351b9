// lede::Searcher: parse → analyse → BM25 candidates → rerank → per-article
// cap → highlights and snippets; spelling correction when nothing matches.
#include <xapian.h>

#include <lede/search.hpp>
#include <lede/version.hpp>

#include "analysis/analyzer.hpp"
#include "analysis/terms.hpp"
#include "indexer/database.hpp"
#include "indexer/record.hpp"
#include "query/ast.hpp"
#include "query/builder.hpp"
#include "query/rank.hpp"
#include "query/snippet.hpp"

#include <unordered_map>

namespace lede {
namespace {

struct Word {
    std::string text;      // as typed
    std::size_t at = 0;    // byte offset in the query
};

// The positive plain words of the query, where they stand in the query text.
void collect_words(const query::Node& n, std::string_view q, bool positive, std::vector<Word>& out) {
    if (n.kind == query::NodeKind::word && positive && !n.exact && n.mark != query::Mark::minus) {
        std::size_t at = q.find(n.text, n.column > 0 ? n.column - 1 : 0);
        if (at != std::string_view::npos) {
            out.push_back({n.text, at});
        }
        return;
    }
    for (std::size_t i = 0; i < n.children.size(); ++i) {
        bool pos = positive;
        if (n.kind == query::NodeKind::and_not && i == 1) {
            pos = !positive;
        }
        if (n.children[i].mark == query::Mark::minus) {
            pos = !positive;
        }
        collect_words(n.children[i], q, pos, out);
    }
}

}  // namespace

struct Searcher::Impl {
    std::string path;
    Xapian::Database db;
    analysis::Analyzer analyzer;
    analysis::TermMaker terms;
    query::RankParams rank = query::RankParams::from_env();

    explicit Impl(const std::string& p) : path(p), db(indexer::open_for_reading(p)) {}

    template <typename F>
    auto retrying(F&& f) {
        // A writer may commit while we read: reopen and retry.
        for (int attempt = 0;; ++attempt) {
            try {
                return f();
            } catch (const Xapian::DatabaseModifiedError&) {
                if (attempt > 2) {
                    throw;
                }
                db.reopen();
            }
        }
    }

    bool known(const std::string& raw) {
        if (db.term_exists(raw)) {
            return true;
        }
        std::string stem = terms.stem(raw);
        return db.term_exists(stem) || db.term_exists(analysis::prefix::stem + stem);
    }

    // "Did you mean": each word the index does not know, replaced by Xapian's
    // spelling suggestion (edit distance <= 2), keeping an initial capital.
    std::string correct(const query::Node& ast, std::string_view q) {
        std::vector<Word> words;
        collect_words(ast, q, true, words);
        std::string out(q);
        bool changed = false;
        for (auto it = words.rbegin(); it != words.rend(); ++it) {
            std::vector<analysis::Token> toks;
            analyzer.tokenize(it->text, toks);
            if (toks.size() != 1 || toks[0].numeric || known(toks[0].term)) {
                continue;
            }
            std::string s = db.get_spelling_suggestion(toks[0].term, 2);
            if (s.empty()) {
                continue;
            }
            if (toks[0].capitalized && s[0] >= 'a' && s[0] <= 'z') {
                s[0] = static_cast<char>(s[0] - 'a' + 'A');
            }
            out.replace(it->at, it->text.size(), s);
            changed = true;
        }
        return changed ? out : std::string();
    }

    void run(const query::BuiltQuery& built, const SearchOptions& opt, SearchResults& res) {
        std::size_t want = opt.offset + opt.limit;
        std::size_t depth = std::max(rank.depth, want * (opt.per_article > 0 ? 4 : 1));
        Xapian::Enquire enq(db);
        enq.set_query(built.query);
        enq.set_weighting_scheme(Xapian::BM25Weight(rank.k1, 0, 1, rank.b, 0.5));
        Xapian::MSet mset = enq.get_mset(0, static_cast<Xapian::doccount>(depth), 100);
        res.total = mset.get_matches_estimated();

        std::vector<query::Candidate> cands;
        std::vector<indexer::PassageRecord> recs;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            auto rec = indexer::decode(it.get_document().get_data());
            if (!rec) {
                throw Error(ErrorKind::index_corrupt,
                            "index at " + path + ": passage " + std::to_string(*it)
                                + " has unreadable data; rebuild the index with `lede index`");
            }
            query::Candidate c;
            c.bm25 = it.get_weight();
            c.article = rec->path;
            c.order = recs.size();
            c.matches = built.matcher.match(rec->text, analyzer, terms);
            cands.push_back(std::move(c));
            recs.push_back(std::move(*rec));
        }
        query::rerank(cands, built.matcher.leaves(), rank);

        std::unordered_map<std::string, std::size_t> per_article;
        std::size_t seen = 0;
        for (auto& c : cands) {
            if (opt.per_article > 0 && ++per_article[c.article] > opt.per_article) {
                continue;
            }
            if (seen++ < opt.offset) {
                continue;
            }
            if (res.hits.size() >= opt.limit) {
                break;
            }
            indexer::PassageRecord& rec = recs[c.order];
            Hit h;
            h.rank = static_cast<int>(seen);
            h.score = c.score;
            h.path = std::move(rec.path);
            h.passage = rec.passage;
            h.start = rec.start;
            h.end = rec.end;
            h.text = std::move(rec.text);
            h.highlights = std::move(c.matches.spans);
            query::Snippet sn = query::make_snippet(h.text, h.highlights, opt.snippet_bytes);
            h.snippet = std::move(sn.text);
            h.snippet_highlights = std::move(sn.highlights);
            res.hits.push_back(std::move(h));
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
        impl_->retrying([&] {
            res.hits.clear();
            impl_->run(built, opt, res);
            if (opt.correct_spelling) {
                res.corrected = impl_->correct(ast, query_text);
            }
            return 0;
        });
        if (res.hits.empty() && !res.corrected.empty()) {
            query::BuiltQuery fixed = query::build(query::parse(res.corrected), impl_->analyzer, impl_->terms);
            impl_->retrying([&] {
                impl_->run(fixed, opt, res);
                return 0;
            });
            res.used_correction = !res.hits.empty();
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
