#include <lede/output.hpp>

#include <lede/alerts.hpp>

#include "analysis/utf8.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <set>
#include <utility>

namespace lede {
namespace {

// ripgrep's default colours: path magenta, number green, match bold red.
constexpr const char* c_path = "\x1b[35m";
constexpr const char* c_num = "\x1b[32m";
constexpr const char* c_match = "\x1b[1;31m";
constexpr const char* c_reset = "\x1b[0m";

using Json = nlohmann::ordered_json;

// An article key as shown: its path part mapped like paths (feed.jsonl#a2).
std::string display_article(const std::string& path, const std::string& article, const TextStyle& style) {
    if (article.size() > path.size() && article.starts_with(path) && article[path.size()] == '#') {
        return style.show_path(path) + article.substr(path.size());
    }
    return article;
}

std::string display_article(const Hit& h, const TextStyle& style) { return display_article(h.path, h.article, style); }

Json hit_json(const Hit& h, const TextStyle& style) {
    Json r;
    r["rank"] = h.rank;
    r["score"] = h.score;
    r["path"] = style.show_path(h.path);
    r["passage"] = h.passage;
    r["start"] = h.start;
    r["end"] = h.end;
    r["text"] = h.text;
    r["snippet"] = h.snippet;
    auto& hl = r["highlights"] = Json::array();
    for (const Span& s : h.highlights) {
        hl.push_back({s.begin, s.end});
    }
    auto& shl = r["snippet_highlights"] = Json::array();
    for (const Span& s : h.snippet_highlights) {
        shl.push_back({s.begin, s.end});
    }
    // Optional keys, present only when the source has them.
    if (h.article != h.path) {
        r["article"] = display_article(h, style);
    }
    for (const auto& [k, v] : {std::pair{"title", &h.title},
                               {"date", &h.date},
                               {"source", &h.source},
                               {"url", &h.url},
                               {"explain", &h.explain}}) {
        if (!v->empty()) {
            r[k] = *v;
        }
    }
    if (!h.copies.empty()) {
        auto& cs = r["copies"] = Json::array();
        for (const Copy& c : h.copies) {
            Json o;
            o["path"] = style.show_path(c.path);
            o["passage"] = c.passage;
            if (c.article != c.path) {
                o["article"] = display_article(c.path, c.article, style);
            }
            for (const auto& [k, v] :
                 {std::pair{"title", &c.title}, {"date", &c.date}, {"source", &c.source}, {"url", &c.url}}) {
                if (!v->empty()) {
                    o[k] = *v;
                }
            }
            cs.push_back(std::move(o));
        }
    }
    if (h.indexed != std::chrono::system_clock::time_point{}) {
        r["indexed"] = format_time(h.indexed);  // when the passage was indexed (alerts)
    }
    return r;
}

Json bucket_json(const Bucket& b) { return Json{{"passages", b.passages}, {"articles", b.articles}}; }

// --timeline and --by (docs/output-format.md): added keys, only when asked.
void add_counts(Json& j, const SearchResults& res) {
    const Timeline& t = res.timeline;
    if (t.period != Period::none) {
        Json tl;
        tl["period"] = period_name(t.period);
        tl["passages"] = t.total.passages;
        tl["articles"] = t.total.articles;
        auto& ps = tl["periods"] = Json::array();
        for (const Bucket& b : t.buckets) {
            ps.push_back(Json{{"period", b.key}, {"passages", b.passages}, {"articles", b.articles}});
        }
        tl["coarser"] = bucket_json(t.coarser);
        tl["undated"] = bucket_json(t.undated);
        tl["lower_bound"] = t.lower_bound;
        j["timeline"] = std::move(tl);
    }
    if (!res.facets.empty()) {
        Json fs = Json::object();
        for (const Facet& f : res.facets) {
            Json o;
            o["passages"] = f.total.passages;
            o["articles"] = f.total.articles;
            auto& vs = o["values"] = Json::array();
            for (const Bucket& b : f.buckets) {
                vs.push_back(Json{{"value", b.key}, {"passages", b.passages}, {"articles", b.articles}});
            }
            o["missing"] = bucket_json(f.missing);
            o["lower_bound"] = f.lower_bound;
            fs[f.field] = std::move(o);
        }
        j["by"] = std::move(fs);
    }
}

// When `total` is an estimate: says so, with its bounds (docs/output-format.md).
void total_bounds(Json& j, const SearchResults& res) {
    if (!res.total_exact) {
        j["total_exact"] = false;
        j["total_min"] = res.total_min;
        j["total_max"] = res.total_max;
    }
}

// "+N more: AP (ap/story.md:2), wire/b.txt:2": the copies folded into a hit,
// each by its outlet (when known) and where it is.
void print_copies(std::ostream& out, const Hit& h, const TextStyle& style) {
    if (h.copies.empty()) {
        return;
    }
    out << "    +" << h.copies.size() << " more: ";
    for (std::size_t i = 0; i < h.copies.size(); ++i) {
        const Copy& c = h.copies[i];
        if (i > 0) {
            out << ", ";
        }
        if (!c.source.empty()) {
            write_safe(out, c.source);
            out << " (";
        }
        if (style.color) {
            out << c_path;
        }
        write_safe(out, c.article != c.path ? display_article(c.path, c.article, style) : style.show_path(c.path));
        if (style.color) {
            out << c_reset;
        }
        out << ':';
        if (style.color) {
            out << c_num << c.passage << c_reset;
        } else {
            out << c.passage;
        }
        if (!c.source.empty()) {
            out << ')';
        }
    }
    out << '\n';
}

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace

namespace {

// The bidirectional embeddings, overrides and isolates (U+202A-U+202E,
// U+2066-U+2069): they reorder what a terminal shows after them, even past
// the end of the passage ("Trojan Source"). 0 when s[i] is not one of them.
char32_t bidi_control(std::string_view s, std::size_t i, std::size_t n) {
    if (n != 3 || static_cast<unsigned char>(s[i]) != 0xE2) {
        return 0;
    }
    auto b1 = static_cast<unsigned char>(s[i + 1]);
    auto b2 = static_cast<unsigned char>(s[i + 2]);
    if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
        return 0x2000 + ((b1 & 0x3F) << 6) + (b2 & 0x3F);
    }
    return 0;
}

}  // namespace

void write_safe(std::ostream& out, std::string_view s) {
    constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD
    std::size_t run = 0;                                      // start of the pending clean run
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7F) {
            ++i;  // printable ASCII, most of any text: always kept
            continue;
        }
        std::size_t n = analysis::utf8_sequence(s, i);
        if (char32_t b = bidi_control(s, i, n); b != 0) {
            out.write(s.data() + run, static_cast<std::streamsize>(i - run));
            char buf[24];
            std::snprintf(buf, sizeof buf, "\u27E8U+%04X\u27E9", static_cast<unsigned>(b));  // ⟨U+202E⟩, visible
            out << buf;
            i += n;
            run = i;
            continue;
        }
        bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) <= 0x9F;  // C1 controls
        if (n == 0 || c < 0x20 || c == 0x7F || c1) {
            out.write(s.data() + run, static_cast<std::streamsize>(i - run));
            out << (c == '\t' || c == '\n' || c == '\r' ? std::string_view(" ") : replacement);
            i += n == 0 ? 1 : n;
            run = i;
            continue;
        }
        i += n;
    }
    out.write(s.data() + run, static_cast<std::streamsize>(s.size() - run));
}

