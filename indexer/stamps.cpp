#include "indexer/stamps.hpp"

#include "index/schema.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>

namespace lede::indexer {

std::string FileStamp::str() const {
    std::ostringstream o;
    o << size << ' ' << mtime_ns << ' ' << hash << ' ' << articles;
    return o.str();
}

FileStamp FileStamp::parse(const std::string& s) {
    FileStamp f;
    std::istringstream in(s);
    in >> f.size >> f.mtime_ns >> f.hash >> f.articles;
    return f;
}

std::optional<FileStamp> read_stamp(const Xapian::Database& db, const std::string& abs_path) {
    std::string s = db.get_metadata(index::stamp_key(abs_path));
    if (s.empty()) {
        return std::nullopt;
    }
    return FileStamp::parse(s);
}

bool has_stamps(const Xapian::Database& db) {
    const std::string stamps(index::meta::file_stamp);
    return db.metadata_keys_begin(stamps) != db.metadata_keys_end(stamps);
}

std::vector<GoneFile> gone_files(const Xapian::Database& db, const std::vector<std::string>& roots) {
    std::vector<std::string> abs_roots;
    for (const std::string& r : roots) {
        std::error_code ec;
        if (r != "-") {
            abs_roots.push_back(std::filesystem::absolute(r, ec).lexically_normal().string());
        }
    }
    std::vector<GoneFile> gone;
    const std::string stamps(index::meta::file_stamp);
    for (auto it = db.metadata_keys_begin(stamps); it != db.metadata_keys_end(stamps); ++it) {
        std::string p = index::stamp_path(*it);
        bool under = std::any_of(abs_roots.begin(), abs_roots.end(), [&](const std::string& a) {
            return p == a || (p.starts_with(a) && (a.ends_with('/') || p[a.size()] == '/'));
        });
        // Gone: deleted, or no longer a file (replaced by a folder, a FIFO,
        // a broken link). A file that cannot be looked at (no permission on
        // its folder) is kept: it may still be there.
        std::error_code ec;
        auto type = std::filesystem::status(p, ec).type();
        bool is_gone = type == std::filesystem::file_type::not_found
                       || (type != std::filesystem::file_type::unknown && type != std::filesystem::file_type::none
                           && type != std::filesystem::file_type::regular);
        if (under && is_gone) {
            gone.push_back({*it, FileStamp::parse(db.get_metadata(*it))});
        }
    }
    return gone;
}

}  // namespace lede::indexer
