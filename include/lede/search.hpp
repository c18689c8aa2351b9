/// @file lede/search.hpp
/// @brief Searching a lede index for ranked passages with highlights.
#pragma once

#include <lede/export.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lede {

/// A half-open byte range [begin, end).
struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;
    friend bool operator==(const Span&, const Span&) = default;
};

/// One ranked passage.
struct Hit {
    int rank = 0;                          ///< 1-based rank in the whole result list
    double score = 0.0;                    ///< relevance score (higher is better)
    std::string path;                      ///< the source file, as recorded at index time (absolute)
    int passage = 0;                       ///< 1-based passage number within the article
    std::size_t start = 0;                 ///< byte offset of the passage in the source file
    std::size_t end = 0;                   ///< byte offset one past the passage end
    std::string text;                      ///< the passage text (bytes [start, end) of the file)
    std::vector<Span> highlights;          ///< matched words, byte ranges within text
    std::string snippet;                   ///< a window of text around the matches ("…" where cut)
    std::vector<Span> snippet_highlights;  ///< matched words, byte ranges within snippet
    std::string article;                   ///< article key: the path, or path#id for JSON Lines articles
    std::string title;                     ///< article title ("" when the source has none)
    std::string date;                      ///< article date, YYYY-MM-DD ("" when unknown)
    std::string source;                    ///< article source ("" when unknown)
    std::string url;                       ///< article URL ("" when unknown)
    std::string explain;                   ///< with SearchOptions::explain: how the score was made
    /// When the passage was indexed (the commit that first wrote its text;
    /// lede/alerts.hpp), with SearchOptions::indexed_time; else, and when the
    /// index does not say, the epoch.
    std::chrono::system_clock::time_point indexed{};
};

/// Options of one search.
struct SearchOptions {
    std::size_t limit = 10;           ///< at most this many hits
    std::size_t offset = 0;           ///< skip this many hits first (paging)
    std::size_t snippet_bytes = 300;  ///< target length of Hit::snippet
    std::size_t per_article = 0;      ///< at most this many passages per article (0 = no limit)
    bool correct_spelling = true;     ///< when nothing matches, retry with "did you mean" corrections
    bool highlight = true;            ///< compute highlights and snippets (off: faster counting)
    bool explain = false;             ///< fill SearchResults::explanation and Hit::explain
    bool exact = false;               ///< every word exact: no stemming, no spelling variants
    /// Expand the query with terms of its best passages (pseudo-relevance
    /// feedback, docs/RELEVANCE.md): finds passages about the topic that say
    /// it in other words; the passages matched stay the same.
    bool expand = false;
    /// Fill Hit::indexed (one more read per hit; the JSON printers show it).
    bool indexed_time = false;
    /// Only passages indexed at or after this time (`--indexed-since`; parse_time() in lede/alerts.hpp).
    std::optional<std::chrono::system_clock::time_point> indexed_since;
    /// Alerts (`--since-last NAME`): only passages indexed after this
    /// checkpoint, SearchResults::checkpoint of the last search of the same
    /// indexes ("" for the first: everything indexed so far), and up to the
    /// new one, returned in SearchResults::checkpoint. Searches chained this
    /// way give each passage once, also while writers commit.
    std::optional<std::string> since_checkpoint;
};

/// The answer to one search.
struct SearchResults {
    std::string query;        ///< the query as given
    std::uint64_t total = 0;  ///< estimated number of matching passages
    std::vector<Hit> hits;    ///< best first
    /// A spelling correction of the query ("" when none): words the index does
    /// not know replaced by the closest known ones (Witkof → Witkoff).
    std::string corrected;
    /// True when the query as typed found nothing and hits are for `corrected`.
    bool used_correction = false;
    /// With SearchOptions::explain: the query as parsed and expanded into terms.
    std::string explanation;
    /// Things worth a look, one sentence each: shards skipped under
    /// OpenOptions::allow_partial, a phrase check stopped early.
    std::vector<std::string> warnings;
    /// Shards were skipped under OpenOptions::allow_partial: the results come
    /// from the other shards only.
    bool partial = false;
    /// Phrases, NEAR and ADJ are checked on each candidate's text; the check
    /// stopped after its limit of candidates before a page was full: there
    /// may be more matches than shown, and `total` is an estimate.
    bool check_stopped = false;
    /// With SearchOptions::since_checkpoint: what this search covered, to
    /// pass as since_checkpoint next time (an opaque line of text).
    std::string checkpoint;
};

/// How to open the shards of an index for searching.
struct OpenOptions {
    /// Skip shards that cannot be opened (reported by Searcher::warnings())
    /// instead of failing; results then come from the other shards only.
    bool allow_partial = false;
    /// Time limit for remote shards (connect and each request), milliseconds.
    unsigned remote_timeout_ms = 5000;
    /// Ranking overrides for tuning runs, "k1=0.9,b=0.4,prox=0.3,..." (keys k1, b,
    /// prox, cov, art, form, exact, var, depth, fbdocs, fbterms, fbw, fbmax; docs/RELEVANCE.md); "" = the defaults.
    /// The lede command passes $LEDE_RANK.
    std::string ranking;
};

/// A read-only view of one index, or of several shards searched as one.
///
/// Thread safety: a Searcher is not safe to use from several threads at once;
/// give each thread its own (opening is cheap).
class LEDE_API Searcher {
public:
    /// Open the index at @p db_path.
    /// @throws lede::Error (index_not_found, index_version, index_corrupt, io)
    explicit Searcher(const std::string& db_path);

    /// Open several shards as one index. Each entry is an index folder, a
    /// Xapian stub file (lines `auto PATH`, `remote HOST:PORT`), or
    /// `tcp://HOST:PORT` for a shard served by xapian-tcpsrv. Results, scores
    /// and snippets are the same as for one index holding all the passages.
    /// @throws lede::Error (also network, when a remote shard does not answer)
    explicit Searcher(const std::vector<std::string>& shards, const OpenOptions& options = {});

    /// Warnings about opening, one line each: shards skipped under
    /// OpenOptions::allow_partial ("skipped shard: ..."), and indexes written
    /// with other analysis settings than this library's (they still search,
    /// but some names may miss their spelling variants until rebuilt).
    [[nodiscard]] const std::vector<std::string>& warnings() const;
    ~Searcher();
    /// Moving leaves the source without an index: its methods then throw
    /// lede::Error with ErrorKind::invalid_argument.
    Searcher(Searcher&&) noexcept;
    Searcher& operator=(Searcher&&) noexcept;
    Searcher(const Searcher&) = delete;
    Searcher& operator=(const Searcher&) = delete;

    /// Run @p query (see docs/QUERY.md for the syntax).
    /// @throws lede::QuerySyntaxError for a malformed query; lede::Error otherwise.
    [[nodiscard]] SearchResults search(std::string_view query, const SearchOptions& options = {});

    /// The passages of @p hit's article numbered [passage - before, passage + after],
    /// in order, @p hit's own included (no highlights). For `lede search -C N`.
    [[nodiscard]] std::vector<Hit> neighbours(const Hit& hit, std::size_t before, std::size_t after);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lede
