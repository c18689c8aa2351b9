// Text charts of a search's counts: --timeline and --by.
#include <lede/output.hpp>

#include "analysis/utf8.hpp"

#include <algorithm>
#include <cstdio>

namespace lede {
namespace {

constexpr const char* c_bar = "\x1b[32m";
constexpr const char* c_reset = "\x1b[0m";
constexpr std::size_t bar_width = 40;

// Display width of UTF-8 text, one column per code point (keys and source names).
std::size_t columns(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = analysis::utf8_sequence(s, i);
        i += len == 0 ? 1 : len;
        ++n;
    }
    return n;
}

std::string plural(std::uint64_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

// A bar of @p value over @p max, in eighths of a block: "███▍".
std::string bar(std::uint64_t value, std::uint64_t max) {
    if (value == 0 || max == 0) {
        return {};
    }
    static const char* eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    std::uint64_t units = (value * bar_width * 8 + max / 2) / max;
    units = std::max<std::uint64_t>(units, 1);  // a match is never invisible
    std::string s;
    for (std::uint64_t i = 0; i < units / 8; ++i) {
        s += "█";
    }
    s += eighths[units % 8];
    return s;
}

void table(std::ostream& out, const std::string& head, const std::vector<Bucket>& rows, const TextStyle& style) {
    std::size_t w = columns(head);
    std::uint64_t max = 0;
    for (const auto& b : rows) {
        w = std::max(w, columns(b.key));
        max = std::max(max, b.passages);
    }
    w = std::min<std::size_t>(w, 40);
    auto line = [&](std::string_view key, const std::string& passages, const std::string& articles) {
        std::string k(key);
        if (columns(k) > w) {
            while (columns(k) > w - 1) {
                k.pop_back();
                while (!k.empty() && (static_cast<unsigned char>(k.back()) & 0xC0) == 0x80) {
                    k.pop_back();
                }
            }
            k += "…";
        }
        write_safe(out, k);
        out << std::string(w - columns(k), ' ');
        char buf[64];
        std::snprintf(buf, sizeof buf, " %9s %9s", passages.c_str(), articles.c_str());
        out << buf;
    };
    line(head, "passages", "articles");
    out << '\n';
    for (const auto& b : rows) {
        line(b.key, std::to_string(b.passages), std::to_string(b.articles));
        if (b.passages > 0) {
            out << "  " << (style.color ? c_bar : "") << bar(b.passages, max) << (style.color ? c_reset : "");
        }
        out << '\n';
    }
}

void summary(std::ostream& out, const SearchResults& res, const Bucket& total, bool lower_bound,
             const std::string& by) {
    write_safe(out, res.query);
    out << ": " << (lower_bound ? "at least " : "") << plural(total.passages, "passage") << " in "
        << plural(total.articles, "article") << ", by " << by << '\n';
}

void aside(std::ostream& out, const char* what, const Bucket& b) {
    if (b.passages > 0) {
        out << what << ": " << plural(b.passages, "passage") << " in " << plural(b.articles, "article") << '\n';
    }
}

void lower_bound_note(std::ostream& out, bool lower_bound) {
    if (lower_bound) {
        out << "(counts of the candidates checked for phrases, NEAR and ADJ: the check stopped at its limit, "
               "there are more)\n";
    }
}

}  // namespace

void print_timeline(std::ostream& out, const SearchResults& res, const TextStyle& style) {
    const Timeline& t = res.timeline;
    summary(out, res, t.total, t.lower_bound, period_name(t.period));
    if (!t.buckets.empty()) {
        table(out, period_name(t.period), t.buckets, style);
    }
    aside(out, (std::string("dated less precisely than a ") + period_name(t.period)).c_str(), t.coarser);
    aside(out, "undated", t.undated);
    lower_bound_note(out, t.lower_bound);
}

void print_facets(std::ostream& out, const SearchResults& res, const TextStyle& style, std::size_t top) {
    bool first = true;
    for (const Facet& f : res.facets) {
        if (!first) {
            out << '\n';
        }
        first = false;
        summary(out, res, f.total, f.lower_bound, f.field);
        std::vector<Bucket> rows(f.buckets.begin(),
                                 f.buckets.begin() + static_cast<std::ptrdiff_t>(std::min(top, f.buckets.size())));
        if (!rows.empty()) {
            table(out, f.field, rows, style);
        }
        if (f.buckets.size() > rows.size()) {
            Bucket rest;
            for (std::size_t i = rows.size(); i < f.buckets.size(); ++i) {
                rest.passages += f.buckets[i].passages;
                rest.articles += f.buckets[i].articles;
            }
            aside(out, ("other " + plural(f.buckets.size() - rows.size(), f.field.c_str())).c_str(), rest);
        }
        aside(out, ("no " + f.field).c_str(), f.missing);
        lower_bound_note(out, f.lower_bound);
    }
}

}  // namespace lede
