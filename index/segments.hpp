// The segmented index layout (format "lede-8", docs/ARCHITECTURE.md "Segments,
// deletions, merges"): immutable glass segments without term lists, a
// metadata database rewritten for every commit, and the Xapian stub file
// XAPIANDB that names them - the commit point, replaced by rename.
//
//   <index>/XAPIANDB        glass meta-000009 / glass seg-000004 / ...
//   <index>/.lede-lock      flock(2) of the one writer
//   <index>/meta-000009/    no documents: format, stamps, deletions, counters
//   <index>/seg-000004/     documents (DB_NO_TERMLIST), never changed once named
//
// A passage is hidden, never deleted: its version terms (version_term())
// are recorded under deletion_key() in the metadata, and readers exclude
// them (hidden_query(), Deleted).
#pragma once

#include "index/schema.hpp"

#include <xapian.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lede::index::segments {

/// The format of a segmented index (index::meta::format of its metadata database).
inline constexpr const char* format = format_version;
/// The stub file: the commit point.
inline constexpr const char* stub_name = "XAPIANDB";
/// The file a writer holds an flock(2) on for its whole run.
inline constexpr const char* lock_name = ".lede-lock";
/// Metadata: the next number a segment or metadata database gets (never reused).
inline constexpr const char* next_key = "lede:next";
/// Metadata key prefix of a deletion record: "D" + the hidden version term.
inline constexpr std::string_view deletion_prefix = "D";
/// Term prefix of version terms.
inline constexpr std::string_view version_prefix = "XV";

/// Segments go without their term lists (~37 % of an index), unless the
/// index keeps them: the stock xapian-tcpsrv sends a document's values from
/// its term-list entry (glass 1.4: GlassValueManager::get_all_values throws
/// "Database has no termlist"), so only an index that keeps them can be
/// served as a remote shard (lede index --remote-ready; docs/SCALING.md).
/// The choice is the index's, in its metadata (index::meta::termlists): every
/// later run, merge and compaction honours it. Readers handle both.
inline constexpr const char* termlists_kept = "kept";

/// Whether the index @p db (its metadata database first) keeps its term lists.
bool keeps_termlists(const Xapian::Database& db);

/// What a stub names: the metadata database first (Xapian reads metadata
/// from the first database only), then the segments; folder names relative
/// to the index.
struct Layout {
    std::string meta;
    std::vector<std::string> segments;
};

/// Whether the folder @p dir holds a segmented index (a stub, no iamglass).
bool is_segmented(const std::string& dir);

/// The layout the stub of @p dir names.
/// @throws lede::Error (index_corrupt) for a stub that is not one lede wrote.
Layout read_layout(const std::string& dir);

/// The text of the stub of @p dir ("" when it cannot be read): a new one is a new commit.
std::string read_stub_text(const std::string& dir);

/// Make @p layout the committed state of @p dir: the stub is written to a
/// temporary file, fsynced, renamed over the old one, and the folder fsynced.
void write_layout(const std::string& dir, const Layout& layout);

/// "seg-000012", "meta-000012".
std::string segment_name(std::uint64_t n);
std::string meta_name(std::uint64_t n);
/// The number in a segment's or metadata database's name (0 when none).
std::uint64_t number_of(std::string_view name);

/// The version term of the passages written into segment @p segment (of the
/// index with id @p index_id) carrying @p term (a file or article term), the
/// @p generation-th time it was written there (0 the first): unique across
/// segments and indexes, and kept by a merge by compaction. The term comes
/// first, so that versions_prefix() lists every version of a term.
std::string version_term(std::string_view term, std::string_view index_id, std::uint64_t segment,
                         unsigned generation = 0);
/// The prefix of every version term of @p term.
std::string versions_prefix(std::string_view term);

/// The metadata key recording @p version_term as deleted.
inline std::string deletion_key(std::string_view version_term) {
    return std::string(deletion_prefix) + std::string(version_term);
}

/// The deleted version terms recorded in @p db's metadata (its first database's).
std::vector<std::string> deleted_terms(const Xapian::Database& db);

/// OR of @p terms, to exclude with AND_NOT; the empty query when there are none.
Xapian::Query hidden_query(const std::vector<std::string>& terms);

/// The documents of @p db that carry one of @p terms (the hidden passages),
/// for direct reads of postings that must skip them.
class Deleted {
public:
    Deleted() = default;
    Deleted(const Xapian::Database& db, const std::vector<std::string>& terms);
    /// The same for the database made of @p singles, in its subdatabase order
    /// (its document c is document (c - 1) / n + 1 of single (c - 1) % n):
    /// each local single walks its version terms with one cursor and reads the
    /// postings of those it holds, where the whole database would look each
    /// term up in every single; a @p remote one (by single) is asked term by term.
    Deleted(const std::vector<Xapian::Database>& singles, const std::vector<bool>& remote,
            const std::vector<std::string>& terms);
    [[nodiscard]] bool contains(Xapian::docid id) const;
    [[nodiscard]] bool empty() const { return ids_.empty(); }
    [[nodiscard]] std::size_t size() const { return ids_.size(); }
    /// The hidden document ids, ascending.
    [[nodiscard]] const std::vector<Xapian::docid>& ids() const { return ids_; }

