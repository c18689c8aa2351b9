#include "index/dates.hpp"

#include <cstdio>

namespace lede::index {
namespace {

bool digits(std::string_view s) {
    for (char c : s) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return !s.empty();
}

int number(std::string_view s) {
    int n = 0;
    for (char c : s) {
        n = n * 10 + (c - '0');
    }
    return n;
}

std::string ymd(int y, int m, int d) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", y, m, d);
    return buf;
}

}  // namespace

int days_in_month(int year, int month) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) {
        return 0;
    }
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

bool real_day(int year, int month, int day) {
    return year >= 1000 && year <= 2999 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

std::string Date::str() const {
    char buf[48];
    if (day > 0) {
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    } else if (month > 0) {
        std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    } else {
        std::snprintf(buf, sizeof buf, "%04d", year);
    }
    return buf;
}

std::string Date::first_day() const { return ymd(year, month > 0 ? month : 1, day > 0 ? day : 1); }

std::string Date::last_day() const {
    const int m = month > 0 ? month : 12;
    return ymd(year, m, day > 0 ? day : days_in_month(year, m));
}

std::optional<Date> parse_stored_date(std::string_view s) {
    Date d;
    if (s.size() < 4 || !digits(s.substr(0, 4))) {
        return std::nullopt;
    }
    d.year = number(s.substr(0, 4));
    if (s.size() == 4) {
        return d.year >= 1000 && d.year <= 2999 ? std::optional(d) : std::nullopt;
    }
    if ((s.size() != 7 && s.size() != 10) || s[4] != '-' || !digits(s.substr(5, 2))) {
        return std::nullopt;
    }
    d.month = number(s.substr(5, 2));
    if (s.size() == 10) {
        if (s[7] != '-' || !digits(s.substr(8, 2))) {
            return std::nullopt;
        }
        d.day = number(s.substr(8, 2));
        return real_day(d.year, d.month, d.day) ? std::optional(d) : std::nullopt;
    }
    return real_day(d.year, d.month, 1) ? std::optional(d) : std::nullopt;
}

std::string period_value(const std::optional<Date>& date, std::uint64_t article_hash, std::string_view source) {
    std::string v = date ? date->last_day() + date->precision() : std::string("-");
    for (int i = 0; i < 8; ++i) {
        v += static_cast<char>(article_hash >> (56 - 8 * i));
    }
    v += source;
    return v;
}

std::optional<Date> date_of_period_value(std::string_view v) {
    if (v.size() < 9 || !digits(v.substr(0, 8))) {
        return std::nullopt;
    }
    Date d;
    d.year = number(v.substr(0, 4));
    switch (v[8]) {
    case 'd':
        d.month = number(v.substr(4, 2));
        d.day = number(v.substr(6, 2));
        break;
    case 'm': d.month = number(v.substr(4, 2)); break;
    case 'y': break;
    default: return std::nullopt;
    }
    return d;
}

std::string_view source_of_value(std::string_view value) {
    // The period takes 9 bytes when dated, 1 ("-") when not; the reference 8.
    const std::size_t at = (value.empty() || value[0] == '-' ? 1 : 9) + 8;
    return value.size() > at ? value.substr(at) : std::string_view();
}

}  // namespace lede::index
