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

/// Another outlet's or file's copy of a hit's passage (SearchOptions::all_copies).
struct Copy {
    std::string path;     ///< the source file (absolute)
    int passage = 0;      ///< 1-based passage number within its article
    std::string article;  ///< article key: the path, or path#id for JSON Lines articles
    std::string title;    ///< article title ("" when unknown)
    std::string date;     ///< article date, YYYY-MM-DD ("" when unknown)
    std::string source;   ///< article source, the outlet ("" when unknown)
    std::string url;      ///< article URL ("" when unknown)
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
    std::string date;                      ///< article date: YYYY-MM-DD, or YYYY-MM / YYYY ("" when unknown)
    std::string source;                    ///< article source ("" when unknown)
    std::string url;                       ///< article URL ("" when unknown)
    std::string explain;                   ///< with SearchOptions::explain: how the score was made
    /// Near copies of this passage in other articles (the same wire story
    /// reprinted), folded into this hit, best ranked first: among the
    /// candidates ranked for the page, so at least this many (docs/QUERY.md).
    /// Empty with SearchOptions::all_copies.
    std::vector<Copy> copies;
    /// When the passage was indexed (the commit that first wrote its text;
    /// lede/alerts.hpp), with SearchOptions::indexed_time; else, and when the
    /// index does not say, the epoch.
    std::chrono::system_clock::time_point indexed{};
};

/// The order of the hits (SearchOptions::sort).
enum class SortOrder {
    relevance,  ///< best first
    newest,     ///< latest date first, the best first within a day; undated last
    oldest,     ///< earliest date first, the best first within a day; undated last
};

/// The periods of a timeline (SearchOptions::timeline).
enum class Period { none, day, week, month, year, decade, automatic };

/// The name of a period ("day", "week", "month", "year", "decade", "auto"; "" for none).
LEDE_API const char* period_name(Period p);

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
    /// it in other words; the passages matched stay the same. automatic (the
    /// default) expands a query that no candidate passage holds whole (its
    /// words spread over passages that say the subject in other words), and,
    /// on the candidates without a second run, a subject that three or more
    /// of them name, two of its words side by side (*arms control*).
    enum class Expand { automatic, always, never };
    Expand expand = Expand::automatic;
    /// Count SearchResults::total whatever the page size: every match counted
    /// (up to 5,000,000), and for phrases, NEAR and ADJ up to 4,000 candidates
    /// spread over the index checked on their text. Costs a pass over the
    /// matches, and up to ~100 ms for a phrase of common words; off, total is
    /// Xapian's estimate (and what the page's check saw), within its bounds.
    /// The CLI sets it for --json and --jsonl, which print total.
    bool exact_total = false;
    /// Without exact_total: estimate SearchResults::total by a match of its
    /// own (unweighted), in each segment of the index alone: 100 matches
    /// counted there, Xapian's estimate of the rest, the segments' estimates
    /// and bounds added up (hidden passages left out). A segment with fewer
    /// matches, and a single word without hidden passages, counts exactly.
    /// The estimate can be far off (a word with variants: Xapian's estimate
    /// of an OR), the bounds always hold the true count. Off, total and its
    /// bounds are those of the ranked match, which may look at fewer matches.
    /// The CLI turns it off for text output, which does not print total.
    bool count_total = true;
    /// The order of the hits; newest and oldest sort by the article's date (a
    /// month or year alone sorts as its first day), by relevance within a day.
    SortOrder sort = SortOrder::relevance;
    /// Count all matches (not only the hits) by period of their article's
    /// date into SearchResults::timeline (automatic: a period that suits the
    /// dates matched). Costs a pass over the matches; none when Period::none.
    Period timeline = Period::none;
    /// Count all matches by these fields into SearchResults::facets: "source",
    /// "year", "month", "decade" (docs/QUERY.md); an unknown field throws
    /// lede::Error (invalid_argument).
    std::vector<std::string> facets;
    /// The folder a relative `path:` is resolved against, as the user names
    /// it: a shell's $PWD, which may pass through symbolic links (the index
    /// stores paths as they were given). Tried along with the process's
    /// working folder and the path with its links resolved. "" = those two only.
    std::string working_dir;
    /// Show every copy of a passage as its own hit; by default a near copy in
    /// another article (the same wire story from another outlet) is folded
    /// into the best-ranked one, listed in its Hit::copies.
    bool all_copies = false;
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

/// Matching passages and articles in one period or with one field value.
struct Bucket {
    std::string key;  ///< "2026-02-04", "2026-W06", "2026-02", "2026", "1790s"; a source name
    std::uint64_t passages = 0;
    std::uint64_t articles = 0;
};

/// How all matches of a search fall in time (SearchOptions::timeline).
struct Timeline {
    Period period = Period::none;  ///< the period counted by (automatic resolved); none: not asked
    /// The periods from the first to the last with a match, in time order, the
    /// empty ones between included (unless there would be more than 2,000).
    std::vector<Bucket> buckets;
    Bucket coarser;  ///< matches whose date is less precise than the period (a year alone, by month)
    Bucket undated;  ///< matches of undated articles
    Bucket total;    ///< all matches counted
    /// The counts are of matches checked on the text (phrases, NEAR, ADJ), and
    /// the check stopped at its limit: there are at least these many.
    bool lower_bound = false;
};

/// All matches of a search counted by the values of one field (SearchOptions::facets).
struct Facet {
    std::string field;
    std::vector<Bucket> buckets;  ///< most articles first (then most passages, then by key)
    Bucket missing;               ///< matches of articles without the field
    Bucket total;                 ///< all matches counted
    bool lower_bound = false;     ///< as Timeline::lower_bound
};

/// The answer to one search.
struct SearchResults {
    std::string query;  ///< the query as given
    std::uint64_t total =
        0;  ///< number of matching passages (folded copies included): exact when total_exact, else an estimate
    /// Whether `total` is exact: Xapian counted every match (up to 5,000,000)
    /// and, for a phrase, NEAR or ADJ, every candidate was checked (up to 4,000).
    bool total_exact = false;
    std::uint64_t total_min = 0;  ///< the number of matching passages is at least this
    std::uint64_t total_max = 0;  ///< ... and at most this (equal to both when total_exact)
    std::vector<Hit> hits;        ///< best first
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
    /// With SearchOptions::timeline: all matches by period.
    Timeline timeline;
    /// With SearchOptions::facets: all matches by field value, one per field asked.
    std::vector<Facet> facets;
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
    /// Read the index's files through memory maps (a segmented index's
    /// databases, which never change once named): Xapian's block reads become
    /// copies instead of system calls, ~40 % of a search's time where those
    /// are dear (docs/BENCHMARKS.md, round 13). For a program that searches
    /// many times; a process that searches once pays more for the first
    /// touch of each page than it saves (the lede command turns it off).
    /// The library defines pread(), posix_fadvise() and close() for the process to do this
    /// (docs/ARCHITECTURE.md "Reads from memory maps"); other files are read
    /// as before.
    bool map_files = true;
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