    /// Sort @p ids ascending and drop repeats (a bitmap of their range when
    /// they are dense in it). Public for its unit test.
    static void sort_unique(std::vector<Xapian::docid>& ids);

private:
    std::vector<Xapian::docid> ids_;  // sorted
};

/// The write lock of a segmented index: flock(2) on <dir>/.lede-lock, taken
/// without waiting. A second writer fails with ErrorKind::index_locked.
class WriteLock {
public:
    explicit WriteLock(const std::string& dir);
    ~WriteLock();
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;

private:
    int fd_ = -1;
};

/// Write the metadata database @p name in @p dir: the metadata of @p from
/// (when given) with @p changes applied (an empty value erases the key).
void write_meta(const std::string& dir, const std::string& name, const Xapian::Database* from,
                const std::map<std::string, std::string>& changes);

/// Remove what the stub of @p dir does not name: segments and metadata
/// databases of runs cut short or replaced, and a stub's temporary file.
/// Call holding the WriteLock, at the start of a run (a reader may still
/// read what the run before replaced).
void remove_unnamed(const std::string& dir, const Layout& layout);

}  // namespace lede::index::segments

namespace lede::index::segments {

/// A segmented index open for writing: the write lock, the committed state
/// (layout, the index as readers see it, what it hides) and the metadata
/// changes and deletions of the commit in preparation. One per writer run.
class Index {
public:
    /// Open (create) the segmented index at @p dir: takes the lock, removes
    /// what no commit names (index/segments.hpp remove_unnamed()).
    /// @throws lede::Error index_locked, index_version (an index of an older format)
    explicit Index(const std::string& dir);

    [[nodiscard]] const std::string& dir() const { return dir_; }
    [[nodiscard]] const std::string& id() const { return id_; }
    /// The index as committed (metadata database first, then the segments).
    [[nodiscard]] const Xapian::Database& committed() const { return live_; }
    /// The committed hidden documents of committed().
    [[nodiscard]] const Deleted& deleted() const { return deleted_; }
    [[nodiscard]] const Layout& layout() const { return layout_; }

    /// A new segment or metadata number (never one used before).
    std::uint64_t allocate();

    /// A metadata value as the next commit will have it.
    [[nodiscard]] std::string metadata(const std::string& key) const;
    /// Set (an empty value: erase) a metadata key in the next commit.
    void set_metadata(const std::string& key, const std::string& value);
    /// Whether the index keeps its term lists (keeps_termlists()) in the next commit.
    [[nodiscard]] bool keeps_termlists() const { return metadata(index::meta::termlists) == termlists_kept; }
    /// Whether a key with @p prefix will be in the next commit.
    [[nodiscard]] bool has_metadata_prefix(const std::string& prefix) const;

    /// Hide, from the next commit on, every committed passage carrying @p term.
    void hide(const std::string& term);
    /// Whether a committed passage carrying @p term is visible in the next commit.
    [[nodiscard]] bool visible_term(const std::string& term) const;
    /// Whether committed document @p id is hidden in the next commit.
    [[nodiscard]] bool hidden(Xapian::docid id) const;

    /// Commit: the segments @p added (complete, closed, in @p dir) join the
    /// layout and @p removed leave it, with the metadata changes and
    /// deletions; then the committed state is read again.
    void commit(const std::vector<std::string>& added, const std::vector<std::string>& removed = {});
    /// Forget the changes since the last commit.
    void discard();

private:
    void load();

    std::string dir_;
    WriteLock lock_;
    Layout layout_;
    Xapian::Database live_;
    Deleted deleted_;
    std::string id_;
    std::uint64_t next_ = 1;
    std::map<std::string, std::string> pending_;
    std::vector<Xapian::docid> pending_hidden_;  // sorted
};

/// fsync the files of the folder @p dir and the folder: a new segment reaches
/// the disk before a stub names it (Xapian syncs what it commits; a
/// compaction's output is synced here, whatever version of Xapian wrote it).
void sync_folder(const std::string& dir);

/// Remove the term lists of the closed glass database @p dir (a segment of
/// an update run is written with them, so that the run can delete its own
/// documents, and published without them).
void drop_termlists(const std::string& dir);

}  // namespace lede::index::segments
