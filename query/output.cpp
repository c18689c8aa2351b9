#include "query/output.hpp"

#include <nlohmann/json.hpp>

namespace lede::query {
namespace {

// ripgrep's default colours: path magenta, number green, match bold red.
constexpr const char* c_path = "\x1b[35m";
constexpr const char* c_num = "\x1b[32m";
constexpr const char* c_match = "\x1b[1;31m";
constexpr const char* c_reset = "\x1b[0m";

}  // namespace

void write_safe(std::ostream& out, std::string_view s) {
    std::size_t run = 0;  // start of the pending clean run
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        bool c1 = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80
                  && static_cast<unsigned char>(s[i + 1]) <= 0x9F;
        if (c < 0x20 || c == 0x7F || c1) {
            out.write(s.data() + run, static_cast<std::streamsize>(i - run));
            if (c == '\t' || c == '\n' || c == '\r') {
                out.put(' ');
            } else {
                out << "\xEF\xBF\xBD";
            }
            if (c1) {
                ++i;
            }
            run = i + 1;
        }
    }
    out.write(s.data() + run, static_cast<std::streamsize>(s.size() - run));
}

void print_text(std::ostream& out, const SearchResults& res, const TextStyle& style) {
    for (const Hit& h : res.hits) {
        std::string path = style.show_path(h.path);
        if (style.color) {
            out << c_path;
        }
        write_safe(out, path);
        if (style.color) {
            out << c_reset;
        }
        out << ':';
        if (style.color) {
            out << c_num << h.passage << c_reset;
        } else {
            out << h.passage;
        }
        out << ": ";
        std::size_t pos = 0;
        std::string_view s = h.snippet;
        for (const Span& sp : h.snippet_highlights) {
            write_safe(out, s.substr(pos, sp.begin - pos));
            if (style.color) {
                out << c_match;
            }
            write_safe(out, s.substr(sp.begin, sp.end - sp.begin));
            if (style.color) {
                out << c_reset;
            }
            pos = sp.end;
        }
        write_safe(out, s.substr(pos));
        out << '\n';
    }
}

void print_json(std::ostream& out, const SearchResults& res, const TextStyle& style) {
    nlohmann::ordered_json j;
    j["query"] = res.query;
    j["total"] = res.total;
    auto& arr = j["results"] = nlohmann::ordered_json::array();
    for (const Hit& h : res.hits) {
        nlohmann::ordered_json r;
        r["rank"] = h.rank;
        r["score"] = h.score;
        r["path"] = style.show_path(h.path);
        r["passage"] = h.passage;
        r["start"] = h.start;
        r["end"] = h.end;
        r["text"] = h.text;
        r["snippet"] = h.snippet;
        auto& hl = r["highlights"] = nlohmann::ordered_json::array();
        for (const Span& s : h.highlights) {
            hl.push_back({s.begin, s.end});
        }
        arr.push_back(std::move(r));
    }
    out << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace lede::query
