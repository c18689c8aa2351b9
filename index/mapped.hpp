// Xapian's block reads of an index's immutable files served from memory maps
// (OpenOptions::map_files; docs/ARCHITECTURE.md "Reads from memory maps").
//
// Glass reads every block with pread(2), and keeps no cache of its own beyond
// each cursor's path: a search opens every term's postings again, reads each
// candidate's record, its sketch and its article's neighbours, ~190 reads on
// SOTU. On a machine where a system call is dear (a virtual machine: ~2-4 us
// a read here) those reads were ~40 % of an in-process search. Xapian 1.4 has
// no hook for its I/O, so this file defines pread(), posix_fadvise() and
// close() for the process (symbol interposition, as malloc replacements do):
// a read of a file registered here is a copy from a shared, read-only map of
// it; any other read goes to the next pread (the C library's), as before.
// Xapian's read-ahead hint for a mapped file is dropped (a page not in memory
// is read on its fault). close() drops the map of the descriptor it closes,
// so that a descriptor number used again is a new file.
//
// Only files that never change are registered: the tables (*.glass) of the
// databases a segmented index's stub names (index/segments.hpp: never changed
// once named, deleted only after a new stub is committed, never truncated).
// A file is known by device, inode, size and modification time, and is mapped
// on its first read after registration; one whose size or time differs (it
// is not the file registered) is read as before. Reads past the map's end,
// and descriptors from 4096 on, are read as before too.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace lede::index::mapped {

/// A file as registered: what fstat(2) says of it.
struct FileId {
    unsigned long long dev = 0;
    unsigned long long ino = 0;
    long long size = 0;
    long long mtime_ns = 0;
};

/// A registration of files: while one is alive, reads of its files are served
/// from maps (maps made stay until their descriptor is closed).
class Registration {
public:
    Registration() = default;
    ~Registration();
    Registration(Registration&& other) noexcept;
    Registration& operator=(Registration&& other) noexcept;
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

private:
    friend Registration register_index(const std::string& dir);
    std::vector<FileId> files_;
};

/// Register the tables of the databases that the segmented index at @p dir
/// names in its stub (the metadata database and the segments). An index that
/// is not segmented, or a stub that cannot be read, registers nothing (its
/// files are read as before).
Registration register_index(const std::string& dir);

/// Reads served from maps so far by the calling thread (tests, diagnostics).
unsigned long long mapped_reads();

}  // namespace lede::index::mapped
