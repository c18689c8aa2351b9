// A fresh index of many files, built by one writer per core: each writes a
// shard under <index>/.lede-build/, spelling data is added once from the
// terms of all shards, the shards are compacted into one, and its tables
// replace the empty index's (iamglass last, so a crash leaves either the
// empty index or the whole new one; an interrupted swap is cleaned up by the
// next run, see index/database.cpp).
#pragma once

#include "indexer/batch.hpp"

#include <vector>

namespace lede::indexer {

/// Index @p jobs into the empty index of @p target with @p writers writers.
/// @p target's database is closed and reopened on the new tables. Cancelled
/// (IndexOptions::cancel) before the compaction, the shards are dropped and
/// @p target is left as it was, with rep.interrupted set.
void parallel_build(BatchWriter& target, std::vector<Job>& jobs, const IndexOptions& opt, IndexReport& rep,
                    Clock::time_point t0, unsigned writers);

}  // namespace lede::indexer
