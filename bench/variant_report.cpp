// variant_report — how lede's spelling-variant keys group the words of a corpus,
// and how refinements of the rules (scratch copies, not analysis/) change that.
// Results and method: docs/analysis-variants.md.
//
// Build (from the repository root; own build directory; the library is built
// from the working tree with tests and tools off):
//
//   cmake -S bench/variant_report -B build-variants -G Ninja -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-variants --target variant_report
//
// Run:
//
//   build-variants/variant_report --check corpus ../shared/data/sotu        # summary table, every rule set
//   build-variants/variant_report --groups current corpus ../shared/data/sotu   # + merged groups (Markdown)
//   build-variants/variant_report --groups proposed --format tsv corpus ../shared/data/sotu
//   build-variants/variant_report --query-pairs current corpus ../shared/data/sotu
//
// It tokenizes every regular file under the given paths with
// lede::analysis::Analyzer, keeps the distinct terms of the tokens that get a
// variant key at index time (TermMaker::wants_variant: capitalized or
// non-Latin, not numeric, not a compound part), keys each term and groups
// terms by key. Rule set "current" calls lede::analysis::variant_key itself;
// the others are scratch copies of variant_key()/rule_key() with refinements
// (the library's alias table, re-keyed with each rule set). --check verifies
// that the scratch copy with every refinement off equals the library, and that
// the library's rule_key() (rule set "library", the proposed rules as applied
// to analysis/variants.cpp) equals rule set "proposed".
//
// Query side: lede keys query words of any case, so every word of the corpus
// is also tried as a query against the indexed keyed terms with its key.
//
// Judging: bench/variant_report/judgments.txt lists the terms that ARE one word
// or name (one line each; "name:" lines are variant spellings of a personal
// name borne by different people). Any other pair sharing a key is a false
// merge, or "same-stem" (benign) when the two share an English Snowball stem.
// --judgments FILE overrides the path.
#include "analysis/analyzer.hpp"
#include "analysis/terms.hpp"
#include "analysis/variants.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

extern const char lede_aliases_txt[];  // data/aliases.txt, embedded in the library

namespace fs = std::filesystem;
using lede::analysis::Analyzer;
using lede::analysis::TermMaker;
using lede::analysis::Token;

namespace {

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x80; });
}
bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }
bool is_az(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// ---------------------------------------------------------------------------
// Rule sets. Each maps an a–z word to a key ("" = no key).

// Scratch copy of analysis/variants.cpp rule_key(), with switchable refinements.
// All switches off = the library's rules (checked with --check).
struct Opts {
    std::size_t min_len = 5;  // words shorter than this get no key
    bool final_e = false;     // a word-final e after a consonant stays e (police/policy, store/story)
    bool first_e = false;     // the word's first vowel letter, when e, stays e (setting/sitting, still/steel)
    bool initial = false;     // a word-initial e/y is not folded (emigrants/immigrants)
    bool j_glide = false;     // j→i only after a vowel and not before one (Andrej, not major/Beijing)
    bool h_single = false;    // h→g only after a single vowel (Luhansk, not Meehan)
    bool e_near_iy = false;   // e→i only next to i or y (ie, ei, ye, ey)
    bool first_cl = false;    // the e's of the first vowel cluster stay e when it starts with e and
                              // holds no i or y
                              // (still/steel, sitting/setting; but Riley/Reilly, fliers/flyers fold)
    bool y_initial = false;   // word-initial ye → e (Yermak/Ermak, Yevgeny/Evgeny, Yeltsin/Eltsin)
};

std::size_t first_vowel(std::string_view in) {
    for (std::size_t j = 0; j < in.size(); ++j) {
        char c = in[j];
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
            return j;
        }
        if (c == 'y' && (j + 1 == in.size() || !is_vowel(in[j + 1]))) {
            return j;  // y before a vowel is a consonant (Yemen)
        }
    }
    return std::string_view::npos;
}