void print_heading(std::ostream& out, const std::string& path, const TextStyle& style) {
    if (style.color) {
        out << c_path;
    }
    write_safe(out, path);
    if (style.color) {
        out << c_reset;
    }
    out << '\n';
}

void print_line(std::ostream& out, const std::string& path, int passage, char sep, std::string_view text,
                const std::vector<Span>& highlights, const TextStyle& style) {
    if (!style.heading) {
        if (style.color) {
            out << c_path;
        }
        write_safe(out, path);
        if (style.color) {
            out << c_reset;
        }
        out << sep;
    }
    if (style.color) {
        out << c_num << passage << c_reset;
    } else {
        out << passage;
    }
    out << sep << ' ';
    std::size_t pos = 0;
    for (const Span& sp : highlights) {
        write_safe(out, text.substr(pos, sp.begin - pos));
        if (style.color) {
            out << c_match;
        }
        write_safe(out, text.substr(sp.begin, sp.end - sp.begin));
        if (style.color) {
            out << c_reset;
        }
        pos = sp.end;
    }
    write_safe(out, text.substr(pos));
    out << '\n';
}

void print_text(std::ostream& out, const SearchResults& res, const TextStyle& style) {
    std::string last;
    for (const Hit& h : res.hits) {
        std::string path = h.article != h.path ? display_article(h, style) : style.show_path(h.path);
        if (style.heading && path != last) {
            if (!last.empty()) {
                out << '\n';
            }
            print_heading(out, path, style);
        }
        last = path;
        print_line(out, path, h.passage, ':', h.snippet, h.snippet_highlights, style);
        print_copies(out, h, style);
        if (!h.explain.empty()) {
            out << "    " << h.explain << '\n';
        }
    }
}

