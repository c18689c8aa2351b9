#include "index/segments.hpp"

#include "analysis/variants.hpp"
#include "index/database.hpp"
#include "index/schema.hpp"

#include <lede/error.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace lede::index::segments {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view segment_stem = "seg-";
constexpr std::string_view meta_stem = "meta-";

std::string numbered(std::string_view stem, std::uint64_t n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%06llu", static_cast<unsigned long long>(n));
    return std::string(stem) + buf;
}

void sync_path(const std::string& path, int flags) {
    int fd = ::open(path.c_str(), flags);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// A name lede gives a folder of its own: no path separator, no "..".
bool plain_name(const std::string& name) {
    return !name.empty() && name.find('/') == std::string::npos && name != "." && name != "..";
}

}  // namespace

bool is_segmented(const std::string& dir) {
    std::error_code ec;
    return fs::is_regular_file(fs::path(dir) / stub_name, ec) && !fs::exists(fs::path(dir) / "iamglass", ec);
}

Layout read_layout(const std::string& dir) {
    const std::string stub = (fs::path(dir) / stub_name).string();
    std::ifstream in(stub);
    if (!in) {
        throw Error(ErrorKind::io, "cannot read " + stub + ": " + std::strerror(errno));
    }
    Layout l;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const std::string name = line.starts_with("glass ") ? line.substr(6) : std::string();
        if (!plain_name(name)) {
            throw Error(ErrorKind::index_corrupt, stub + ": not a stub lede wrote (a line `glass NAME` expected)");
        }
        if (l.meta.empty()) {
            l.meta = name;
        } else {
            l.segments.push_back(name);
        }
    }
    if (!l.meta.starts_with(meta_stem)) {
        throw Error(ErrorKind::index_corrupt, stub + ": names no metadata database first");
    }
    return l;
}

std::string read_stub_text(const std::string& dir) {
    std::ifstream in(fs::path(dir) / stub_name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_layout(const std::string& dir, const Layout& layout) {
    const fs::path stub = fs::path(dir) / stub_name;
    const fs::path tmp = fs::path(dir) / (std::string(stub_name) + ".tmp");
    std::string text = "# lede index (format " + std::string(format) + "): written by lede, do not edit\n";
    text += "glass " + layout.meta + "\n";
    for (const auto& s : layout.segments) {
        text += "glass " + s + "\n";
    }
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw Error(ErrorKind::io, "writing " + tmp.string() + ": " + std::strerror(errno));
    }
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            int err = errno;
            ::close(fd);
            throw Error(ErrorKind::io, "writing " + tmp.string() + ": " + std::strerror(err));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        throw Error(ErrorKind::io, "writing " + tmp.string() + ": " + std::strerror(errno));
    }
    if (::rename(tmp.c_str(), stub.c_str()) != 0) {
        throw Error(ErrorKind::io, "replacing " + stub.string() + ": " + std::strerror(errno));
    }
    sync_path(dir, O_RDONLY | O_DIRECTORY);
}

std::string segment_name(std::uint64_t n) { return numbered(segment_stem, n); }
std::string meta_name(std::uint64_t n) { return numbered(meta_stem, n); }

std::uint64_t number_of(std::string_view name) {
    auto dash = name.rfind('-');
    std::uint64_t n = 0;
    if (dash == std::string_view::npos) {
        return 0;
    }
    auto [p, ec] = std::from_chars(name.data() + dash + 1, name.data() + name.size(), n);
    return ec == std::errc() && p == name.data() + name.size() ? n : 0;
}

std::string versions_prefix(std::string_view term) {
    std::string t(version_prefix);
    t += term;
    t += '@';
    return t;
}

std::string version_term(std::string_view term, std::string_view index_id, std::uint64_t segment, unsigned generation) {
    std::string t = versions_prefix(term);
    t += index_id.substr(0, 8);
    char buf[24];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, segment, 16);
    t.append(buf, p);
    if (generation > 0) {
        t += '.';
        t += std::to_string(generation);
    }
    return t;
}

