#include "query/build.hpp"

#include "index/schema.hpp"

#include <lede/error.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace lede::query {
namespace {

using analysis::Token;
using Xapian::Query;

const std::string no_match_term(index::no_match_term);

// The spellings of path:VALUE the index may have stored. The walk stores a
// path as it was given, through symbolic links, made absolute against the
// working folder. So VALUE against the folder the user is in as the shell
// names it (@p working_dir: through links), against the process's working
// folder (links resolved by the system), and with every link resolved.
std::vector<std::string> path_spellings(const std::string& value, const std::string& working_dir) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    auto add = [&](const fs::path& p) {
        std::error_code ec;
        std::string s = p.lexically_normal().string();
        if (fs::is_directory(p, ec) && !s.ends_with('/')) {
            s += '/';
        }
        if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) {
            out.push_back(std::move(s));
        }
    };
    const fs::path v(value);
    std::error_code ec;
    if (fs::path c = fs::weakly_canonical(v, ec); !ec) {
        add(c);  // first: files_under_resolved takes it
    }
    if (!working_dir.empty() && v.is_relative()) {
        add(fs::path(working_dir) / v);
    }
    if (fs::path a = fs::absolute(v, ec); !ec) {
        add(a);
    }
    return out;
}

class Builder {
public:
    Builder(analysis::Analyzer& a, analysis::TermMaker& t, Matcher& m, const BuildOptions& o)
        : an_(a), terms_(t), m_(m), all_exact_(o.all_exact), weights_(o.weights), expand_(o.expand),
          files_under_(o.files_under), files_under_resolved_(o.files_under_resolved), termfreq_(o.termfreq),
          working_dir_(o.working_dir) {}

    // The Xapian query for n, and in c the same condition as a check on the
    // passage text (query/verify.hpp). Where Xapian cannot see positions, the
    // query is looser than the check when positive (a phrase → AND of its
    // words) and stricter when negative (a phrase → nothing): the check then
    // removes exactly the extra passages.
    Query node(const Node& n, bool positive, Check& c) {
        switch (n.kind) {
        case NodeKind::word: return word(n, positive, c);
        case NodeKind::phrase: return phrase(n.text, positive, c);
        case NodeKind::wildcard: return wildcard(n, positive, c);
        case NodeKind::near: return near(n, positive, c);
        case NodeKind::field:
            c.kind = Check::Kind::unknown;
            if (positive) {
                filters_[n.field].push_back(field(n));  // applied to the whole query
                return {};
            }
            return field(n);
        case NodeKind::all: c.kind = Check::Kind::yes; return Query::MatchAll;
        case NodeKind::and_: c.kind = Check::Kind::all_of; return combine(Query::OP_AND, n.children, positive, c);
        case NodeKind::or_: c.kind = Check::Kind::any_of; return combine(Query::OP_OR, n.children, positive, c);
        case NodeKind::and_not: {
            c.kind = Check::Kind::none_of;
            Check& base = c.children.emplace_back();
            Query a = node(n.children[0], positive, base);
            if (a.empty()) {
                base = Check::of(Check::Kind::yes);
            }
            std::vector<Query> minus;
            for (std::size_t i = 1; i < n.children.size(); ++i) {
                Check ch;
                Query b = node(n.children[i], !positive, ch);
                if (!b.empty()) {
                    minus.push_back(std::move(b));
                    c.children.push_back(std::move(ch));
                }
            }
            if (minus.empty()) {
                c = std::move(c.children.front());
                return a;
            }
            return Query(Query::OP_AND_NOT, a.empty() ? Query::MatchAll : a,
                         Query(Query::OP_OR, minus.begin(), minus.end()));
        }
        case NodeKind::group: return group(n, positive, c);
        }
        return {};
    }

private:
    std::vector<Token> analyse(std::string_view text) {
        std::vector<Token> toks;
        an_.tokenize(text, toks);
        return toks;
    }

