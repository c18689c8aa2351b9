// Alerts (include/lede/alerts.hpp): the indexed-time filter of a search and
// the checkpoints of --since-last.
//
// Every commit stamps the passages it adds with one time (index::slot_indexed),
// later than the last commit's, and records it as index::meta::indexed
// (indexer/batch.hpp). An alert's checkpoint is that metadata of each index
// searched, read on the revision the search reads: passages with a time up to
// it are exactly those committed by then, and every later commit's are after
// it. A run reports, per index, the passages after the previous checkpoint and
// up to the new one: a search while a writer commits sees the commit whole or
// not at all, and what it does not see comes next time, once.
//
// One index's times come from its own writer only, so each index (a
// subdatabase: a folder, a remote shard, each line of a stub) has its own
// window. The query filters by the union of the windows (OP_VALUE_RANGE, which
// a stock xapian-tcpsrv runs); when the windows differ, each candidate is
// also checked against its own index's window (a subdatabase is known from
// the document id: Xapian interleaves them).
#pragma once

#include <xapian.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lede::query {

/// A checkpoint: per index key (its index::meta::id, else its Xapian UUID,
/// else "#N" for the Nth subdatabase), the indexed time of its last commit
/// seen, milliseconds.
using Checkpoint = std::map<std::string, std::int64_t>;

/// "lede-alert-1 KEY=MS ..." and back. parse_checkpoint("") is empty;
/// @throws lede::Error (invalid_argument) for text that is not a checkpoint.
std::string format_checkpoint(const Checkpoint& c);
Checkpoint parse_checkpoint(const std::string& text);

/// Milliseconds since 1970 UTC of a time point, and back.
std::int64_t to_ms(std::chrono::system_clock::time_point t);
std::chrono::system_clock::time_point from_ms(std::int64_t ms);

/// The indexed-time filter of one search.
class TimeFilter {
public:
    /// Nothing to filter: active() is false.
    TimeFilter() = default;
    /// For a search of @p parts (the subdatabases, in order) on their current
    /// revision: passages indexed at or after @p since (when given) and, with
    /// @p after, after that checkpoint and up to the current one (next()).
    TimeFilter(const std::vector<Xapian::Database>& parts, std::optional<std::int64_t> since,
               const std::optional<std::string>& after);

    [[nodiscard]] bool active() const { return active_; }
    /// The query's filter (a value range over slot_indexed).
    [[nodiscard]] const Xapian::Query& query() const { return query_; }
    /// Whether each candidate must also be checked against its own index's window.
    [[nodiscard]] bool per_part() const { return per_part_; }
    /// Whether document @p id (of the combined database) with the indexed
    /// time value @p value is in its index's window.
    [[nodiscard]] bool admits(Xapian::docid id, const std::string& value) const;
    /// The checkpoint to give the next search: the one given, with the
    /// current time of each index searched (an index skipped keeps its old).
    [[nodiscard]] const std::string& next() const { return next_; }

private:
    bool active_ = false;
    bool per_part_ = false;
    Xapian::Query query_;
    std::vector<std::pair<std::string, std::string>> windows_;  // per part: [low, high] as stored values
    std::string next_;
};

}  // namespace lede::query