void print_with_context(std::ostream& out, Searcher& searcher, const SearchResults& res, std::size_t context,
                        const TextStyle& style) {
    // Every hit is printed as a hit (':' and its highlights), also where it
    // falls in another hit's window; every passage once; windows in rank
    // order, "--" between lines that do not follow each other.
    std::set<std::pair<std::string, int>> printed;
    std::map<std::pair<std::string, int>, const Hit*> hits;
    for (const Hit& h : res.hits) {
        hits.emplace(std::make_pair(h.article, h.passage), &h);
    }
    std::pair<std::string, int> last{"", -1};
    for (const Hit& h : res.hits) {
        const std::string path = h.article != h.path ? display_article(h, style) : style.show_path(h.path);
        std::vector<Hit> window = searcher.neighbours(h, context, context);
        if (std::none_of(window.begin(), window.end(), [&](const Hit& n) { return n.passage == h.passage; })) {
            window.push_back(h);  // the index changed since the search: the hit still shows
        }
        for (const Hit& n : window) {
            std::pair<std::string, int> key{h.article, n.passage};
            if (!printed.insert(key).second) {
                continue;
            }
            if (last.second >= 0 && !(last.first == key.first && last.second + 1 == key.second)) {
                out << "--\n";
            }
            if (style.heading && last.first != key.first) {
                print_heading(out, path, style);
            }
            last = key;
            auto hit = hits.find(key);
            if (hit != hits.end()) {
                print_line(out, path, n.passage, ':', hit->second->snippet, hit->second->snippet_highlights, style);
                print_copies(out, *hit->second, style);
            } else {
                print_line(out, path, n.passage, '-', n.snippet, {}, style);
            }
        }
    }
}

void print_files(std::ostream& out, const SearchResults& res, const TextStyle& style) {
    std::set<std::string> seen;
    for (const Hit& h : res.hits) {
        if (seen.insert(h.path).second) {
            print_heading(out, style.show_path(h.path), style);  // the path, coloured where colour is on
        }
    }
}

void print_counts(std::ostream& out, const SearchResults& res, const TextStyle& style) {
    std::vector<std::string> order;
    std::map<std::string, std::size_t> counts;
    for (const Hit& h : res.hits) {
        if (counts[h.path]++ == 0) {
            order.push_back(h.path);
        }
    }
    for (const auto& p : order) {
        if (style.color) {
            out << c_path;
        }
        write_safe(out, style.show_path(p));
        if (style.color) {
            out << c_reset;
        }
        out << ':' << counts[p] << '\n';
    }
}

void print_json(std::ostream& out, const SearchResults& res, const TextStyle& style) {
    Json j;
    j["query"] = res.query;
    j["total"] = res.total;
    auto& arr = j["results"] = Json::array();
    for (const Hit& h : res.hits) {
        arr.push_back(hit_json(h, style));
    }
    if (!res.corrected.empty()) {
        j["corrected"] = res.corrected;
        j["used_correction"] = res.used_correction;
    }
    if (!res.explanation.empty()) {
        j["explanation"] = res.explanation;
    }
    if (res.partial) {
        j["partial"] = true;
    }
    if (res.check_stopped) {
        j["check_stopped"] = true;
    }
    if (!res.warnings.empty()) {
        j["warnings"] = res.warnings;
    }
    total_bounds(j, res);
    add_counts(j, res);
    out << dump(j) << '\n';
}

void print_jsonl(std::ostream& out, const SearchResults& res, const TextStyle& style) {
    for (const Hit& h : res.hits) {
        Json r = hit_json(h, style);
        Json line;
        line["type"] = "result";
        for (auto& [k, v] : r.items()) {
            line[k] = v;
        }
        out << dump(line) << '\n';
    }
    Json s;
    s["type"] = "summary";
    s["query"] = res.query;
    s["total"] = res.total;
    s["results"] = res.hits.size();
    if (!res.corrected.empty()) {
        s["corrected"] = res.corrected;
        s["used_correction"] = res.used_correction;
    }
    if (res.partial) {
        s["partial"] = true;
    }
    if (res.check_stopped) {
        s["check_stopped"] = true;
    }
    if (!res.warnings.empty()) {
        s["warnings"] = res.warnings;
    }
    total_bounds(s, res);
    add_counts(s, res);
    out << dump(s) << '\n';
}

}  // namespace lede
