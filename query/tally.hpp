// Counting all matches of a search by period (--timeline) and by field value
// (--by): from the counts of slot values over the matches - Xapian's
// ValueCountMatchSpy, or lede's own count of the matches it checked on their
// text - to Timeline and Facet. Each value of slot_period names one article
// and holds its date and source (index/dates.hpp), so one count gives
// passages (the sum) and articles (the values).
#pragma once

#include <lede/search.hpp>

#include "index/dates.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace lede::query {

/// Matching passages by slot value.
using ValueCounts = std::map<std::string, std::uint64_t>;

/// The key of the period of @p p holding date @p d ("" when @p d is less
/// precise than @p p: a month alone has no day or week).
std::string period_key(const index::Date& d, Period p);

/// The period an automatic timeline uses for these dates (by their span and
/// their least precise date: decades for 1790-2020, days for a fortnight).
Period auto_period(const ValueCounts& period_values);

/// The timeline of @p period_values (counts of slot_period values); @p
/// total_passages counts the matches, also those without a value.
Timeline make_timeline(const ValueCounts& period_values, std::uint64_t total_passages, Period p, bool lower_bound);

/// Whether lede can count matches by @p field ("source", "year", "month", "decade").
bool facet_field(const std::string& field);
/// The slot a facet field counts (slot_period: it holds dates and sources).
unsigned facet_slot(const std::string& field);

/// The facet of @p field from the counts of its slot's values.
Facet make_facet(const std::string& field, const ValueCounts& values, std::uint64_t total_passages, bool lower_bound);

}  // namespace lede::query