    // A word's forms, each occurrence counted once (the indexer adds the raw
    // term for every word and Zstem where the stem differs, so the stem's
    // class is exactly SYNONYM(stem, Zstem): "pirates" and "pirate" weigh alike):
    //   lower case:  SYNONYM(stem, Zstem) + exact·word
    //   capitalized: word   (a name: not stemmed, like Xapian)
    // plus variant·(Vkey AND_NOT forms): a spelling variant counts only where
    // no form of the word is present, once, below the word itself. The small
    // exact·word brings a rare form of a common stem (beings → be) into the
    // candidates; the form as typed decides between forms of the same word in
    // the rerank (RankParams::form), never between words (a rare form weighing
    // more than its word's rarity). Combined with OR and AND_NOT (not OP_MAX:
    // OP_MAX crashes Xapian 1.4.22's matcher on some multi-word queries, seen
    // on SOTU).
    Query one_word(const Token& t, bool exact, bool positive, Check& c) {
        exact = exact || all_exact_;
        Query raw(t.term, 1, 1);
        WordForms w{t.term, {}, {}};
        w.name = weights_.names && t.capitalized && !t.numeric;
        c.kind = Check::Kind::word;
        if (exact || t.numeric) {
            c.word = w;
            if (positive) {
                m_.add_word(std::move(w));
            }
            return raw;
        }
        Query forms = raw;
        if (!t.capitalized) {
            w.stem = terms_.stem(t.term);
            forms = Query(Query::OP_SYNONYM, Query(w.stem), Query(index::stem_term(w.stem)));
        }
        Query q = forms;
        if (!w.stem.empty() && weights_.exact > 0 && exact_pays(t.term, w.stem)) {
            q = Query(Query::OP_OR, forms, Query(Query::OP_SCALE_WEIGHT, raw, weights_.exact));
        }
        Token as_name = t;
        as_name.capitalized = true;  // a query word may be typed in lower case
        w.key = analysis::TermMaker::variant(as_name);
        if (!w.key.empty() && weights_.variant > 0) {
            // For counting (count_query): the variant alone, the same passages under OR.
            Query other = counting_ ? Query(index::variant_term(w.key))
                                    : Query(Query::OP_AND_NOT, Query(index::variant_term(w.key)), forms);
            if (counting_) {
                variants_.push_back(index::variant_term(w.key));
            } else {
                has_variants_ = true;
            }
            q = Query(Query::OP_OR, q, Query(Query::OP_SCALE_WEIGHT, other, weights_.variant));
        } else {
            w.key.clear();
        }
        c.word = w;
        if (positive) {
            m_.add_word(std::move(w));
        }
        return q;
    }

    // Whether a word's exact term is worth reading (WordWeights::exact_share).
    bool exact_pays(const std::string& raw, const std::string& stem) const {
        if (!termfreq_) {
            return true;
        }
        const double form = termfreq_(raw);
        if (form <= weights_.exact_min) {
            return true;
        }
        // The stem's passages: the forms other than the stem itself are
        // indexed as Zstem, the stem as typed as itself (at most their sum).
        const double all = static_cast<double>(termfreq_(index::stem_term(stem))) + termfreq_(stem);
        return form <= weights_.exact_share * all;
    }

    static std::vector<std::string> raw_terms(const std::vector<Token>& toks) {
        std::vector<std::string> out;
        for (const Token& t : toks) {
            if (!t.compound) {
                out.push_back(t.term);
            }
        }
        return out;
    }

    Query word(const Node& n, bool positive, Check& c) {
        std::vector<Token> toks = analyse(n.text);
        std::vector<std::string> parts = raw_terms(toks);
        if (parts.empty()) {
            return {};
        }
        if (parts.size() == 1) {
            return one_word(toks.front(), n.exact, positive, c);
        }
        // "military-to-military", "U.S.-Russia": the parts as a phrase, or the
        // joined compound the indexer adds for hyphenated words.
        Check ph;
        Query q = phrase_of(parts, positive, ph);
        auto compound = std::find_if(toks.begin(), toks.end(), [](const Token& t) { return t.compound; });
        if (compound == toks.end()) {
            c = std::move(ph);
            return q;
        }
        if (positive) {
            m_.add_word({compound->term, {}, {}});
        }
        c.kind = Check::Kind::any_of;
        c.children.push_back(std::move(ph));
        Check& joined = c.children.emplace_back(Check::of(Check::Kind::word));
        joined.word.raw = compound->term;
        return Query(Query::OP_OR, q, Query(compound->term));
    }

