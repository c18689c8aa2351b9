// Article dates at their precision (a year, a month or a day) and the value
// slots that hold them (index/schema.hpp): slot_date, the period's first day,
// and slot_period, its last day, its precision, the article and its source. The indexer
// writes them, date: filters and --sort read them, and --timeline counts them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lede::index {

/// A date as precise as its source: month and day 0 when not given.
struct Date {
    int year = 0;
    int month = 0;  ///< 1-12, or 0: the whole year
    int day = 0;    ///< 1-31, or 0: the whole month (or year)

    /// "YYYY", "YYYY-MM" or "YYYY-MM-DD" (the stored and printed form).
    [[nodiscard]] std::string str() const;
    /// The first and last day of the period, YYYYMMDD.
    [[nodiscard]] std::string first_day() const;
    [[nodiscard]] std::string last_day() const;
    /// 'y', 'm' or 'd'.
    [[nodiscard]] char precision() const { return day > 0 ? 'd' : month > 0 ? 'm' : 'y'; }
    friend bool operator==(const Date&, const Date&) = default;
};

/// Whether year-month-day is a day of the Gregorian calendar (year 1000-2999;
/// 2026-02-29 and 2026-02-30 are not).
bool real_day(int year, int month, int day);
/// Days in the month (28-31).
int days_in_month(int year, int month);

/// A stored date ("YYYY", "YYYY-MM", "YYYY-MM-DD"), or nullopt.
std::optional<Date> parse_stored_date(std::string_view s);

/// The value of slot_period for a passage: the period's last day (YYYYMMDD)
/// and its precision ('y', 'm', 'd'), or "-" for an undated article; then the
/// article's reference, its 64-bit hash (article_hash()) as 8 bytes big-endian;
/// then the article's source name ("" when it has none). One value per
/// article, so that a count of values over the matches counts articles and
/// their passages at once, by date (--timeline) and by source (--by source).
std::string period_value(const std::optional<Date>& date, std::uint64_t article_hash, std::string_view source);
/// The date a period_value() holds (nullopt: undated or not such a value).
std::optional<Date> date_of_period_value(std::string_view value);
/// The source name a period_value() holds ("" when none).
std::string_view source_of_value(std::string_view value);

}  // namespace lede::index
