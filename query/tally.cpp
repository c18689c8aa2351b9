#include "query/tally.hpp"

#include <lede/error.hpp>

#include "index/schema.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace lede {

const char* period_name(Period p) {
    switch (p) {
    case Period::day: return "day";
    case Period::week: return "week";
    case Period::month: return "month";
    case Period::year: return "year";
    case Period::decade: return "decade";
    case Period::automatic: return "auto";
    case Period::none: break;
    }
    return "";
}

}  // namespace lede

namespace lede::query {
namespace {

namespace ch = std::chrono;

long days_of(int y, int m, int d) {
    return static_cast<long>(
        ch::sys_days(ch::year(y) / ch::month(static_cast<unsigned>(m)) / ch::day(static_cast<unsigned>(d)))
            .time_since_epoch()
            .count());
}

index::Date date_of_days(long n) {
    ch::year_month_day ymd{ch::sys_days(ch::days(n))};
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

long floor_div(long a, long b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// The Monday of the week of day @p n (1970-01-05, day 4, was a Monday).
long monday_of(long n) { return 4 + floor_div(n - 4, 7) * 7; }

std::string iso_week(long monday) {
    index::Date thursday = date_of_days(monday + 3);
    long week = (monday + 3 - days_of(thursday.year, 1, 1)) / 7 + 1;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-W%02ld", thursday.year, week);
    return buf;
}

// A period as a number, consecutive periods consecutive numbers; nullopt when
// the date is less precise than the period.
std::optional<long> period_index(const index::Date& d, Period p) {
    switch (p) {
    case Period::day: return d.day > 0 ? std::optional(days_of(d.year, d.month, d.day)) : std::nullopt;
    case Period::week:
        return d.day > 0 ? std::optional(floor_div(monday_of(days_of(d.year, d.month, d.day)) - 4, 7)) : std::nullopt;
    case Period::month: return d.month > 0 ? std::optional(static_cast<long>(d.year) * 12 + d.month - 1) : std::nullopt;
    case Period::year: return d.year;
    case Period::decade: return d.year / 10;
    default: return std::nullopt;
    }
}

std::string key_of_index(long i, Period p) {
    char buf[48];
    switch (p) {
    case Period::day: return date_of_days(i).str();
    case Period::week: return iso_week(i * 7 + 4);
    case Period::month:
        std::snprintf(buf, sizeof buf, "%04ld-%02ld", floor_div(i, 12), i - floor_div(i, 12) * 12 + 1);
        return buf;
    case Period::year: std::snprintf(buf, sizeof buf, "%04ld", i); return buf;
    case Period::decade: std::snprintf(buf, sizeof buf, "%04lds", i * 10); return buf;
    default: return {};
    }
}

void add(Bucket& b, std::uint64_t passages) {
    b.passages += passages;
    ++b.articles;
}

constexpr std::size_t max_filled = 2000;

}  // namespace

std::string period_key(const index::Date& d, Period p) {
    auto i = period_index(d, p);
    return i ? key_of_index(*i, p) : std::string();
}

Period auto_period(const ValueCounts& period_values) {
    long first = 0;
    long last = 0;
    bool any = false;
    Period least = Period::day;
    for (const auto& [v, n] : period_values) {
        auto d = index::date_of_period_value(v);
        if (!d) {
            continue;
        }
        const long a = days_of(d->year, d->month > 0 ? d->month : 1, d->day > 0 ? d->day : 1);
        const long b = days_of(d->year, d->month > 0 ? d->month : 12,
                               d->day > 0 ? d->day : index::days_in_month(d->year, d->month > 0 ? d->month : 12));
        first = any ? std::min(first, a) : a;
        last = any ? std::max(last, b) : b;
        any = true;
        least = std::max(least, d->day > 0 ? Period::day : d->month > 0 ? Period::month : Period::year);
    }
    const long span = last - first;
    Period by_span = span <= 62         ? Period::day
                     : span <= 366      ? Period::week
                     : span <= 5 * 366  ? Period::month
                     : span <= 60 * 366 ? Period::year
                                        : Period::decade;
    return std::max(by_span, least);
}

Timeline make_timeline(const ValueCounts& period_values, std::uint64_t total_passages, Period p, bool lower_bound) {
    Timeline t;
    t.period = p == Period::automatic ? auto_period(period_values) : p;
    t.lower_bound = lower_bound;
    std::map<long, Bucket> by_index;
    std::uint64_t counted = 0;
    for (const auto& [v, n] : period_values) {
        counted += n;
        ++t.total.articles;
        auto d = index::date_of_period_value(v);
        if (!d) {
            add(t.undated, n);
            continue;
        }
        auto i = period_index(*d, t.period);
        if (!i) {
            add(t.coarser, n);
            continue;
        }
        add(by_index[*i], n);
    }
    // Passages without a value (none in an index of this version).
    t.undated.passages += total_passages > counted ? total_passages - counted : 0;
    t.total.passages = std::max(total_passages, counted);
    if (by_index.empty()) {
        return t;
    }
    const long lo = by_index.begin()->first;
    const long hi = by_index.rbegin()->first;
    const bool fill = static_cast<unsigned long>(hi - lo) < max_filled;
    for (long i = lo; i <= hi; ++i) {
        auto it = by_index.find(i);
        if (it == by_index.end() && !fill) {
            i = by_index.upper_bound(i)->first - 1;  // the next period with matches
            continue;
        }
        Bucket b = it == by_index.end() ? Bucket{} : it->second;
        b.key = key_of_index(i, t.period);
        t.buckets.push_back(std::move(b));
    }
    return t;
}

bool facet_field(const std::string& field) {
    return field == "source" || field == "year" || field == "month" || field == "decade";
}

unsigned facet_slot(const std::string&) { return index::slot_period; }

Facet make_facet(const std::string& field, const ValueCounts& values, std::uint64_t total_passages, bool lower_bound) {
    if (!facet_field(field)) {
        throw Error(ErrorKind::invalid_argument,
                    "cannot count matches by '" + field + "' (known: source, year, month, decade)");
    }
    Facet f;
    f.field = field;
    f.lower_bound = lower_bound;
    const Period p = field == "year" ? Period::year : field == "month" ? Period::month : Period::decade;
    std::map<std::string, Bucket> by_key;
    std::uint64_t counted = 0;
    for (const auto& [v, n] : values) {
        counted += n;
        ++f.total.articles;
        std::string key;
        if (field == "source") {
            key = std::string(index::source_of_value(v));
        } else if (auto d = index::date_of_period_value(v)) {
            key = period_key(*d, p);
        }
        add(key.empty() ? f.missing : by_key[key], n);
    }
    f.missing.passages += total_passages > counted ? total_passages - counted : 0;
    f.total.passages = std::max(total_passages, counted);
    for (auto& [k, b] : by_key) {
        b.key = k;
        f.buckets.push_back(std::move(b));
    }
    std::stable_sort(f.buckets.begin(), f.buckets.end(), [](const Bucket& a, const Bucket& b) {
        return a.articles != b.articles ? a.articles > b.articles : a.passages > b.passages;
    });
    return f;
}

}  // namespace lede::query