    // No positions are indexed: a phrase is the AND of its words for Xapian
    // (nothing when negative), checked on the passage text afterwards.
    Query phrase_of(const std::vector<std::string>& parts, bool positive, Check& c) {
        c.kind = Check::Kind::phrase;
        c.terms = parts;
        if (!positive) {
            return Query(no_match_term);
        }
        m_.add_phrase(parts);
        std::vector<Query> qs(parts.begin(), parts.end());
        return Query(Query::OP_AND, qs.begin(), qs.end());
    }

    Query phrase(std::string_view text, bool positive, Check& c) {
        std::vector<Token> toks = analyse(text);
        std::vector<std::string> parts = raw_terms(toks);
        if (parts.empty()) {
            return {};
        }
        if (parts.size() == 1) {
            return one_word(toks.front(), true, positive, c);  // "word" = exact form
        }
        return phrase_of(parts, positive, c);
    }

    Query wildcard(const Node& n, bool positive, Check& c) {
        std::string prefix = an_.normalize_word(n.text, false);
        if (prefix.empty()) {
            return {};
        }
        c.kind = Check::Kind::prefix;
        c.terms = {prefix};
        if (positive) {
            m_.add_prefix(prefix);
        }
        if (expand_) {
            std::vector<std::string> ts = expand_(prefix);
            if (ts.empty()) {
                // Not Query::MatchNothing: that is an empty Query, which the
                // combining code drops; this term is never indexed.
                return Query(no_match_term);
            }
            std::vector<Query> qs(ts.begin(), ts.end());
            return Query(Query::OP_SYNONYM, qs.begin(), qs.end());
        }
        return Query(Query::OP_WILDCARD, prefix, 500, Query::WILDCARD_LIMIT_MOST_FREQUENT);
    }

    Query near(const Node& n, bool positive, Check& c) {
        std::vector<std::string> words;
        for (const auto& w : n.words) {
            std::vector<Token> toks = analyse(w);
            if (toks.empty()) {
                continue;
            }
            words.push_back(toks.front().term);
            if (positive) {
                m_.add_word({toks.front().term, {}, {}});
            }
        }
        if (words.size() < 2) {
            if (words.empty()) {
                return {};
            }
            c.kind = Check::Kind::word;
            c.word.raw = words.front();
            return Query(words.front());
        }
        c.kind = Check::Kind::near;
        c.terms = words;
        c.window = n.window + 1;
        c.ordered = n.ordered;
        if (!positive) {
            return Query(no_match_term);
        }
        std::vector<Query> qs(words.begin(), words.end());
        return Query(Query::OP_AND, qs.begin(), qs.end());
    }

    Query field(const Node& n) {
        if (n.field == "path") {
            // path:DIR or path:FILE, resolved against the current folder like
            // a shell path, in each spelling the index may have stored it.
            std::vector<std::string> files;
            if (files_under_) {
                std::set<std::string> seen;
                const std::vector<std::string> spellings = path_spellings(n.text, working_dir_);
                for (const std::string& s : spellings) {
                    for (std::string& f : files_under_(s)) {
                        if (seen.insert(f).second) {
                            files.push_back(std::move(f));
                        }
                    }
                }
                if (files.empty() && files_under_resolved_ && !spellings.empty()) {
                    files = files_under_resolved_(spellings.front());  // with its links resolved
                }
            }
            if (files.empty()) {
                return Query(no_match_term);
            }
            std::vector<Query> qs(files.begin(), files.end());
            return Query(Query::OP_OR, qs.begin(), qs.end());
        }
        if (n.field == "source") {
            return Query(index::source_term(n.text));
        }
        if (n.field == "title") {
            std::vector<Query> qs;
            for (const Token& t : analyse(n.text)) {
                if (!t.compound) {
                    qs.emplace_back(index::title_term(t.term));
                }
            }
            if (qs.empty()) {
                throw QuerySyntaxError("title: needs a word at column " + std::to_string(n.column), n.column);
            }
            return Query(Query::OP_AND, qs.begin(), qs.end());
        }
        return date_range(n);
    }

