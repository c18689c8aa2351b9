#include "indexer/database.hpp"

#include "indexer/record.hpp"


#include <filesystem>
#include <system_error>

namespace lede::indexer {

void rethrow_as_lede(const std::string& context) {
    try {
        throw;
    } catch (const Error&) {
        throw;
    } catch (const Xapian::DatabaseLockError& e) {
        throw Error(ErrorKind::index_locked,
                    context + ": another process is writing to this index (" + e.get_msg()
                        + "); wait for it to finish");
    } catch (const Xapian::DatabaseNotFoundError&) {
        throw Error(ErrorKind::index_not_found,
                    context + ": no index there; build one with `lede index --db DIR PATH...`");
    } catch (const Xapian::DatabaseVersionError& e) {
        throw Error(ErrorKind::index_version, context + ": " + e.get_msg() + "; rebuild the index");
    } catch (const Xapian::DatabaseCorruptError& e) {
        throw Error(ErrorKind::index_corrupt,
                    context + ": the index is damaged (" + e.get_msg()
                        + "); delete the folder and run `lede index` again");
    } catch (const Xapian::NetworkError& e) {
        throw Error(ErrorKind::network, context + ": " + e.get_description());
    } catch (const Xapian::DatabaseError& e) {
        throw Error(ErrorKind::io, context + ": " + e.get_description());
    } catch (const Xapian::Error& e) {
        throw Error(ErrorKind::internal, context + ": " + e.get_description());
    } catch (const std::bad_alloc&) {
        throw Error(ErrorKind::io, context + ": out of memory");
    } catch (const std::exception& e) {
        throw Error(ErrorKind::io, context + ": " + e.what());
    }
}

Xapian::Database open_for_reading(const std::string& path) {
    std::string ctx = "opening index at " + path;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw Error(ErrorKind::index_not_found,
                    ctx + ": no index there; build one with `lede index --db " + path + " PATH...`");
    }
    Xapian::Database db;
    try {
        db = Xapian::Database(path);
    } catch (...) {
        rethrow_as_lede(ctx);
    }
    std::string fmt;
    try {
        fmt = db.get_metadata(format_key);
    } catch (...) {
        rethrow_as_lede(ctx);
    }
    if (fmt != format_version) {
        throw Error(ErrorKind::index_version,
                    ctx + ": " + (fmt.empty() ? std::string("not a lede index") : "index format " + fmt)
                        + " (this lede reads " + format_version + "); rebuild it with `lede index`");
    }
    return db;
}

Xapian::WritableDatabase open_for_writing(const std::string& path) {
    std::string ctx = "opening index at " + path + " for writing";
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) {
        throw Error(ErrorKind::io, ctx + ": " + ec.message());
    }
    try {
        Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
        std::string fmt = db.get_metadata(format_key);
        if (fmt.empty() && db.get_doccount() == 0) {
            db.set_metadata(format_key, format_version);
        } else if (fmt != format_version) {
            throw Error(ErrorKind::index_version,
                        ctx + ": " + (fmt.empty() ? std::string("not a lede index") : "index format " + fmt)
                            + " (this lede writes " + format_version + "); use a new folder");
        }
        return db;
    } catch (...) {
        rethrow_as_lede(ctx);
    }
}

}  // namespace lede::indexer