// [begin, end) of the first run of vowel letters (a, e, i, o, u, y), whether
// it starts with e and whether it holds i or y.
struct Cluster {
    std::size_t begin = 0, end = 0;
    bool has_iy = false;
    bool starts_e = false;
};
Cluster first_cluster(std::string_view in) {
    Cluster c;
    std::size_t j = 0;
    while (j < in.size() && !is_vowel(in[j])) {
        ++j;
    }
    c.begin = j;
    c.starts_e = j < in.size() && in[j] == 'e';
    while (j < in.size() && is_vowel(in[j])) {
        c.has_iy = c.has_iy || in[j] == 'i' || in[j] == 'y';
        ++j;
    }
    c.end = j;
    return c;
}

std::string rule_opts(std::string_view in, const Opts& o) {
    if (in.size() < o.min_len || !is_az(in)) {
        return {};
    }
    if (o.y_initial && in.size() > 1 && in[0] == 'y' && in[1] == 'e') {
        in.remove_prefix(1);
    }
    const std::size_t n = in.size();
    const std::size_t fv = o.first_e ? first_vowel(in) : std::string_view::npos;
    const Cluster fc = o.first_cl ? first_cluster(in) : Cluster{};
    std::string s;
    s.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        char c = in[i];
        char prev = i > 0 ? in[i - 1] : '\0';
        char next = i + 1 < n ? in[i + 1] : '\0';
        if (c == 'k' && next == 'h') {
            continue;  // kh → h
        }
        if (c == 'h' && is_vowel(prev) && is_vowel(next) && !(o.h_single && i >= 2 && is_vowel(in[i - 2]))) {
            c = 'g';  // Luhansk → lugansk
        } else if (c == 'j' && is_vowel(prev) && !(o.j_glide && is_vowel(next))) {
            c = 'i';  // Any-Latin writes й as j
        }
        bool fold = c == 'y' || c == 'e';
        if (fold && o.initial && i == 0) {
            fold = false;
        }
        if (c == 'e') {
            if (o.final_e && i + 1 == n && !is_vowel(prev)) {
                fold = false;
            }
            if (o.first_e && i == fv) {
                fold = false;
            }
            if (o.first_cl && i >= fc.begin && i < fc.end && fc.starts_e && !fc.has_iy) {
                fold = false;
            }
            if (o.e_near_iy && !(prev == 'i' || prev == 'y' || next == 'i' || next == 'y')) {
                fold = false;
            }
        }
        if (fold) {
            c = 'i';
        }
        if (!s.empty() && s.back() == c) {
            continue;  // doubled letters
        }
        s.push_back(c);
    }
    return s.size() >= 3 ? s : std::string();
}

std::string rule_current(std::string_view in) { return rule_opts(in, Opts{}); }

struct RuleSet {
    std::string name;
    std::string what;
    std::function<std::string(std::string_view)> rule;  // nullptr: the library's variant_key
    int max_edits = -1;  // >= 0: a pair also needs Levenshtein(a, b) <= max_edits (query-time filter)
};

std::size_t levenshtein(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
            diag = up;
        }
    }
    return row[b.size()];
}

// ---------------------------------------------------------------------------

struct Aliases {
    std::unordered_map<std::string, std::string> by_term;
    std::unordered_map<std::string, std::string> by_key;
};

Aliases make_aliases(const std::function<std::string(std::string_view)>& rule) {
    Aliases a;
    std::istringstream in(lede_aliases_txt);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::istringstream words(line);
        std::string w, canonical;
        while (words >> w) {
            if (canonical.empty()) {
                canonical = "=" + w;
            }
            a.by_term.emplace(w, canonical);
            if (is_ascii(w)) {
                if (std::string k = rule(w); !k.empty()) {
                    a.by_key.emplace(k, canonical);
                }
            }
        }
    }
    return a;
}

struct TermInfo {
    long count = 0;  // occurrences of the term in tokens that get a key at index time
    long all = 0;    // all occurrences, any case
    bool non_latin = false;
};

std::unordered_map<std::string, std::string>& translit_cache() {
    static std::unordered_map<std::string, std::string> c;
    return c;
}