std::vector<std::string> deleted_terms(const Xapian::Database& db) {
    std::vector<std::string> out;
    const std::string prefix(deletion_prefix);
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
        out.push_back((*it).substr(prefix.size()));
    }
    return out;
}

Xapian::Query hidden_query(const std::vector<std::string>& terms) {
    if (terms.empty()) {
        return {};
    }
    return {Xapian::Query::OP_OR, terms.begin(), terms.end()};
}

Deleted::Deleted(const Xapian::Database& db, const std::vector<std::string>& terms) {
    for (const auto& t : terms) {
        for (auto it = db.postlist_begin(t); it != db.postlist_end(t); ++it) {
            ids_.push_back(*it);
        }
    }
    sort_unique(ids_);
}

Deleted::Deleted(const std::vector<Xapian::Database>& singles, const std::vector<bool>& remote,
                 const std::vector<std::string>& terms) {
    if (terms.empty()) {
        return;
    }
    std::vector<std::string> sorted = terms;
    std::sort(sorted.begin(), sorted.end());
    const auto n = static_cast<Xapian::docid>(singles.size());
    for (Xapian::docid k = 0; k < n; ++k) {
        const Xapian::Database& one = singles[k];
        auto add = [&](const std::string& t) {
            for (auto p = one.postlist_begin(t); p != one.postlist_end(t); ++p) {
                ids_.push_back((*p - 1) * n + k + 1);
            }
        };
        // Over the network a walk would send every version term: asked one by one.
        const bool walk = k >= remote.size() || !remote[k];
        Xapian::TermIterator it;
        Xapian::TermIterator end;
        if (walk) {
            it = one.allterms_begin(std::string(version_prefix));
            end = one.allterms_end(std::string(version_prefix));
        }
        for (const auto& t : sorted) {
            if (!walk || !t.starts_with(version_prefix)) {
                add(t);
                continue;
            }
            if (it != end) {
                it.skip_to(t);
            }
            if (it != end && *it == t) {
                add(t);
            }
        }
    }
    sort_unique(ids_);
}

void Deleted::sort_unique(std::vector<Xapian::docid>& ids) {
    if (ids.empty()) {
        return;
    }
    // Hidden passages are runs of whole articles' documents, interleaved
    // over the segments: dense enough in their range that a bitmap of it (at
    // most 64 bytes an id, a word of it scanned per 8 ids) orders them for a
    // fraction of a sort's cost (sorting 1,911 ids was 3 % of a one-word
    // search's instructions on 8 segments); sparse ids are sorted.
    const auto [lo, hi] = std::minmax_element(ids.begin(), ids.end());
    const Xapian::docid first = *lo;
    const std::size_t range = static_cast<std::size_t>(*hi - first) + 1;
    if (range / 64 > ids.size() * 8) {
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        return;
    }
    std::vector<std::uint64_t> bits((range + 63) / 64, 0);
    for (Xapian::docid id : ids) {
        const std::size_t at = id - first;
        bits[at / 64] |= std::uint64_t{1} << (at % 64);
    }
    ids.clear();
    for (std::size_t w = 0; w < bits.size(); ++w) {
        for (std::uint64_t word = bits[w]; word != 0; word &= word - 1) {
            ids.push_back(first + static_cast<Xapian::docid>(w * 64 + static_cast<std::size_t>(std::countr_zero(word))));
        }
    }
}

bool Deleted::contains(Xapian::docid id) const { return std::binary_search(ids_.begin(), ids_.end(), id); }

WriteLock::WriteLock(const std::string& dir) {
    const std::string path = (fs::path(dir) / lock_name).string();
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        throw Error(ErrorKind::io, "opening index at " + dir + " for writing: cannot take the write lock: " + path
                                       + ": " + std::strerror(errno) + " (is the folder read-only?)");
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        ::close(fd_);
        fd_ = -1;
        if (err == EWOULDBLOCK) {
            throw Error(ErrorKind::index_locked, "opening index at " + dir
                                                     + " for writing: another process is writing to this index"
                                                       " (Unable to get write lock on "
                                                     + path + ": already locked); wait for it to finish");
        }
        throw Error(ErrorKind::io,
                    "opening index at " + dir + " for writing: cannot take the write lock: " + std::strerror(err));
    }
}