    // date:2026-02-01..2026-02-07, date:2026-02 (a month), date:2026..,
    // date:..2026-02-07 → ranges over the first and last days of the dates.
    static Query date_range(const Node& n) {
        auto bad = [&] {
            return QuerySyntaxError("malformed date '" + n.text + "' at column " + std::to_string(n.column)
                                        + ": use date:YYYY-MM-DD, date:YYYY-MM, date:YYYY or a range A..B",
                                    n.column);
        };
        auto parse_bound = [&](std::string_view s, bool upper) -> std::string {
            if (s.empty()) {
                return {};
            }
            std::string d;
            for (std::size_t i = 0; i < s.size(); ++i) {
                char c = s[i];
                if (c >= '0' && c <= '9') {
                    d += c;
                } else if (!((c == '-' || c == '/') && (i == 4 || i == 7))) {
                    throw bad();
                }
            }
            if (d.size() != 4 && d.size() != 6 && d.size() != 8) {
                throw bad();
            }
            if (d.size() >= 6 && (d.substr(4, 2) < "01" || d.substr(4, 2) > "12")) {
                throw bad();
            }
            if (d.size() == 8 && (d.substr(6, 2) < "01" || d.substr(6, 2) > "31")) {
                throw bad();
            }
            // A partial date covers its whole month or year.
            while (d.size() < 8) {
                d += upper ? (d.size() == 4 ? "12" : "31") : "01";
            }
            return d;
        };
        std::string_view t = n.text;
        std::size_t dots = t.find("..");
        std::string lo;
        std::string hi;
        if (dots == std::string_view::npos) {
            lo = parse_bound(t, false);
            hi = parse_bound(t, true);
        } else {
            lo = parse_bound(t.substr(0, dots), false);
            hi = parse_bound(t.substr(dots + 2), true);
            if (lo.empty() && hi.empty()) {
                throw bad();
            }
        }
        if (!lo.empty() && !hi.empty() && lo > hi) {
            throw QuerySyntaxError("empty date range '" + n.text + "' at column " + std::to_string(n.column)
                                       + ": the start is after the end",
                                   n.column);
        }
        // An article's date is a period (a day, a month or a year): it passes
        // when the period meets the range, its first day (slot_date) on or
        // before the range's end and its last day (slot_period) on or after
        // the range's start. A year-only 1790 passes date:1790-06.
        Query ends_after(Query::OP_VALUE_GE, index::slot_period, lo);
        Query starts_before(Query::OP_VALUE_LE, index::slot_date, hi);
        if (lo.empty()) {
            return starts_before;
        }
        if (hi.empty()) {
            return ends_after;
        }
        return Query(Query::OP_AND, starts_before, ends_after);
    }

    Query combine(Query::op op, const std::vector<Node>& children, bool positive, Check& check) {
        std::vector<Query> qs;
        for (const auto& c : children) {
            Check ch;
            Query q = node(c, positive, ch);
            if (!q.empty()) {
                qs.push_back(std::move(q));
                check.children.push_back(std::move(ch));
            }
        }
        if (qs.empty()) {
            return {};
        }
        if (qs.size() == 1) {
            check = std::move(check.children.front());
            return qs.front();
        }
        return Query(op, qs.begin(), qs.end());
    }