std::string ascii_form(const std::string& term, bool non_latin) {
    if (!non_latin) {
        return term;
    }
    auto& cache = translit_cache();
    auto it = cache.find(term);
    if (it == cache.end()) {
        it = cache.emplace(term, lede::analysis::transliterate(term)).first;
    }
    return it->second;
}

struct Keyer {
    const RuleSet& rs;
    Aliases aliases;

    explicit Keyer(const RuleSet& r) : rs(r) {
        if (rs.rule) {
            aliases = make_aliases(rs.rule);
        }
    }

    std::string key(const std::string& term, bool non_latin) const {
        if (!rs.rule) {
            return lede::analysis::variant_key(term, non_latin);
        }
        if (auto it = aliases.by_term.find(term); it != aliases.by_term.end()) {
            return it->second;
        }
        if (!non_latin && !is_ascii(term)) {
            return {};
        }
        std::string k = rs.rule(ascii_form(term, non_latin));
        if (auto it = aliases.by_key.find(k); it != aliases.by_key.end()) {
            return it->second;
        }
        return k;
    }

    // Whether two terms with one key are merged (the optional pairwise filter).
    bool close(const std::string& a, bool anl, const std::string& b, bool bnl) const {
        return rs.max_edits < 0
               || levenshtein(ascii_form(a, anl), ascii_form(b, bnl)) <= static_cast<std::size_t>(rs.max_edits);
    }
};

// Spellings that must share a key. `required`: the merges lede promises
// (README, tests). `known`: further real transliteration variants of names in
// the news (mostly absent from the corpus), as a recall check.
using Line = std::vector<std::pair<std::string, bool>>;  // term, non_latin
const std::vector<Line>& required() {
    static const std::vector<Line> r = {
        {{"umerov", false}, {"umyrov", false}, {"умеров", true}},
        {{"dmitriev", false}, {"dmitriyev", false}},
        {{"zelensky", false},
         {"zelenskyy", false},
         {"zelenskiy", false},
         {"zelenskii", false},
         {"зеленский", true},
         {"зеленський", true}},
        {{"lugansk", false}, {"luhansk", false}},
        {{"witkoff", false}, {"witkof", false}},
        {{"donbas", false}, {"donbass", false}, {"донбас", true}, {"донбасс", true}},
    };
    return r;
}
const std::vector<Line>& known() {
    static const std::vector<Line> r = {
        {{"tymoshenko", false}, {"timoshenko", false}, {"тимошенко", true}},
        {{"yanukovych", false}, {"yanukovich", false}, {"янукович", true}},
        {{"kadyrov", false}, {"kadirov", false}, {"кадыров", true}},
        {{"zhytomyr", false}, {"zhitomir", false}},
        {{"navalny", false}, {"navalnyy", false}, {"navalniy", false}, {"навальный", true}},
        {{"shoigu", false}, {"shoygu", false}, {"шойгу", true}},
        {{"podolyak", false}, {"podoliak", false}},
        {{"zaluzhny", false}, {"zaluzhnyi", false}, {"zaluzhniy", false}, {"залужний", true}},
        {{"arestovych", false}, {"arestovich", false}},
        {{"dmytro", false}, {"dmitro", false}},
        {{"andrei", false}, {"andrey", false}, {"andriy", false}, {"andrii", false}},
        {{"dmitry", false}, {"dmitriy", false}, {"dmitrii", false}},
        {{"alexei", false}, {"alexey", false}},
        {{"nikolai", false}, {"nikolay", false}},
        {{"vitaly", false}, {"vitaliy", false}, {"vitalii", false}},
        {{"oleksiy", false}, {"oleksii", false}, {"oleksij", false}},
        {{"avdiivka", false}, {"avdeevka", false}, {"avdeyevka", false}},
        {{"bakhmut", false}, {"bahmut", false}, {"бахмут", true}},
        {{"kherson", false}, {"herson", false}},
        {{"medvedev", false}, {"медведев", true}},
        {{"yermak", false}, {"ermak", false}, {"єрмак", true}},
        {{"yevgeny", false}, {"evgeny", false}, {"evgeniy", false}},
        {{"laden", false}, {"ladin", false}},
        {{"qaeda", false}, {"qaida", false}},
        {{"hussein", false}, {"husein", false}},
        {{"khomeini", false}, {"khomeiny", false}},
        {{"sievierodonetsk", false}, {"severodonetsk", false}, {"сєвєродонецьк", true}, {"северодонецк", true}},
        {{"siversk", false}, {"seversk", false}},
        {{"zaporozhye", false}, {"zaporozhe", false}, {"zaporizhzhia", false}},
        {{"primorye", false}, {"primorie", false}},
        {{"hezbollah", false}, {"hizbollah", false}},
    };
    return r;
}

