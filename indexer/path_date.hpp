// Dates in file paths, the way archives lay them out: 2026/02/04/slug.txt,
// 2026-02-04-slug.md, 2026_02/slug.txt, 1790_george_washington.txt. A date
// starts a path component with a four-digit year (1000-2999) followed by '-',
// '_' or '/'; then, optionally, a two-digit month (01-12) and day, each after
// one of those separators. The file name and the three folders above it are
// looked at; the most precise date wins, the deepest among equals.
#pragma once

#include "index/dates.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lede::indexer {

struct PathDate {
    std::optional<index::Date> date;  ///< the date, at its precision
    /// A day that is not in the calendar (2026-02-30), as written, when the
    /// path has no other date: the article is indexed undated, with a warning.
    std::string impossible;
};

/// The date in @p path (absolute or relative, '/'-separated).
PathDate path_date(std::string_view path);

}  // namespace lede::indexer
