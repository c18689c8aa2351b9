#include "indexer/path_date.hpp"

#include <vector>

namespace lede::indexer {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool sep(char c) { return c == '-' || c == '_' || c == '/'; }

int two(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

struct Found {
    index::Date date;
    std::string impossible;
};

// The date at the start of @p s (a component and what follows it), if any.
std::optional<Found> date_at(std::string_view s) {
    if (s.size() < 5 || !digit(s[0]) || !digit(s[1]) || !digit(s[2]) || !digit(s[3]) || !sep(s[4])) {
        return std::nullopt;
    }
    Found f;
    f.date.year = two(s, 0) * 100 + two(s, 2);
    if (f.date.year < 1000 || f.date.year > 2999) {
        return std::nullopt;
    }
    // A month: two digits after the separator, then a separator, '.' or the end.
    auto ends_month = [&](std::size_t at) { return at == s.size() || sep(s[at]) || s[at] == '.'; };
    if (s.size() >= 7 && digit(s[5]) && digit(s[6]) && ends_month(7)) {
        const int month = two(s, 5);
        if (month >= 1 && month <= 12) {
            f.date.month = month;
            // A day: two digits after a separator, then anything but a digit.
            if (s.size() >= 10 && s[7] != '.' && sep(s[7]) && digit(s[8]) && digit(s[9])
                && (s.size() == 10 || !digit(s[10]))) {
                const int day = two(s, 8);
                if (day >= 1 && day <= 31) {
                    if (index::real_day(f.date.year, month, day)) {
                        f.date.day = day;
                    } else {
                        f.impossible = std::string(s.substr(0, 10));
                    }
                }
            }
        }
    }
    return f;
}

int rank(const index::Date& d) { return d.day > 0 ? 3 : d.month > 0 ? 2 : 1; }

}  // namespace

PathDate path_date(std::string_view path) {
    // Where each component starts.
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] != '/' && (i == 0 || path[i - 1] == '/')) {
            starts.push_back(i);
        }
    }
    PathDate out;
    int best = 0;
    const std::size_t n = starts.size();
    for (std::size_t k = n; k > 0 && n - k < 4; --k) {
        std::string_view rest = path.substr(starts[k - 1]);
        auto f = date_at(rest);
        if (!f) {
            continue;
        }
        if (!f->impossible.empty()) {
            if (out.impossible.empty()) {
                out.impossible = f->impossible;
            }
            continue;
        }
        if (rank(f->date) > best) {
            best = rank(f->date);
            out.date = f->date;
        }
    }
    if (out.date) {
        out.impossible.clear();
    }
    return out;
}

}  // namespace lede::indexer
