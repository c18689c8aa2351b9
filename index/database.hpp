// Opening lede indexes (lock, format and analysis checks) and turning Xapian
// exceptions into lede::Error with context, at the library boundary (as
// notmuch does around every Xapian call).
#pragma once

#include <xapian.h>
#include <lede/error.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace lede::index {

/// Rethrow the active exception (Xapian, std, lede) as lede::Error, prefixed
/// with @p context ("opening index at /x"). Call from a catch block.
[[noreturn]] void rethrow_as_lede(const std::string& context);

/// Open an index for reading; checks it was written by this lede format.
/// @p path may be a folder, a stub file, or tcp://HOST:PORT (xapian-tcpsrv).
/// With @p parts, also each database it combines (a stub file may list
/// several), in the order of the result's subdatabases (each shares the
/// result's state: a reopen() of the result reopens them). For a segmented
/// index each of them is the index as a whole; @p singles, when given, gets
/// each single database instead (the metadata database, then the segments),
/// in the same order, for reads that need not look at every segment.
/// @throws lede::Error index_not_found / index_version / index_corrupt / io / network
Xapian::Database open_for_reading(const std::string& path, unsigned remote_timeout_ms = 5000,
                                  std::vector<Xapian::Database>* parts = nullptr,
                                  std::vector<Xapian::Database>* singles = nullptr);

/// The version terms of the passages the indexes of @p parts hide (the
/// deletion records of segmented indexes, index/segments.hpp): a search
/// excludes them, a direct read of postings skips their documents.
std::vector<std::string> hidden_terms(const std::vector<Xapian::Database>& parts);

/// A warning when the index at @p path (opened as @p db) was written with other
/// analysis settings than this lede's (analysis::fingerprint(): the alias table,
/// the variant rules): it still opens and searches, but names may miss their
/// variants until it is rebuilt. "" when they agree or the index does not say.
std::string analysis_warning(const Xapian::Database& db, const std::string& path);

/// How long a read keeps retrying while writers commit under it.
inline constexpr std::chrono::seconds read_retry_budget{30};

/// Run @p read against @p db; when a writer commits during it and Xapian
/// reports the revision discarded (it keeps the revision being read for one
/// more commit only), reopen @p db at the newest revision, call @p reset and
/// redo the whole read. A block a writer has already reused can also look
/// damaged to the reader: DatabaseCorruptError counts as such a change when
/// the index has moved on since (reopen() says so) or, as glass may report
/// it while the next revision is being written, until it is seen three times
/// in a row; then it is rethrown (a damaged index fails the same way each time).
/// Every retry means a writer made progress, so the budget is time, not
/// attempts: a writer committing in a loop exhausts it only by committing
/// faster than one read takes, for read_retry_budget on end. After a few
/// quick attempts a short, growing pause lets a burst of commits pass.
/// @p what names the read for the message when it gives up.
template <typename Read, typename Reset>
auto retry_reads(Xapian::Database& db, const std::string& what, Read&& read, Reset&& reset) {
    const auto deadline = std::chrono::steady_clock::now() + read_retry_budget;
    int damaged_in_a_row = 0;
    for (int attempt = 0;; ++attempt) {
        try {
            if (attempt > 0) {
                db.reopen();  // may itself find its revision gone: inside the try
                reset();
            }
            return read();
        } catch (const Xapian::DatabaseModifiedError&) {
            damaged_in_a_row = 0;
        } catch (const Xapian::DatabaseCorruptError&) {
            bool moved = false;
            try {
                moved = db.reopen();
            } catch (const Xapian::DatabaseModifiedError&) {
                moved = true;
            }
            damaged_in_a_row = moved ? 0 : damaged_in_a_row + 1;
            if (damaged_in_a_row >= 3) {
                throw;
            }
        }
        if (std::chrono::steady_clock::now() > deadline) {
            throw Error(ErrorKind::io, what + ": a writer committed " + std::to_string(attempt + 1)
                                           + " times during one read; try again when it pauses");
        }
        if (attempt >= 3) {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1 << std::min(attempt - 3, 6), 50)));
        }
    }
}

/// Fail with invalid_argument when two of @p shards name the same index
/// (the same folder or stub file reached by different spellings, or the
/// same tcp:// address): searched or merged together, every passage would
/// count twice.
void check_distinct(const std::vector<std::string>& shards, const std::string& context);

/// A new random index id (index::meta::id): 32 hex digits.
std::string new_index_id();

/// Folder inside an index where a parallel build writes its shards.
inline constexpr const char* build_dir = ".lede-build";

}  // namespace lede::index
