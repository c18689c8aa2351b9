#include "query/snippet.hpp"

#include <algorithm>

namespace lede::query {
namespace {

constexpr std::string_view ellipsis = "\xE2\x80\xA6";  // …

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

Snippet make_snippet(std::string_view text, const std::vector<Span>& hl, std::size_t target) {
    Snippet s;
    if (text.size() <= target + target / 4) {
        s.text = text;
        s.highlights = hl;
        return s;
    }
    // The run of highlights, starting at each one, that fits in the target.
    std::size_t best_i = 0;
    std::size_t best_n = 0;
    for (std::size_t i = 0; i < hl.size(); ++i) {
        std::size_t n = 0;
        while (i + n < hl.size() && hl[i + n].end - hl[i].begin <= target) {
            ++n;
        }
        if (n > best_n) {
            best_n = n;
            best_i = i;
        }
    }
    std::size_t b = 0;
    std::size_t e = std::min(text.size(), target);
    if (best_n > 0) {
        std::size_t covered_b = hl[best_i].begin;
        std::size_t covered_e = hl[best_i + best_n - 1].end;
        std::size_t slack = target > covered_e - covered_b ? target - (covered_e - covered_b) : 0;
        // A third of the slack before the first match, the rest after it.
        b = covered_b > slack / 3 ? covered_b - slack / 3 : 0;
        e = std::min(text.size(), std::max(covered_e, b + target));
        if (e == text.size()) {
            b = e > target ? std::min(b, e - target) : 0;
        }
    }
    // Snap to word boundaries, never cutting a highlight or a UTF-8 sequence.
    if (b > 0) {
        std::size_t limit = best_n > 0 ? hl[best_i].begin : b + 40;
        std::size_t nb = b;
        while (nb < limit && !is_space(text[nb - 1])) {
            ++nb;
        }
        b = nb < limit ? nb : b;
        while (b > 0 && is_continuation(text[b])) {
            --b;
        }
    }
    if (e < text.size()) {
        std::size_t floor = best_n > 0 ? hl[best_i + best_n - 1].end : b;
        std::size_t ne = e;
        while (ne > floor && !is_space(text[ne])) {
            --ne;
        }
        e = ne > floor ? ne : e;
        while (e < text.size() && is_continuation(text[e])) {
            ++e;
        }
    }
    while (b < e && is_space(text[b])) {
        ++b;
    }
    while (e > b && is_space(text[e - 1])) {
        --e;
    }
    std::size_t shift = 0;
    if (b > 0) {
        s.text = ellipsis;
        shift = ellipsis.size();
    }
    s.text.append(text.substr(b, e - b));
    if (e < text.size()) {
        s.text.append(ellipsis);
    }
    for (const Span& h : hl) {
        if (h.begin >= b && h.end <= e) {
            s.highlights.push_back({h.begin - b + shift, h.end - b + shift});
        }
    }
    return s;
}

}  // namespace lede::query
