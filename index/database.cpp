#include "index/database.hpp"

#include "analysis/variants.hpp"
#include "index/schema.hpp"
#include "index/segments.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <system_error>
#include <vector>

namespace lede::index {

void rethrow_as_lede(const std::string& context) {
    try {
        throw;
    } catch (const Error&) {
        throw;
    } catch (const Xapian::DatabaseLockError& e) {
        // Xapian reports both a held lock and a lock file it cannot create
        // (read-only folder) as a lock error; only the first is contention.
        if (e.get_msg().find("already locked") != std::string::npos) {
            throw Error(ErrorKind::index_locked, context + ": another process is writing to this index (" + e.get_msg()
                                                     + "); wait for it to finish");
        }
        throw Error(ErrorKind::io,
                    context + ": cannot take the write lock: " + e.get_description() + " (is the folder read-only?)");
    } catch (const Xapian::DatabaseNotFoundError&) {
        throw Error(ErrorKind::index_not_found,
                    context + ": no index there; build one with `lede index --db DIR PATH...`");
    } catch (const Xapian::DatabaseVersionError& e) {
        throw Error(ErrorKind::index_version, context + ": " + e.get_msg() + "; rebuild the index");
    } catch (const Xapian::DatabaseCorruptError& e) {
        throw Error(ErrorKind::index_corrupt, context + ": the index is damaged (" + e.get_msg()
                                                  + "); delete the folder and run `lede index` again");
    } catch (const Xapian::DatabaseModifiedError& e) {
        throw Error(ErrorKind::io, context + ": the index changed while it was read (" + e.get_msg() + "); try again");
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

// Xapian::Remote::open takes both time limits in milliseconds.
Xapian::Database open_tcp(const std::string& host, unsigned port, unsigned timeout_ms) {
    return Xapian::Remote::open(host, port, timeout_ms, timeout_ms);
}

Xapian::Database open_remote(const std::string& url, const std::string& ctx, unsigned timeout_ms) {
    std::string hostport = url.substr(6);
    auto colon = hostport.rfind(':');
    unsigned port = 0;
    if (colon == std::string::npos || colon == 0
        || std::from_chars(hostport.data() + colon + 1, hostport.data() + hostport.size(), port).ec != std::errc()
        || port == 0 || port > 65535) {
        throw Error(ErrorKind::invalid_argument, ctx + ": expected tcp://HOST:PORT");
    }
    return open_tcp(hostport.substr(0, colon), port, timeout_ms);
}

// A Xapian stub file, read by lede rather than by Xapian, so that its
// remote lines get the caller's time limit (Xapian gives them its own 10 s)
// and a stub that includes itself is an error rather than an endless
// recursion (Xapian 1.4.22 overflows the stack). The format is Xapian's:
// one database a line, `auto PATH` or `glass PATH` (relative to the stub's
// folder; PATH may be another stub), `remote HOST:PORT`, `remote :PROGRAM
// ARGS`; empty lines and lines starting with # are skipped.
void add_stub(std::vector<Xapian::Database>& parts, const std::filesystem::path& file, unsigned timeout_ms,
              std::vector<std::filesystem::path>& open_stubs) {
    std::error_code ec;
    std::filesystem::path canon = std::filesystem::weakly_canonical(file, ec);
    if (ec) {
        canon = file;
    }
    if (std::find(open_stubs.begin(), open_stubs.end(), canon) != open_stubs.end()) {
        throw Error(
            ErrorKind::invalid_argument,
            "stub file " + file.string() + " includes itself"
                + (open_stubs.back() == canon ? std::string() : " (through " + open_stubs.back().string() + ")"));
    }
    if (open_stubs.size() >= 16) {
        throw Error(ErrorKind::invalid_argument,
                    "stub file " + file.string() + ": stub files nested more than 16 deep");
    }
    std::ifstream in(file);
    if (!in) {
        throw Error(ErrorKind::io, "cannot read stub file " + file.string() + ": " + std::strerror(errno));
    }
    open_stubs.push_back(canon);
    std::string line;
    unsigned line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty() || line[0] == '#') {
            continue;
        }
        auto space = line.find(' ');
        std::string type = line.substr(0, space);
        std::string rest = space == std::string::npos ? std::string() : line.substr(space + 1);
        auto where = [&] { return file.string() + ":" + std::to_string(line_no); };
        if ((type == "auto" || type == "glass") && !rest.empty()) {
            std::filesystem::path target(rest);
            if (target.is_relative()) {
                target = file.parent_path() / target;
            }
            // One stat of the target, one of its version file: a segmented
            // index opens nine or more databases at every search.
            const std::filesystem::file_status st = std::filesystem::status(target, ec);
            const bool glass = std::filesystem::is_directory(st)
                               && std::filesystem::exists(target / "iamglass", ec);
            if (std::filesystem::is_regular_file(st)) {
                add_stub(parts, target, timeout_ms, open_stubs);
            } else if (std::filesystem::is_directory(st) && !glass
                       && std::filesystem::is_regular_file(target / "XAPIANDB", ec)) {
                add_stub(parts, target / "XAPIANDB", timeout_ms, open_stubs);
            } else if (!std::filesystem::exists(st)) {
                throw Error(ErrorKind::index_not_found, where() + ": no index at " + target.string());
            } else if (glass && type == "glass") {
                // What Xapian's own stub reader does for a `glass` line: no
                // probing for the other backends' version files.
                parts.emplace_back(target.string(), Xapian::DB_BACKEND_GLASS);
            } else {
                parts.emplace_back(target.string());
            }
        } else if (type == "remote" && !rest.empty() && rest[0] == ':') {
            auto sp = rest.find(' ');
            std::string program = rest.substr(1, sp == std::string::npos ? std::string::npos : sp - 1);
            std::string args = sp == std::string::npos ? std::string() : rest.substr(sp + 1);
            parts.push_back(Xapian::Remote::open(program, args, timeout_ms));
        } else if (type == "remote" && rest.rfind(':') != std::string::npos && rest.rfind(':') > 0) {
            auto colon = rest.rfind(':');
            unsigned port = 0;
            if (std::from_chars(rest.data() + colon + 1, rest.data() + rest.size(), port).ec != std::errc() || port == 0
                || port > 65535) {
                throw Error(ErrorKind::invalid_argument, where() + ": expected `remote HOST:PORT`");
            }
            parts.push_back(open_tcp(rest.substr(0, colon), port, timeout_ms));
        } else {
            // As Xapian does, the line itself is not repeated: the file may be
            // anything (a user's notes given to --db by mistake).
            throw Error(ErrorKind::invalid_argument,
                        where() + ": not an index folder or a stub file (a stub file lists one index a line:"
                                  " `auto PATH` or `remote HOST:PORT`)");
        }
    }
    open_stubs.pop_back();
}

// The databases of a folder or stub file, one per index.
std::vector<Xapian::Database> open_local(const std::string& path, const std::string& ctx, unsigned timeout_ms) {
    std::error_code ec;
    std::vector<Xapian::Database> parts;
    if (std::filesystem::is_regular_file(path, ec)) {
        std::vector<std::filesystem::path> open_stubs;
        try {
            add_stub(parts, path, timeout_ms, open_stubs);
        } catch (const Error& e) {
            throw Error(e.kind(), ctx + ": " + e.what());
        }
        return parts;
    }
    if (segments::is_segmented(path)) {
        // lede's own: the commit point names its metadata database and
        // segments (docs/ARCHITECTURE.md); read like any stub, by lede. A
        // writer removes what an older commit named only at the start of its
        // next run: a database gone while it was opened means a newer stub.
        const std::filesystem::path stub = std::filesystem::path(path) / segments::stub_name;
        for (int attempt = 0;; ++attempt) {
            std::vector<std::filesystem::path> open_stubs;
            const std::string before = segments::read_stub_text(path);
            try {
                parts.clear();
                add_stub(parts, stub, timeout_ms, open_stubs);
                return parts;
            } catch (const Error& e) {
                if (attempt < 3 && segments::read_stub_text(path) != before) {
                    continue;
                }
                throw Error(e.kind(), ctx + ": " + e.what());
            } catch (const Xapian::DatabaseOpeningError&) {
                if (attempt < 3 && segments::read_stub_text(path) != before) {
                    continue;
                }
                throw;
            }
        }
    }
    parts.emplace_back(path);
    return parts;
}

}  // namespace