// Pairs that must NOT share a key (tests/unit/variants_test.cpp and the brief's example).
const std::vector<std::pair<std::string, std::string>>& apart() {
    static const std::vector<std::pair<std::string, std::string>> r = {
        {"putin", "patton"},
        {"umerov", "umarov"},
        {"donbas", "donetsk"},
        {"bills", "bells"},
    };
    return r;
}

struct Judgments {
    std::unordered_map<std::string, std::string> identity;  // term → first term of its line
    std::set<std::string> name_lines;                       // identities judged "name:" lines
    std::string id(const std::string& t) const {
        auto it = identity.find(t);
        return it == identity.end() ? t : it->second;
    }
};

Judgments load_judgments(const std::string& path) {
    Judgments j;
    std::ifstream in(path);
    if (!in) {
        std::cerr << "variant_report: no judgments file " << path << " (every merge counts as false)\n";
        return j;
    }
    std::string line;
    while (std::getline(in, line)) {
        if (auto h = line.find('#'); h != std::string::npos) {
            line.erase(h);
        }
        bool name = false;
        if (line.rfind("name:", 0) == 0) {
            name = true;
            line.erase(0, 5);
        }
        std::istringstream words(line);
        std::string w, first;
        while (words >> w) {
            if (first.empty()) {
                first = w;
                if (name) {
                    j.name_lines.insert(w);
                }
            }
            j.identity[w] = first;
        }
    }
    return j;
}

enum class PairKind { truth, name, same_stem, wrong };

struct Classifier {
    const Judgments& j;
    TermMaker tm;
    std::unordered_map<std::string, std::string> stems;

    const std::string& stem(const std::string& t) {
        auto it = stems.find(t);
        if (it == stems.end()) {
            it = stems.emplace(t, tm.stem(t)).first;
        }
        return it->second;
    }
    PairKind kind(const std::string& a, const std::string& b) {
        if (j.id(a) == j.id(b)) {
            return j.name_lines.count(j.id(a)) ? PairKind::name : PairKind::truth;
        }
        return stem(a) == stem(b) ? PairKind::same_stem : PairKind::wrong;
    }
};

struct Group {
    std::string key;
    std::vector<std::string> terms;  // by descending count
    long counts[4] = {0, 0, 0, 0};   // merged pairs by PairKind
};

struct QueryPair {
    std::string word, term;
    PairKind kind;
};

struct Result {
    std::size_t keyed_terms = 0, keys = 0;
    std::vector<Group> merged;  // groups with a merged pair
    long groups_false = 0, groups_benign = 0, groups_true = 0;
    long pairs[4] = {0, 0, 0, 0};
    // query side: vocabulary words (any case) against indexed keyed terms
    std::vector<QueryPair> qpairs;
    long qwords_false = 0, qpairs_false = 0, qhits_false = 0;
    std::size_t required_kept = 0, known_kept = 0, apart_kept = 0;
    std::vector<std::string> required_broken, known_broken;
};

bool line_kept(const Keyer& k, const Line& line, std::string& text) {
    bool ok = true;
    std::string first;
    text.clear();
    for (std::size_t a = 0; a < line.size(); ++a) {
        std::string key = k.key(line[a].first, line[a].second);
        text += line[a].first + "→" + (key.empty() ? "∅" : key) + " ";
        if (key.empty() || (a > 0 && key != first)) {
            ok = false;
        }
        if (a == 0) {
            first = key;
        }
        for (std::size_t b = 0; b < a; ++b) {
            if (!k.close(line[a].first, line[a].second, line[b].first, line[b].second)) {
                ok = false;
            }
        }
    }
    return ok;
}

