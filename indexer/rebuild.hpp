// Rebuilding a segment from stored passages: what drops hidden passages from
// segments without term lists (Xapian's delete_document needs them).
//
// Every passage record holds what its document was made of (index/record.hpp),
// and DocumentBuilder::build() is a pure function of the record and the
// article term; what the writer adds beyond it is derived again (the file and
// path terms) or read from the postings of the source (the version terms, the
// date-origin terms, the indexed time of slot 7). So a rebuilt document has
// the terms, values and data of the original, and a rebuilt segment ranks as
// the original minus the hidden passages, with the statistics of the live
// ones alone (docs/ARCHITECTURE.md "Segments, deletions, merges").
#pragma once

#include "index/segments.hpp"

#include <xapian.h>

#include <functional>
#include <string>

namespace lede::indexer {

/// Write a new glass database at @p out_dir (which must not exist) holding
/// every passage of @p from that @p hidden does not contain, in the order a
/// compaction of @p from's databases would give (database by database), made
/// again from its stored record; with spelling data from its terms as a
/// parallel fresh build makes it (spellings_from_terms()), and no user
/// metadata. Reads no term list of @p from; the result has term lists only
/// with @p keep_termlists (an index served by xapian-tcpsrv: index/segments.hpp).
/// It is written as @p out_dir + ".tmp" first (removed here; a writer's
/// segments::remove_unnamed() removes one left by a crash), then compacted.
/// @throws lede::Error index_corrupt for a document that is not a passage record
void rebuild_segment(const Xapian::Database& from, const index::segments::Deleted& hidden, const std::string& out_dir,
                     bool keep_termlists = false);

/// Give @p add each spelling word of @p terms (its unprefixed terms that
/// index::spelling_word() accepts) from @p lo up to @p hi ("": from the first,
/// to the last) with its frequency (the passages holding it), in term order.
/// Returns false when @p stop says so (asked now and then).
bool spelling_words(const Xapian::Database& terms, const std::string& lo, const std::string& hi,
                    const std::function<void(const std::string&, Xapian::doccount)>& add,
                    const std::function<bool()>& stop = {});

/// Add to @p into the spelling data of the words of @p terms (spelling_words()),
/// as a fresh build makes it. Returns false, leaving the data partly written,
/// when @p stop says so.
bool spellings_from_terms(const Xapian::Database& terms, Xapian::WritableDatabase& into,
                          const std::function<bool()>& stop = {});

}  // namespace lede::indexer
