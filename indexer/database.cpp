#include "indexer/database.hpp"

#include "indexer/record.hpp"


#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <system_error>
#include <vector>

namespace lede::indexer {

void rethrow_as_lede(const std::string& context) {
    try {
        throw;
    } catch (const Error&) {
        throw;
    } catch (const Xapian::DatabaseLockError& e) {
        // Xapian reports both a held lock and a lock file it cannot create
        // (read-only folder) as a lock error; only the first is contention.
        if (e.get_msg().find("already locked") != std::string::npos) {
            throw Error(ErrorKind::index_locked,
                        context + ": another process is writing to this index (" + e.get_msg()
                            + "); wait for it to finish");
        }
        throw Error(ErrorKind::io, context + ": cannot take the write lock: " + e.get_description()
                                       + " (is the folder read-only?)");
    } catch (const Xapian::DatabaseNotFoundError&) {
        throw Error(ErrorKind::index_not_found,
                    context + ": no index there; build one with `lede index --db DIR PATH...`");
    } catch (const Xapian::DatabaseVersionError& e) {
        throw Error(ErrorKind::index_version, context + ": " + e.get_msg() + "; rebuild the index");
    } catch (const Xapian::DatabaseCorruptError& e) {
        throw Error(ErrorKind::index_corrupt,
                    context + ": the index is damaged (" + e.get_msg()
                        + "); delete the folder and run `lede index` again");
    } catch (const Xapian::DatabaseModifiedError& e) {
        throw Error(ErrorKind::io, context + ": the index changed while it was read (" + e.get_msg()
                                       + "); try again");
    } catch (const Xapian::NetworkError& e) {
        throw Error(ErrorKind::network, context + ": " + e.get_description());
    } catch (const Xapian::DatabaseError& e) {
        throw Error(ErrorKind::io, context + ": " + e.get_description()
                                       + " (if the index is damaged, delete it and run `lede index` again)");
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::internal, context + ": " + e.get_description());
    } catch (const std::bad_alloc&) {
        throw Error(ErrorKind::io, context + ": out of memory");
    } catch (const std::exception& e) {
        throw Error(ErrorKind::io, context + ": " + e.what());
    }
}

namespace {

Xapian::Database open_remote(const std::string& url, const std::string& ctx, unsigned timeout_ms) {
    std::string hostport = url.substr(6);
    auto colon = hostport.rfind(':');
    unsigned port = 0;
    if (colon == std::string::npos || colon == 0
        || std::from_chars(hostport.data() + colon + 1, hostport.data() + hostport.size(), port).ec != std::errc()
        || port == 0 || port > 65535) {
        throw Error(ErrorKind::invalid_argument, ctx + ": expected tcp://HOST:PORT");
    }
    useconds_t t = static_cast<useconds_t>(timeout_ms) * 1000;
    return Xapian::Remote::open(hostport.substr(0, colon), port, t, t);
}

}  // namespace

Xapian::Database open_for_reading(const std::string& path, unsigned remote_timeout_ms) {
    std::string ctx = "opening index at " + path;
    bool remote = path.starts_with("tcp://");
    std::error_code ec;
    if (!remote && !std::filesystem::exists(path, ec)) {
        throw Error(ErrorKind::index_not_found,
                    ctx + ": no index there; build one with `lede index --db " + path + " PATH...`");
    }
    // For a stub file listing several shards, Xapian 1.4 reads the metadata
    // of the first shard. An empty database without the format key is an
    // index whose first commit has not happened yet (e.g. a writer killed at
    // start): empty, fine. Opening reads the index too, so a commit during
    // it is retried like any other read.
    Xapian::Database db;
    std::string fmt;
    bool empty = false;
    try {
        retry_reads(db, ctx, [&] {
            db = remote ? open_remote(path, ctx, remote_timeout_ms) : Xapian::Database(path);
            fmt = db.get_metadata(format_key);
            empty = fmt.empty() && db.get_doccount() == 0;
            return 0;
        }, [] {});
    } catch (...) {
        rethrow_as_lede(ctx);
    }
    if (fmt != format_version && !empty) {
        throw Error(ErrorKind::index_version,
                    ctx + ": " + (fmt.empty() ? std::string("not a lede index") : "index format " + fmt)
                        + " (this lede reads " + format_version + "); rebuild it with `lede index`");
    }
    return db;
}

namespace {

// A writer killed while creating an index leaves table files but no
// "iamglass" (nothing was ever committed). Such leftovers, and only they, are
// cleared so that the next run can create the index afresh.
void clear_interrupted_creation(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(fs::path(path) / "iamglass", ec)) {
        return;
    }
    std::vector<fs::path> leftovers;
    for (const auto& e : fs::directory_iterator(path, ec)) {
        std::string name = e.path().filename().string();
        if (name == build_dir && e.is_directory(ec)) {
            leftovers.push_back(e.path());  // a parallel build interrupted before or during its swap
            continue;
        }
        bool xapian_file = name.ends_with(".glass") || name.ends_with(".tmp") || name == "flintlock";
        if (!xapian_file || !e.is_regular_file(ec)) {
            return;  // something else lives here: not ours to delete
        }
        leftovers.push_back(e.path());
    }
    for (const auto& f : leftovers) {
        fs::remove_all(f, ec);
    }
}

void sync_dir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

Xapian::WritableDatabase open_for_writing(const std::string& path) {
    std::string ctx = "opening index at " + path + " for writing";
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) {
        throw Error(ErrorKind::io, ctx + ": " + ec.message());
    }
    clear_interrupted_creation(path);
    try {
        Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
        std::string fmt = db.get_metadata(format_key);
        if (fmt.empty() && db.get_doccount() == 0) {
            db.set_metadata(format_key, format_version);
            db.commit();  // a new index is a lede index from its first moment
        } else if (fmt != format_version) {
            throw Error(ErrorKind::index_version,
                        ctx + ": " + (fmt.empty() ? std::string("not a lede index") : "index format " + fmt)
                            + " (this lede writes " + format_version + "); use a new folder");
        }
        // Shards of a parallel build that crashed after its swap (we hold the lock).
        std::error_code ec2;
        std::filesystem::remove_all(std::filesystem::path(path) / build_dir, ec2);
        return db;
    } catch (...) {
        rethrow_as_lede(ctx);
    }
}

void replace_tables(const std::string& path, const std::string& merged) {
    namespace fs = std::filesystem;
    const std::string ctx = "replacing the tables of " + path;
    try {
        const fs::path dst(path);
        const fs::path src(merged);
        fs::remove(dst / "iamglass");  // from here until the end the folder is no index
        sync_dir(path);
        for (const auto& e : fs::directory_iterator(dst)) {
            if (e.path().filename().string().ends_with(".glass")) {
                fs::remove(e.path());
            }
        }
        for (const auto& e : fs::directory_iterator(src)) {
            std::string name = e.path().filename().string();
            if (name.ends_with(".glass")) {
                fs::rename(e.path(), dst / name);
            }
        }
        sync_dir(path);
        fs::rename(src / "iamglass", dst / "iamglass");
        sync_dir(path);
        fs::remove_all(dst / build_dir);
    } catch (const fs::filesystem_error& e) {
        throw Error(ErrorKind::io, ctx + ": " + e.code().message());
    }
}

}  // namespace lede::indexer