Result evaluate(const RuleSet& rs, const std::map<std::string, TermInfo>& vocab, Classifier& cls, bool want_qpairs) {
    Keyer keyer(rs);
    std::unordered_map<std::string, std::vector<std::string>> by_key;
    Result r;
    for (const auto& [t, info] : vocab) {
        if (info.count == 0) {
            continue;  // never in a keyed token
        }
        std::string k = keyer.key(t, info.non_latin);
        if (k.empty()) {
            continue;
        }
        ++r.keyed_terms;
        by_key[k].push_back(t);
    }
    r.keys = by_key.size();
    std::vector<std::string> keys;
    for (const auto& [k, ts] : by_key) {
        if (ts.size() > 1) {
            keys.push_back(k);
        }
    }
    std::sort(keys.begin(), keys.end());
    for (const auto& k : keys) {
        const auto& ts = by_key[k];
        Group g{k, ts};
        std::stable_sort(g.terms.begin(), g.terms.end(),
                         [&](const auto& a, const auto& b) { return vocab.at(a).count > vocab.at(b).count; });
        long merged = 0;
        for (std::size_t a = 0; a < ts.size(); ++a) {
            for (std::size_t b = a + 1; b < ts.size(); ++b) {
                if (!keyer.close(ts[a], vocab.at(ts[a]).non_latin, ts[b], vocab.at(ts[b]).non_latin)) {
                    continue;
                }
                ++merged;
                ++g.counts[static_cast<int>(cls.kind(ts[a], ts[b]))];
            }
        }
        if (!merged) {
            continue;
        }
        for (int i = 0; i < 4; ++i) {
            r.pairs[i] += g.counts[i];
        }
        if (g.counts[static_cast<int>(PairKind::wrong)]) {
            ++r.groups_false;
        } else if (g.counts[static_cast<int>(PairKind::same_stem)]) {
            ++r.groups_benign;
        } else {
            ++r.groups_true;
        }
        r.merged.push_back(std::move(g));
    }
    // Query side: every word of the corpus, typed as a query in any case, gets
    // a key and matches the indexed keyed terms with that key.
    for (const auto& [w, info] : vocab) {
        std::string k = keyer.key(w, info.non_latin);
        auto it = by_key.find(k);
        if (k.empty() || it == by_key.end()) {
            continue;
        }
        bool false_word = false;
        for (const auto& t : it->second) {
            if (t == w || !keyer.close(w, info.non_latin, t, vocab.at(t).non_latin)) {
                continue;
            }
            PairKind kind = cls.kind(w, t);
            if (kind == PairKind::wrong) {
                false_word = true;
                ++r.qpairs_false;
                r.qhits_false += vocab.at(t).count;
            }
            if (want_qpairs) {
                r.qpairs.push_back({w, t, kind});
            }
        }
        r.qwords_false += false_word;
    }
    std::string text;
    for (const auto& line : required()) {
        if (line_kept(keyer, line, text)) {
            ++r.required_kept;
        } else {
            r.required_broken.push_back(text);
        }
    }
    for (const auto& [a, b] : apart()) {
        std::string ka = keyer.key(a, false), kb = keyer.key(b, false);
        if (ka != kb || ka.empty()) {
            ++r.apart_kept;
        } else {
            r.required_broken.push_back("must stay apart: " + a + "→" + ka + " " + b + "→" + kb);
        }
    }
    for (const auto& line : known()) {
        if (line_kept(keyer, line, text)) {
            ++r.known_kept;
        } else {
            r.known_broken.push_back(text);
        }
    }
    return r;
}

const char* kind_name(PairKind k) {
    switch (k) {
    case PairKind::truth: return "true";
    case PairKind::name: return "name";
    case PairKind::same_stem: return "same-stem";
    case PairKind::wrong: return "FALSE";
    }
    return "?";
}