    Query group(const Node& n, bool positive, Check& check) {
        std::vector<Query> required, optional, excluded;
        Check req = Check::of(Check::Kind::all_of);
        Check opt_check = Check::of(Check::Kind::any_of);
        std::vector<Check> excl;
        for (const auto& c : n.children) {
            Check ch;
            Query q = node(c, c.mark == Mark::minus ? !positive : positive, ch);
            if (q.empty()) {
                continue;
            }
            (c.mark == Mark::plus ? required : c.mark == Mark::minus ? excluded : optional).push_back(q);
            (c.mark == Mark::plus    ? req.children
             : c.mark == Mark::minus ? excl
                                     : opt_check.children)
                .push_back(std::move(ch));
        }
        // Optional words only rank when some are required (AND_MAYBE).
        check = !required.empty()   ? std::move(req)
                : !optional.empty() ? std::move(opt_check)
                                    : Check::of(Check::Kind::yes);
        if (!excl.empty()) {
            Check base = std::move(check);
            check = Check::of(Check::Kind::none_of);
            check.children.push_back(std::move(base));
            std::move(excl.begin(), excl.end(), std::back_inserter(check.children));
        }
        Query q;
        Query opt = optional.empty() ? Query() : Query(Query::OP_OR, optional.begin(), optional.end());
        if (!required.empty()) {
            q = Query(Query::OP_AND, required.begin(), required.end());
            if (!opt.empty()) {
                q = Query(Query::OP_AND_MAYBE, q, opt);
            }
        } else {
            q = opt;
        }
        if (!excluded.empty()) {
            q = Query(Query::OP_AND_NOT, q.empty() ? Query::MatchAll : q,
                      Query(Query::OP_OR, excluded.begin(), excluded.end()));
        }
        return q;
    }

public:
    /// Build the query for counting (BuiltQuery::count_query).
    void counting() { counting_ = true; }
    /// Whether a word got a spelling-variant branch.
    bool has_variants() const { return has_variants_; }
    /// The variant terms of the words (when counting).
    std::vector<std::string>& variants() { return variants_; }

    /// Apply the hoisted field filters (Xapian's convention for boolean
    /// prefixes): values of one field are ORed, different fields ANDed, and
    /// the result filters the whole query.
    Query with_filters(Query q) const {
        if (filters_.empty()) {
            return q;
        }
        std::vector<Query> per_field;
        for (const auto& [name, qs] : filters_) {
            per_field.emplace_back(Query::OP_OR, qs.begin(), qs.end());
        }
        Query f(Query::OP_AND, per_field.begin(), per_field.end());
        return q.empty() ? Query(Query::OP_SCALE_WEIGHT, f, 0.0) : Query(Query::OP_FILTER, q, f);
    }

private:
    analysis::Analyzer& an_;
    analysis::TermMaker& terms_;
    Matcher& m_;
    bool all_exact_;
    WordWeights weights_;
    const PrefixExpander& expand_;
    const std::function<std::vector<std::string>(const std::string&)>& files_under_;
    const std::function<std::vector<std::string>(const std::string&)>& files_under_resolved_;
    const std::function<Xapian::doccount(const std::string&)>& termfreq_;
    const std::string& working_dir_;
    std::map<std::string, std::vector<Query>> filters_;
    bool counting_ = false;
    bool has_variants_ = false;
    std::vector<std::string> variants_;
};

}  // namespace

BuiltQuery build(const Node& ast, analysis::Analyzer& analyzer, analysis::TermMaker& terms,
                 const BuildOptions& options) {
    BuiltQuery out;
    Builder b(analyzer, terms, out.matcher, options);
    out.query = b.with_filters(b.node(ast, true, out.check));
    if (b.has_variants()) {
        // Again, for counting; its matcher and check are the same as the first's.
        Matcher matcher;
        Check check;
        Builder counting(analyzer, terms, matcher, options);
        counting.counting();
        out.count_query = counting.with_filters(counting.node(ast, true, check));
        out.variants = std::move(counting.variants());
    }
    return out;
}

}  // namespace lede::query
