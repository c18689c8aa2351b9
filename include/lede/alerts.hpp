/// @file lede/alerts.hpp
/// @brief Alerts for batch jobs: what was indexed since a time, or since the
/// last run of a named alert (`lede search --indexed-since`, `--since-last`).
///
/// Every passage carries the time it was indexed (one time per commit, each
/// later than the one before; an unchanged passage of a re-indexed article
/// keeps its time). SearchOptions::indexed_since filters by it;
/// SearchOptions::since_checkpoint with SearchResults::checkpoint gives each
/// passage to a series of searches exactly once. AlertState keeps those
/// checkpoints by name in a file of the caller's choosing (docs/QUERY.md,
/// "Alerts").
#pragma once

#include <lede/export.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace lede {

/// Parse a time for SearchOptions::indexed_since:
///  - a duration before @p now: a whole number and a unit, s, m (min), h, d
///    or w: `90s`, `30m`, `2h`, `3d`, `1w`;
///  - a date, `2026-11-30`: its start, UTC;
///  - a timestamp, `2026-11-30T08:00Z`, `2026-11-30T08:00:00.250+01:00`,
///    `2026-11-30 08:00` (a space for the T; no zone is UTC).
/// @throws lede::Error (invalid_argument) saying what is wrong and what is accepted
LEDE_API std::chrono::system_clock::time_point parse_time(std::string_view text,
                                                          std::chrono::system_clock::time_point now);

/// @p t as ISO 8601 in UTC with milliseconds: `2026-11-30T08:00:00.123Z`.
LEDE_API std::string format_time(std::chrono::system_clock::time_point t);

/// The checkpoints of named alerts in one state file (`lede search
/// --since-last NAME --state FILE`), one line per alert.
///
/// Opening locks the file (an flock on FILE.lock, waiting for a holder) until
/// the object dies: two runs of alerts of one file at once take turns, and the
/// second starts where the first stopped, so no passage is given to both.
class LEDE_API AlertState {
public:
    /// Open (create, with its folder) the state file at @p path and lock it.
    /// @throws lede::Error (io) when it cannot be created, read or locked, or
    /// (invalid_argument) when it is not a state file
    explicit AlertState(const std::string& path);
    ~AlertState();
    AlertState(AlertState&&) noexcept;
    AlertState& operator=(AlertState&&) noexcept;
    AlertState(const AlertState&) = delete;
    AlertState& operator=(const AlertState&) = delete;

    /// Whether alert @p name has run before (has a checkpoint).
    [[nodiscard]] bool known(const std::string& name) const;
    /// The checkpoint of alert @p name: SearchResults::checkpoint of its last
    /// run, "" before its first.
    [[nodiscard]] std::string checkpoint(const std::string& name) const;
    /// Record @p checkpoint as alert @p name's and write the file (a new file
    /// renamed over the old one: a crash leaves the old or the new, whole).
    /// @throws lede::Error (invalid_argument) for a bad name; (io) when writing fails
    void save(const std::string& name, const std::string& checkpoint);

    /// Whether @p name can name an alert: 1 to 64 letters, digits, `.`, `_`
    /// or `-`, not starting with `.` or `-`.
    static bool valid_name(std::string_view name);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lede