WriteLock::~WriteLock() {
    if (fd_ >= 0) {
        ::close(fd_);  // releases the flock
    }
}

void write_meta(const std::string& dir, const std::string& name, const Xapian::Database* from,
                const std::map<std::string, std::string>& changes) {
    const std::string path = (fs::path(dir) / name).string();
    std::error_code ec;
    fs::remove_all(path, ec);  // a leftover of a run cut short (no stub names it)
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    if (from != nullptr) {
        for (auto it = from->metadata_keys_begin(); it != from->metadata_keys_end(); ++it) {
            if (changes.find(*it) == changes.end()) {
                db.set_metadata(*it, from->get_metadata(*it));
            }
        }
    }
    for (const auto& [k, v] : changes) {
        if (!v.empty()) {
            db.set_metadata(k, v);
        }
    }
    db.commit();
    db.close();
}

void remove_unnamed(const std::string& dir, const Layout& layout) {
    std::error_code ec;
    std::vector<fs::path> gone;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        // A segment being rebuilt is written as seg-N.tmp first (indexer/rebuild.hpp).
        const std::string_view base =
            std::string_view(name).substr(0, name.ends_with(".tmp") ? name.size() - 4 : name.size());
        const bool ours = (name.starts_with(segment_stem) || name.starts_with(meta_stem)) && number_of(base) > 0;
        const bool named = name == layout.meta
                           || std::find(layout.segments.begin(), layout.segments.end(), name) != layout.segments.end();
        if ((ours && !named && e.is_directory(ec)) || name == std::string(stub_name) + ".tmp") {
            gone.push_back(e.path());
        }
    }
    for (const auto& p : gone) {
        fs::remove_all(p, ec);
    }
}

}  // namespace lede::index::segments