std::vector<RuleSet> rule_sets();

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> paths;
    std::string groups_of, qpairs_of, format = "md", judgments_path;
    bool check = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--groups" && i + 1 < argc) {
            groups_of = argv[++i];
        } else if (a == "--query-pairs" && i + 1 < argc) {
            qpairs_of = argv[++i];
        } else if (a == "--format" && i + 1 < argc) {
            format = argv[++i];
        } else if (a == "--judgments" && i + 1 < argc) {
            judgments_path = argv[++i];
        } else if (a == "--check") {
            check = true;
        } else if (a == "-h" || a == "--help") {
            std::cout << "usage: variant_report [--groups RULESET] [--query-pairs RULESET] [--format md|tsv]\n"
                         "                      [--judgments FILE] [--check] PATH...\n";
            return 0;
        } else {
            paths.push_back(a);
        }
    }
    if (paths.empty()) {
        std::cerr << "variant_report: no paths\n";
        return 2;
    }
    if (judgments_path.empty()) {
        judgments_path = (fs::path(__FILE__).parent_path() / "variant_report" / "judgments.txt").string();
    }
    const Judgments judg = load_judgments(judgments_path);

    std::vector<fs::path> files;
    for (const auto& p : paths) {
        if (fs::is_regular_file(p)) {
            files.emplace_back(p);
        } else {
            for (const auto& e : fs::recursive_directory_iterator(p)) {
                if (e.is_regular_file()) {
                    files.push_back(e.path());
                }
            }
        }
    }
    std::sort(files.begin(), files.end());
    Analyzer analyzer;
    std::map<std::string, TermInfo> vocab;
    long tokens = 0, keyed_tokens = 0;
    std::vector<Token> toks;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        toks.clear();
        analyzer.tokenize(text, toks);
        tokens += static_cast<long>(toks.size());
        for (const auto& t : toks) {
            if (t.numeric) {
                continue;
            }
            auto& info = vocab[t.term];
            ++info.all;
            info.non_latin = info.non_latin || t.non_latin;
            if (TermMaker::wants_variant(t)) {
                ++keyed_tokens;
                ++info.count;
            }
        }
    }
    std::size_t keyed_distinct = 0, mostly_lower = 0;
    for (const auto& [t, info] : vocab) {
        keyed_distinct += info.count > 0;
        mostly_lower += info.count > 0 && info.all - info.count > info.count;  // a common word
    }

    if (check) {  // the scratch copy with every switch off must equal the library
        RuleSet copy{"copy", "", rule_current};
        Keyer mine(copy);
        long diff = 0;
        for (const auto& [t, info] : vocab) {
            std::string a = lede::analysis::variant_key(t, info.non_latin), b = mine.key(t, info.non_latin);
            if (a != b && ++diff <= 20) {
                std::cerr << "check: " << t << " library=" << a << " copy=" << b << "\n";
            }
        }
        for (const auto* lines : {&required(), &known()}) {
            for (const auto& line : *lines) {
                for (const auto& [t, nl] : line) {
                    if (lede::analysis::variant_key(t, nl) != mine.key(t, nl) && ++diff <= 20) {
                        std::cerr << "check: " << t << " differs\n";
                    }
                }
            }
        }
        Opts prop;
        prop.final_e = prop.j_glide = prop.first_cl = prop.y_initial = true;
        for (const auto& [t, info] : vocab) {
            std::string a = ascii_form(t, info.non_latin);
            if (lede::analysis::rule_key(a) != rule_opts(a, prop) && ++diff <= 20) {
                std::cerr << "check: " << t << " library=" << lede::analysis::rule_key(a)
                          << " proposed=" << rule_opts(a, prop) << "\n";
            }
        }
        std::cerr << "check: " << diff << " differences (library vs scratch copy, library rule_key vs proposed)\n";
        if (diff) {
            return 1;
        }
    }

    std::cout << "# variant_report\n\n"
              << "files: " << files.size() << "; tokens: " << tokens << "; tokens keyed at index time "
              << "(wants_variant, not numeric): " << keyed_tokens << "; their distinct terms: " << keyed_distinct
              << " (of which " << mostly_lower << " occur more often unkeyed, i.e. common words capitalized at a "
              << "sentence start)"
              << "; distinct terms of any case (the query-side vocabulary): " << vocab.size() << "\n\n"
              << "Index side: merged groups = keys shared by >1 distinct indexed keyed term; a group is false\n"
              << "when it merges two different words (a FALSE pair), benign when its only non-variant pairs\n"
              << "share an English stem (the stem query merges them anyway). Pairs: true = spelling variants of\n"
              << "one word/name, name = variant spellings of a personal name, borne by different people here.\n"
              << "Query side: every corpus word typed as a query (any case) against the indexed keyed terms\n"
              << "with its key; FALSE query pairs and the keyed occurrences they wrongly hit.\n\n";

    std::cout << "| rule set | keyed terms | keys | merged groups | false groups | benign groups | true groups "
                 "| FALSE pairs | same-stem pairs | name pairs | true pairs | query words w/ FALSE hit "
                 "| FALSE query pairs | FALSE hit occurrences | required kept | apart kept | known kept |\n"
              << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    Classifier cls{judg, TermMaker(), {}};
    std::vector<RuleSet> sets = rule_sets();
    std::vector<std::pair<const RuleSet*, Result>> results;
    for (const auto& rs : sets) {
        Result r = evaluate(rs, vocab, cls, rs.name == qpairs_of);
        std::cout << "| " << rs.name << " | " << r.keyed_terms << " | " << r.keys << " | " << r.merged.size() << " | "
                  << r.groups_false << " | " << r.groups_benign << " | " << r.groups_true << " | " << r.pairs[3]
                  << " | " << r.pairs[2] << " | " << r.pairs[1] << " | " << r.pairs[0] << " | " << r.qwords_false
                  << " | " << r.qpairs_false << " | " << r.qhits_false << " | " << r.required_kept << "/"
                  << required().size() << " | " << r.apart_kept << "/" << apart().size() << " | " << r.known_kept << "/"
                  << known().size() << " |\n";
        results.emplace_back(&rs, std::move(r));
    }
    std::cout << "\n";
    for (const auto& [rs, r] : results) {
        std::cout << "- **" << rs->name << "**: " << rs->what << "\n";
        for (const auto& b : r.required_broken) {
            std::cout << "  - required merge broken: " << b << "\n";
        }
        for (const auto& b : r.known_broken) {
            std::cout << "  - known variant broken: " << b << "\n";
        }
    }
    for (const auto& [rs, r] : results) {
        if (rs->name == groups_of) {
            std::cout << "\n## Merged groups: " << rs->name << " (" << r.merged.size() << ")\n\n";
            if (format == "tsv") {
                std::cout << "key\tverdict\tterms (keyed occurrences)\n";
            } else {
                std::cout << "| key | verdict | terms (keyed occurrences) |\n|---|---|---|\n";
            }
            for (const auto& g : r.merged) {
                std::string verdict;
                if (g.counts[3]) {
                    verdict = g.counts[0] + g.counts[1] ? "FALSE (mixed)" : "FALSE";
                } else if (g.counts[2]) {
                    verdict = "benign (same stem)";
                } else {
                    verdict = g.counts[0] ? "true" : "name";
                }
                std::string list;
                for (const auto& t : g.terms) {
                    if (!list.empty()) {
                        list += format == "tsv" ? "\t" : ", ";
                    }
                    list += t + " (" + std::to_string(vocab.at(t).count) + ")";
                }
                if (format == "tsv") {
                    std::cout << g.key << "\t" << verdict << "\t" << list << "\n";
                } else {
                    std::cout << "| " << g.key << " | " << verdict << " | " << list << " |\n";
                }
            }
        }
        if (rs->name == qpairs_of) {
            std::cout << "\n## Query-side pairs: " << rs->name << " (" << r.qpairs.size()
                      << "; query word → indexed keyed term)\n\n";
            if (format == "tsv") {
                std::cout << "kind\tquery word (all occurrences)\tindexed term (keyed occurrences)\n";
            } else {
                std::cout << "| kind | query word (all occurrences) | indexed term (keyed occurrences) |\n"
                             "|---|---|---|\n";
            }
            for (const auto& q : r.qpairs) {
                std::string a = q.word + " (" + std::to_string(vocab.at(q.word).all) + ")";
                std::string b = q.term + " (" + std::to_string(vocab.at(q.term).count) + ")";
                if (format == "tsv") {
                    std::cout << kind_name(q.kind) << "\t" << a << "\t" << b << "\n";
                } else {
                    std::cout << "| " << kind_name(q.kind) << " | " << a << " | " << b << " |\n";
                }
            }
        }
    }
    return 0;
}