void check_distinct(const std::vector<std::string>& shards, const std::string& context) {
    if (shards.size() < 2) {
        return;  // nothing to compare (and no path to resolve)
    }
    std::vector<std::string> seen;
    for (const auto& s : shards) {
        std::error_code ec;
        std::string key = s.starts_with("tcp://") ? s : std::filesystem::weakly_canonical(s, ec).string();
        if (ec) {
            key = s;
        }
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
            throw Error(ErrorKind::invalid_argument,
                        context + ": " + s + " is given twice; each index may be listed once");
        }
        seen.push_back(std::move(key));
    }
}

Xapian::Database open_for_reading(const std::string& path, unsigned remote_timeout_ms,
                                  std::vector<Xapian::Database>* parts, std::vector<Xapian::Database>* singles) {
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
    std::vector<Xapian::Database> opened;
    try {
        retry_reads(
            db, ctx,
            [&] {
                opened = remote ? std::vector<Xapian::Database>{open_remote(path, ctx, remote_timeout_ms)}
                                : open_local(path, ctx, remote_timeout_ms);
                db = Xapian::Database();
                for (const auto& part : opened) {
                    db.add_database(part);
                }
                fmt = db.get_metadata(meta::format);
                empty = fmt.empty() && db.get_doccount() == 0;
                return 0;
            },
            [] {});
    } catch (...) {
        rethrow_as_lede(ctx);
    }
    const bool segmented = !remote && segments::is_segmented(path);
    if (fmt != (segmented ? segments::format : format_version) && !empty) {
        throw Error(ErrorKind::index_version,
                    ctx + ": "
                        + (fmt.empty() ? "not a lede index (this lede reads " + std::string(format_version)
                                             + "); index into a new folder with `lede index`"
                                       : "index format " + fmt + " (this lede reads " + format_version
                                             + "); delete the folder and run `lede index` again, or index "
                                               "into a new folder"));
    }
    if (singles != nullptr) {
        *singles = opened;
    }
    if (parts != nullptr) {
        if (segmented) {
            // Every subdatabase of a segmented index is the index as a whole
            // to its callers (alerts read each part's id and time).
            opened.assign(opened.size(), db);
        }
        *parts = std::move(opened);
    }
    return db;
}

std::vector<std::string> hidden_terms(const std::vector<Xapian::Database>& parts) {
    std::vector<std::string> out;
    for (const auto& p : parts) {
        for (auto& t : segments::deleted_terms(p)) {
            out.push_back(std::move(t));
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string analysis_warning(const Xapian::Database& db, const std::string& path) {
    std::string stored;
    try {
        stored = db.get_metadata(meta::analysis);
    } catch (...) {
        rethrow_as_lede("opening index at " + path);
    }
    if (stored.empty() || stored == analysis::fingerprint()) {
        return {};
    }
    return "index at " + path + " was built with other analysis settings (data/aliases.txt or the spelling-variant"
           " rules have changed since): some names may not find their variants; to rebuild it, delete the folder"
           " and run `lede index` again";
}

std::string new_index_id() {
    std::random_device rd;
    std::uniform_int_distribution<unsigned> nibble(0, 15);
    std::string id(32, '0');
    for (char& c : id) {
        c = "0123456789abcdef"[nibble(rd)];
    }
    return id;
}

}  // namespace lede::index