namespace lede::index::segments {

Index::Index(const std::string& dir) : dir_(dir), lock_((fs::create_directories(dir), dir)) {
    std::error_code ec;
    if (!is_segmented(dir_)) {
        if (fs::exists(fs::path(dir_) / "iamglass", ec)) {
            std::string fmt;
            try {
                fmt = Xapian::Database(dir_).get_metadata(meta::format);
            } catch (const Xapian::Error&) {  // NOLINT(bugprone-empty-catch): unreadable: said below
            }
            throw Error(ErrorKind::index_version,
                        "opening index at " + dir_
                            + " for writing: " + (fmt.empty() ? std::string("not a lede index") : "index format " + fmt)
                            + " (this lede writes " + format
                            + "); delete the folder and run `lede index` again, or index into a new folder");
        }
        // A new index: its first commit names an empty metadata database.
        std::map<std::string, std::string> m{{meta::format, format},
                                             {meta::analysis, analysis::fingerprint()},
                                             {meta::id, new_index_id()},
                                             {next_key, "2"}};
        write_meta(dir_, meta_name(1), nullptr, m);
        write_layout(dir_, Layout{meta_name(1), {}});
    }
    load();
    remove_unnamed(dir_, layout_);
    fs::remove_all(fs::path(dir_) / ".lede-build", ec);  // a parallel build cut short
}

void Index::load() {
    layout_ = read_layout(dir_);
    live_ = Xapian::Database();
    live_.add_database(Xapian::Database((fs::path(dir_) / layout_.meta).string()));
    for (const auto& s : layout_.segments) {
        live_.add_database(Xapian::Database((fs::path(dir_) / s).string()));
    }
    const std::string fmt = live_.get_metadata(meta::format);
    if (fmt != format) {
        throw Error(ErrorKind::index_version, "opening index at " + dir_ + " for writing: index format " + fmt
                                                  + " (this lede writes " + format
                                                  + "); delete the folder and run `lede index` again");
    }
    id_ = live_.get_metadata(meta::id);
    const std::string next = live_.get_metadata(next_key);
    std::from_chars(next.data(), next.data() + next.size(), next_);
    deleted_ = Deleted(live_, deleted_terms(live_));
    pending_.clear();
    pending_hidden_.clear();
}

std::uint64_t Index::allocate() { return next_++; }

std::string Index::metadata(const std::string& key) const {
    auto it = pending_.find(key);
    return it != pending_.end() ? it->second : live_.get_metadata(key);
}

void Index::set_metadata(const std::string& key, const std::string& value) { pending_[key] = value; }

bool Index::has_metadata_prefix(const std::string& prefix) const {
    for (auto it = pending_.lower_bound(prefix); it != pending_.end() && it->first.starts_with(prefix); ++it) {
        if (!it->second.empty()) {
            return true;
        }
    }
    for (auto it = live_.metadata_keys_begin(prefix); it != live_.metadata_keys_end(prefix); ++it) {
        auto p = pending_.find(*it);
        if (p == pending_.end() || !p->second.empty()) {
            return true;
        }
    }
    return false;
}

void Index::hide(const std::string& term) {
    // Versions of @p of whose passages all carry @p carrying (when given).
    auto hide_versions = [this](const std::string& of, const std::string& carrying) {
        const std::string prefix = versions_prefix(of);
        bool added = false;
        for (auto it = live_.allterms_begin(prefix); it != live_.allterms_end(prefix); ++it) {
            const std::string key = deletion_key(*it);
            if (!metadata(key).empty()) {
                continue;  // hidden already
            }
            if (!carrying.empty()) {
                auto c = live_.postlist_begin(carrying);
                bool all = true;
                for (auto p = live_.postlist_begin(*it); all && p != live_.postlist_end(*it); ++p) {
                    c.skip_to(*p);
                    all = c != live_.postlist_end(carrying) && *c == *p;
                }
                if (!all) {
                    continue;
                }
            }
            pending_[key] = "1";
            for (auto p = live_.postlist_begin(*it); p != live_.postlist_end(*it); ++p) {
                pending_hidden_.push_back(*p);
                added = true;
            }
        }
        if (added) {
            std::sort(pending_hidden_.begin(), pending_hidden_.end());
        }
    };
    hide_versions(term, {});
    // The one article of a file whose key is its path (the same hash) carries
    // the file's version terms only (indexer/batch.cpp BatchWriter::add).
    if (term.starts_with(index::prefix::article)) {
        hide_versions(std::string(index::prefix::file) + term.substr(index::prefix::article.size()), term);
    }
}

bool Index::hidden(Xapian::docid id) const {
    return deleted_.contains(id) || std::binary_search(pending_hidden_.begin(), pending_hidden_.end(), id);
}

bool Index::visible_term(const std::string& term) const {
    for (auto it = live_.postlist_begin(term); it != live_.postlist_end(term); ++it) {
        if (!hidden(*it)) {
            return true;
        }
    }
    return false;
}

void Index::commit(const std::vector<std::string>& added, const std::vector<std::string>& removed) {
    Layout next;
    next.segments = layout_.segments;
    for (const auto& r : removed) {
        next.segments.erase(std::remove(next.segments.begin(), next.segments.end(), r), next.segments.end());
    }
    next.segments.insert(next.segments.end(), added.begin(), added.end());
    next.meta = meta_name(allocate());
    pending_[next_key] = std::to_string(next_);
    Xapian::Database meta_db((fs::path(dir_) / layout_.meta).string());
    write_meta(dir_, next.meta, &meta_db, pending_);
    write_layout(dir_, next);  // the commit
    load();
}

void Index::discard() {
    pending_.clear();
    pending_hidden_.clear();
}

bool keeps_termlists(const Xapian::Database& db) { return db.get_metadata(index::meta::termlists) == termlists_kept; }

void drop_termlists(const std::string& dir) {
    std::error_code ec;
    fs::remove(fs::path(dir) / "termlist.glass", ec);
    fs::remove(fs::path(dir) / "termlist.baseA", ec);
    fs::remove(fs::path(dir) / "termlist.baseB", ec);
}

void sync_folder(const std::string& dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.is_regular_file(ec)) {
            int fd = ::open(e.path().c_str(), O_RDONLY | O_CLOEXEC);
            if (fd >= 0) {
                ::fsync(fd);
                ::close(fd);
            }
        }
    }
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace lede::index::segments