namespace {

RuleSet opts_set(std::string name, std::string what, Opts o, int max_edits = -1) {
    return {std::move(name), std::move(what), [o](std::string_view in) { return rule_opts(in, o); }, max_edits};
}

std::vector<RuleSet> rule_sets() {
    std::vector<RuleSet> v;
    v.push_back({"current", "lede::analysis::variant_key as built (analysis/variants.cpp)", nullptr});
    Opts o;
    o.min_len = 6;
    v.push_back(opts_set("min6", "no key for words shorter than 6 letters (now 5)", o));
    o = {};
    o.final_e = true;
    v.push_back(opts_set("final-e", "a word-final e after a consonant stays e", o));
    o = {};
    o.first_e = true;
    v.push_back(opts_set("first-e", "the first vowel letter, when e, stays e", o));
    o = {};
    o.initial = true;
    v.push_back(opts_set("initial", "a word-initial e/y is not folded", o));
    o = {};
    o.j_glide = true;
    v.push_back(opts_set("j-glide", "j→i only after a vowel and not before one", o));
    o = {};
    o.h_single = true;
    v.push_back(opts_set("h-single", "h→g only after a single vowel", o));
    o = {};
    o.e_near_iy = true;
    v.push_back(opts_set("e-near-iy", "e→i only next to i or y", o));
    v.push_back(opts_set("edits<=1", "current key, and a pair only merges within 1 edit (query-time filter)", {}, 1));
    v.push_back(opts_set("edits<=2", "current key, and a pair only merges within 2 edits (query-time filter)", {}, 2));
    o = {};
    o.final_e = o.j_glide = true;
    v.push_back(opts_set("final-e+j", "final-e, j-glide", o));
    o.first_e = true;
    v.push_back(opts_set("final-e+j+first-e", "final-e, j-glide, first-e", o));
    o.initial = true;
    v.push_back(opts_set("final-e+j+first-e+initial", "final-e, j-glide, first-e, initial", o));
    o.h_single = true;
    v.push_back(opts_set("all-5", "final-e, j-glide, first-e, initial, h-single", o));
    o.min_len = 6;
    v.push_back(opts_set("all-5+min6", "all-5 and min6", o));
    o = {};
    o.y_initial = true;
    v.push_back(opts_set("y-initial", "word-initial ye → e", o));
    o.final_e = o.j_glide = o.first_e = true;
    v.push_back(opts_set("letter-variant", "final-e, j-glide, first-e, y-initial", o));
    o = {};
    o.first_cl = true;
    v.push_back(opts_set("first-cluster",
                         "the e's of the first vowel cluster stay e when it starts with e and holds no i/y", o));
    o.final_e = o.j_glide = o.y_initial = true;
    v.push_back(opts_set("proposed", "final-e, j-glide, first-cluster, y-initial", o));
    v.push_back({"library", "rule_key() of analysis/variants.cpp (must equal proposed)",
                 [](std::string_view a) { return lede::analysis::rule_key(a); }});
    o.h_single = true;
    v.push_back(opts_set("proposed+h", "proposed and h-single", o));
    o.h_single = false;
    o.min_len = 6;
    v.push_back(opts_set("proposed+min6", "proposed and min6", o));
    return v;
}

}  // namespace
