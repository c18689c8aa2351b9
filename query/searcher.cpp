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

#include <algorithm>
#include <cstdio>
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
        if (n.kind == query::NodeKind::and_not && i >= 1) {
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
    std::string path;  // for messages: the shards, comma-separated
    Xapian::Database db;
    analysis::Analyzer analyzer;
    analysis::TermMaker terms;
    query::RankParams rank = query::RankParams::from_env();
    query::MatchCache match_cache;
    std::vector<std::string> warnings;

    Impl(const std::vector<std::string>& shards, const OpenOptions& opt) {
        if (shards.empty()) {
            throw Error(ErrorKind::invalid_argument, "no index given");
        }
        indexer::check_distinct(shards, "searching");
        for (const auto& s : shards) {
            path += (path.empty() ? "" : ",") + s;
            try {
                db.add_database(indexer::open_for_reading(s, opt.remote_timeout_ms));
            } catch (const Error& e) {
                if (!opt.allow_partial || e.kind() == ErrorKind::invalid_argument) {
                    throw;
                }
                warnings.push_back(std::string("skipped shard: ") + e.what());
            }
        }
        if (db.size() == 0) {
            throw Error(ErrorKind::network, "opening " + path + ": no shard could be opened");
        }
    }

    // Candidates checked at most for a page of a phrase query, unless the
    // page itself is larger (--count, -l).
    static constexpr std::size_t check_candidates = 100000;

    template <typename F>
    auto retrying(F&& f) {
        return indexer::retry_reads(db, "reading index at " + path, f, [this] { articles.clear(); });
    }

    // Wildcard expansion over the merged term list of all shards: the 500
    // most frequent raw terms with the prefix.
    std::vector<std::string> expand(const std::string& prefix) {
        std::vector<std::pair<Xapian::doccount, std::string>> found;
        for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
            found.emplace_back(it.get_termfreq(), *it);
        }
        constexpr std::size_t limit = 500;
        if (found.size() > limit) {
            std::partial_sort(found.begin(), found.begin() + limit, found.end(),
                              [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
            found.resize(limit);
        }
        std::vector<std::string> out;
        for (auto& f : found) {
            out.push_back(std::move(f.second));
        }
        return out;
    }

    // path:: the file terms of the indexed files at or under p (their path
    // terms, merged over all shards).
    std::vector<std::string> files_under(const std::string& p) {
        std::vector<std::string> out;
        const std::string t = analysis::prefix::path + p;
        for (auto it = db.allterms_begin(t); it != db.allterms_end(t); ++it) {
            if (p.ends_with('/') || *it == t) {
                out.push_back(indexer::file_term(std::string_view(*it).substr(1)));
            }
        }
        return out;
    }

    query::BuiltQuery build(const query::Node& ast, bool exact) {
        query::BuildOptions o;
        o.all_exact = exact;
        o.weights = rank.words;
        o.expand = [this](const std::string& p) { return expand(p); };
        o.files_under = [this](const std::string& p) { return files_under(p); };
        return query::build(ast, analyzer, terms, o);
    }

    // Whether the index has the word or its stem. (Not its spelling variants:
    // Witkof finds Witkoff through its variant key, and still deserves a
    // "did you mean: Witkoff?".)
    bool known(const analysis::Token& t) {
        if (db.term_exists(t.term)) {
            return true;
        }
        std::string stem = terms.stem(t.term);
        return db.term_exists(stem) || db.term_exists(analysis::prefix::stem + stem);
    }

    // "Did you mean": each word the index does not know, replaced by Xapian's
    // spelling suggestion, keeping an initial capital.
    std::string correct(const query::Node& ast, std::string_view q, bool& confident) {
        confident = true;
        std::vector<Word> words;
        collect_words(ast, q, true, words);
        std::string out(q);
        bool changed = false;
        for (auto it = words.rbegin(); it != words.rend(); ++it) {
            std::vector<analysis::Token> toks;
            analyzer.tokenize(it->text, toks);
            if (toks.size() != 1 || toks[0].numeric || known(toks[0])) {
                continue;
            }
            // Short words tolerate one edit: two would turn junk (TFWP) into a word (top).
            unsigned edits = toks[0].term.size() <= 4 ? 1 : 2;
            std::string s = db.get_spelling_suggestion(toks[0].term, edits);
            if (s.empty()) {
                continue;
            }
            if (s[0] != toks[0].term[0]) {
                confident = false;  // Crimea → Prime: suggest it, never search it unasked
            }
            if (toks[0].capitalized && s[0] >= 'a' && s[0] <= 'z') {
                s[0] = static_cast<char>(s[0] - 'a' + 'A');
            }
            out.replace(it->at, it->text.size(), s);
            changed = true;
        }
        return changed ? out : std::string();
    }

    static Hit to_hit(indexer::PassageRecord&& rec) {
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

    indexer::PassageRecord record(const Xapian::Document& doc, Xapian::docid id) {
        auto rec = indexer::decode(doc.get_data());
        if (!rec) {
            throw Xapian::DatabaseCorruptError("passage " + std::to_string(id) + " has unreadable data");
        }
        return std::move(*rec);
    }

    // The article fields of a later passage come from the article's first
    // passage (the lowest document id of its article term), once per search.
    std::unordered_map<std::string, indexer::PassageRecord> articles;

    void complete(indexer::PassageRecord& rec) {
        if (!indexer::needs_article(rec)) {
            return;
        }
        auto found = articles.find(rec.article);
        if (found == articles.end()) {
            std::string term = analysis::prefix::article + rec.article;
            for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
                indexer::PassageRecord first = record(db.get_document(*it), *it);
                if (!indexer::needs_article(first)) {
                    found = articles.emplace(rec.article, std::move(first)).first;
                    break;
                }
            }
            if (found == articles.end()) {
                // Also what a revision that a writer is overwriting can look
                // like: retry_reads() retries it, and reports damage when it
                // persists.
                throw Xapian::DatabaseCorruptError("the first passage of article " + rec.article + " is missing");
            }
        }
        indexer::with_article(rec, found->second);
    }

    void run(const query::BuiltQuery& built, const SearchOptions& opt, SearchResults& res) {
        std::size_t want = opt.offset + opt.limit;
        std::size_t fetch = std::max(rank.depth, want * (opt.per_article > 0 ? 4 : 1));
        Xapian::Enquire enq(db);
        enq.set_query(built.query);
        enq.set_weighting_scheme(Xapian::BM25Weight(rank.k1, 0, 1, rank.b, 0.5));

        // Phrases, NEAR and ADJ: Xapian's candidates are checked on their text
        // (query/verify.hpp), in growing batches until a page is full.
        const bool check = built.check.positional();
        const std::size_t check_limit = std::max<std::size_t>(check_candidates, fetch);
        std::size_t examined = 0;
        bool exhausted = false;
        std::vector<query::Candidate> cands;
        std::vector<indexer::PassageRecord> recs;
        std::vector<analysis::Token> toks;
        Xapian::doccount start = 0;
        auto batch = static_cast<Xapian::doccount>(fetch);
        for (;;) {
            Xapian::MSet mset = enq.get_mset(start, batch, 100);
            if (start == 0) {
                res.total = mset.get_matches_estimated();
            }
            for (auto it = mset.begin(); it != mset.end(); ++it) {
                indexer::PassageRecord rec = record(it.get_document(), *it);
                toks.clear();
                if (check) {
                    analyzer.tokenize(rec.text, toks);
                    ++examined;
                    if (query::evaluate(built.check, toks, terms, match_cache) == query::Truth::no) {
                        continue;
                    }
                }
                query::Candidate c;
                c.bm25 = it.get_weight();
                c.article = indexer::needs_article(rec) ? rec.article : indexer::article_ref(rec.article);
                c.passage = rec.passage;
                c.order = recs.size();
                if (recs.size() < rank.depth) {
                    if (!check) {
                        analyzer.tokenize(rec.text, toks);
                    }
                    c.matches = built.matcher.match(toks, terms, &match_cache);
                    c.matched = true;
                }
                cands.push_back(std::move(c));
                recs.push_back(std::move(rec));
            }
            exhausted = mset.size() < batch;
            if (!check || exhausted || cands.size() >= fetch || examined >= check_limit) {
                break;
            }
            start += batch;
            batch = std::min<Xapian::doccount>(batch * 2, 4096);
        }
        if (check) {
            if (exhausted) {
                res.total = cands.size();
            } else {
                // Scale the rest of Xapian's estimate by the rate seen so far.
                double rate = static_cast<double>(cands.size()) / static_cast<double>(std::max<std::size_t>(examined, 1));
                double rest = res.total > examined ? static_cast<double>(res.total - examined) : 0.0;
                res.total = cands.size() + static_cast<std::uint64_t>(rest * rate + 0.5);
                if (cands.size() < want) {
                    res.warnings.push_back("stopped checking phrases after " + std::to_string(examined)
                                           + " candidate passages; there may be more matches");
                }
            }
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
            complete(recs[c.order]);
            Hit h = to_hit(std::move(recs[c.order]));
            h.rank = static_cast<int>(seen);
            h.score = c.score;
            if (opt.highlight) {
                h.highlights = c.matched ? std::move(c.matches.spans)
                                         : built.matcher.match(h.text, analyzer, terms, &match_cache).spans;
                query::Snippet sn = query::make_snippet(h.text, h.highlights, opt.snippet_bytes);
                h.snippet = std::move(sn.text);
                h.snippet_highlights = std::move(sn.highlights);
            }
            if (opt.explain) {
                char buf[200];
                std::snprintf(buf, sizeof buf,
                              "score %.4f = bm25 %.4f (rank %zu, normalized by the best) + proximity %.2f"
                              " + coverage %.2f + article %.2f",
                              c.score, c.bm25, c.order + 1, c.prox, c.cov, c.art);
                h.explain = buf;
            }
            res.hits.push_back(std::move(h));
        }
    }
};

Searcher::Searcher(const std::string& db_path)
    : impl_(std::make_unique<Impl>(std::vector<std::string>{db_path}, OpenOptions{})) {}
Searcher::Searcher(const std::vector<std::string>& shards, const OpenOptions& options)
    : impl_(std::make_unique<Impl>(shards, options)) {}
const std::vector<std::string>& Searcher::warnings() const { return impl_->warnings; }
Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

SearchResults Searcher::search(std::string_view query_text, const SearchOptions& opt) {
    query::Node ast = query::parse(query_text);
    // Everything that touches the index runs under retrying(): when a writer
    // commits mid-search, Xapian may report the revision gone; reopen and redo.
    auto attempt = [&] {
        SearchResults res;
        res.query = query_text;
        res.warnings = impl_->warnings;
        impl_->db.reopen();  // see the latest committed revision
        impl_->articles.clear();
        query::BuiltQuery built = impl_->build(ast, opt.exact);
        if (built.query.empty()) {
            throw QuerySyntaxError("the query has no searchable words (only punctuation or operators)", 1);
        }
        if (opt.explain) {
            res.explanation = "parsed:   " + ast.describe() + "\nsearched: " + built.query.get_description();
            for (const auto& leaf : built.matcher.describe()) {
                res.explanation += "\nleaf:     " + leaf;
            }
            if (built.check.positional()) {
                res.explanation += "\nchecked:  phrases, NEAR and ADJ on each candidate's text (no positions are indexed)";
            }
            const auto& r = impl_->rank;
            char buf[160];
            std::snprintf(buf, sizeof buf,
                          "\nranking:  BM25(k1=%.2f, b=%.2f) + %.2f*proximity*coverage + %.2f*coverage + %.2f*article",
                          r.k1, r.b, r.proximity, r.coverage, r.article);
            res.explanation += buf;
        }
        impl_->run(built, opt, res);
        bool confident = false;
        if (opt.correct_spelling) {
            try {
                res.corrected = impl_->correct(ast, query_text, confident);
            } catch (const Xapian::UnimplementedError&) {
                // spelling data is not available over the remote protocol
            }
        }
        if (res.hits.empty() && !res.corrected.empty() && confident) {
            query::BuiltQuery fixed = impl_->build(query::parse(res.corrected), opt.exact);
            impl_->run(fixed, opt, res);
            res.used_correction = !res.hits.empty();
        }
        return res;
    };
    try {
        return impl_->retrying(attempt);
    } catch (const Error&) {
        throw;
    } catch (...) {
        indexer::rethrow_as_lede("searching index at " + impl_->path);
    }
}

std::vector<Hit> Searcher::neighbours(const Hit& hit, std::size_t before, std::size_t after) {
    std::vector<Hit> out;
    try {
        impl_->retrying([&] {
            out.clear();
            std::string term = indexer::article_term(hit.article);
            int lo = hit.passage - static_cast<int>(std::min<std::size_t>(before, 1U << 20));
            int hi = hit.passage + static_cast<int>(std::min<std::size_t>(after, 1U << 20));
            Xapian::Enquire enq(impl_->db);
            enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term),
                                        Xapian::Query(Xapian::Query::OP_VALUE_RANGE, indexer::slot_passage,
                                                      Xapian::sortable_serialise(lo),
                                                      Xapian::sortable_serialise(hi))));
            enq.set_weighting_scheme(Xapian::BoolWeight());
            enq.set_sort_by_value(indexer::slot_passage, false);
            Xapian::MSet m = enq.get_mset(0, static_cast<Xapian::doccount>(hi - lo + 1));
            for (auto it = m.begin(); it != m.end(); ++it) {
                indexer::PassageRecord rec = impl_->record(it.get_document(), *it);
                impl_->complete(rec);
                Hit h = Impl::to_hit(std::move(rec));
                h.snippet = query::make_snippet(h.text, {}, 300).text;
                out.push_back(std::move(h));
            }
            return 0;
        });
    } catch (const Error&) {
        throw;
    } catch (...) {
        indexer::rethrow_as_lede("reading passages of " + hit.article);
    }
    return out;
}

const char* version() noexcept { return LEDE_VERSION_STRING; }

}  // namespace lede
