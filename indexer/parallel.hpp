// Runs of many files written by one writer per core: each writes a shard of
// the files under <index>/.lede-build/, the shards are compacted into one
// segment, and it is staged for the writer's next commit (BatchWriter::stage)
// with the shards' file stamps and deletion records: the run appears at once,
// with one stub swap, and a crash before it leaves the index as it was (the
// next run removes what no stub names; docs/ARCHITECTURE.md "Segments,
// deletions, merges").
#pragma once

#include "indexer/batch.hpp"

#include <cstddef>
#include <vector>

namespace lede::indexer {

/// Passages per commit of a shard at most (fewer when IndexOptions::flush_passages
/// says so). Each commit empties Xapian's in-memory inverter, whose posting
/// maps cost more per posting the fuller they are (Xapian's own flush comes
/// at 10,000 documents, and lede's commit at 20,000 by default).
inline constexpr std::size_t shard_flush_passages = 2000;

/// Index @p jobs into the new, empty index of @p target with @p writers
/// writers; spelling data is made once from the terms of all shards.
/// Cancelled (IndexOptions::cancel) before the compaction, the shards are
/// dropped and @p target is left as it was, with rep.interrupted set.
void parallel_build(BatchWriter& target, std::vector<Job>& jobs, const IndexOptions& opt, IndexReport& rep,
                    Clock::time_point t0, unsigned writers);

/// Index @p jobs, new and changed files, into the index of @p target with
/// @p writers writers: each shard hides the committed passages of its files
/// in @p target's index (shared under a mutex) and collects spelling data as
/// one writer does. Cancelled, the files written whole are kept (rep.interrupted).
void parallel_update(BatchWriter& target, std::vector<Job>& jobs, const IndexOptions& opt, IndexReport& rep,
                     Clock::time_point t0, unsigned writers);

}  // namespace lede::indexer
