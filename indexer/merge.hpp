// Merges of a segmented index (docs/ARCHITECTURE.md "Segments, deletions,
// merges"): at the end of a `lede index` run, under its write lock, segments
// of similar size are merged into one, so that the number of segments a
// search opens stays small however many runs wrote them.
//
// The policy is tiered, by passage count (a segment's documents, hidden ones
// included): every segment below MergePolicy::floor is in tier 0, and each
// tier above holds segments up to MergePolicy::factor times larger than the
// one below. A tier holding more than MergePolicy::per_tier segments is
// merged into one (which may then overflow the tier above: merges cascade);
// an index still holding more than MergePolicy::max_segments has its
// smallest merged until it holds no more. A passage is so merged about twice
// per tier it passes through, and a month of daily runs leaves at most
// max_segments segments.
//
// A merge is a Xapian compaction of the parts into a new segment folder, then
// a commit (index::segments::Index::commit) naming it instead of the parts:
// the same stub swap as every commit, so a crash leaves the old layout or the
// new one; the parts stay on disk for the readers that opened them until the
// next writer run removes them (remove_unnamed).
#pragma once

#include "index/segments.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace lede::indexer {

struct MergePolicy {
    /// Segments of fewer passages are all in tier 0.
    std::uint64_t floor = 1000;
    /// The size ratio from one tier to the next.
    std::uint64_t factor = 8;
    /// A tier holding more segments than this is merged into one.
    std::size_t per_tier = 4;
    /// An index holding more segments than this has its smallest merged.
    std::size_t max_segments = 8;
    /// Segments of fewer passages (tier 0) are not rebuilt alone for their
    /// hidden passages (merge_segments()): a merge of their tier comes within
    /// a few runs, and drops them when they are over its share.
    std::uint64_t rebuild_min = 1000;
};

/// The tier of a segment of @p passages documents.
unsigned tier_of(std::uint64_t passages, const MergePolicy& policy = {});

/// The segments to merge next into one, as indexes into @p sizes (their
/// passage counts), or none: the segments of the lowest tier holding more
/// than per_tier, else, with more than max_segments, the smallest ones (as
/// many as bring the count down to max_segments).
std::vector<std::size_t> pick_merge(const std::vector<std::uint64_t>& sizes, const MergePolicy& policy = {});

/// The decision point of a merge that meets hidden passages: whether it
/// should drop them (rebuild the merged segment from the stored passages
/// without them, which needs no term lists) rather than keep them (Xapian
/// compaction: they stay hidden by their deletion records, and keep counting
/// in the collection statistics). True when they are more than 20 % of the
/// merged passages.
bool drop_hidden_in_merge(std::uint64_t hidden, std::uint64_t passages);

/// What merge_segments() did.
struct MergeReport {
    std::size_t merges = 0;    ///< merges made (each its own commit)
    std::size_t merged = 0;    ///< segments merged (parts of those merges)
    std::uint64_t hidden = 0;  ///< hidden passages the merges kept (compactions)
    /// Merges that rebuilt their segment from the stored passages, dropping
    /// its hidden passages (over the drop_hidden_in_merge() share).
    std::size_t rebuilt = 0;
    /// Segments rebuilt alone (no merge picked them) to drop their hidden
    /// passages, over the drop_hidden_in_merge() share (or removed, when
    /// nothing of one was visible).
    std::size_t expunged = 0;
    std::uint64_t dropped = 0;  ///< hidden passages those rebuilds dropped
    double seconds = 0.0;       ///< wall time of the merges
};

/// Merge the segments of @p index as @p policy says, one commit per merge;
/// then rebuild alone, one commit each, every segment of at least
/// MergePolicy::rebuild_min passages whose hidden passages are over the
/// drop_hidden_in_merge() share (erasing the deletion records
/// that hid only them, as a merge that drops them does). @p stop (optional)
/// is asked before each merge and rebuild, and true ends them there.
MergeReport merge_segments(index::segments::Index& index, const MergePolicy& policy = {},
                           const std::function<bool()>& stop = {});

}  // namespace lede::indexer
