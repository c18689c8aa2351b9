#include "tools/app.hpp"

#include <lede/error.hpp>
#include <lede/output.hpp>
#include <lede/version.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

namespace lede::tools {
namespace {

// The index location used without --db in this run (empty: --db was given).
std::string default_db_used;

std::string default_db() {
    if (const char* env = std::getenv("LEDE_DB"); env != nullptr && *env != '\0') {
        return env;
    }
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
        return std::string(xdg) + "/lede/index";
    }
    const char* home = std::getenv("HOME");
    return std::string(home != nullptr ? home : ".") + "/.local/share/lede/index";
}

}  // namespace

void warm_heap() {
#ifndef MADV_POPULATE_WRITE
    constexpr int MADV_POPULATE_WRITE = 23;  // Linux 5.14; glibc 2.36's headers lack it
#endif
    // A one-word search touches ~0.6 MB of heap (Xapian's blocks, the stored
    // passages, their tokens); page by page that was ~110 page faults of
    // ~10 µs each on a VM. Allocations up to 1 MB come from the heap (not
    // mmap), which grows and is kept in 1 MB steps, and its first step is
    // populated at once.
    constexpr std::size_t step = std::size_t{1} << 20;
    mallopt(M_MMAP_THRESHOLD, static_cast<int>(step));
    mallopt(M_TOP_PAD, static_cast<int>(step));
    mallopt(M_TRIM_THRESHOLD, static_cast<int>(4 * step));
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    void* grow = std::malloc(step - page);  // more than the heap has: it grows by this and the pad
    if (grow == nullptr) {
        return;
    }
    const auto from = (reinterpret_cast<std::uintptr_t>(grow) + page - 1) & ~(page - 1);
    const auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
    std::free(grow);
    // Only where the block came from the heap's top (not a sanitizer's or
    // another allocator's region): it ends within the pad.
    if (end > from && end - from <= 3 * step) {
        (void)madvise(reinterpret_cast<void*>(from), std::min<std::uintptr_t>(end - from, step), MADV_POPULATE_WRITE);
    }
}

std::string resolve_db(const std::string& flag) {
    if (!flag.empty()) {
        return flag;
    }
    default_db_used = default_db();
    return default_db_used;
}

std::string version_text() {
    std::string s = std::string("lede ") + LEDE_VERSION_STRING + "\nindex format: " + index_format() + "\nXapian "
                    + xapian_version(false);
    if (std::string(xapian_version(true)) != xapian_version(false)) {
        s += std::string(" (running with ") + xapian_version(true) + ")";
    }
    s += std::string("\nICU ") + icu_version(false);
    if (std::string(icu_version(true)) != icu_version(false)) {
        s += std::string(" (running with ") + icu_version(true) + ")";
    }
    return s;
}

std::string short_usage() {
    return "usage: lede COMMAND [OPTIONS] ...\n"
           "  lede index ~/news/         index a folder of articles (.txt, .md, .jsonl)\n"
           "  lede search Witkoff        search it: ranked passages, matches highlighted\n"
           "  lede search --help         the query syntax and the search options\n"
           "All commands: lede --help (index, search, stats, compact); everything: man lede\n";
}

std::string usage_error(const CLI::App* app, const CLI::Error& e) {
    std::string where;
    std::string command = "lede";
    for (const CLI::App* sub : app->get_subcommands()) {
        where = sub->get_name() + ": ";
        command += " " + sub->get_name();
    }
    std::string why = e.what();
    const std::string convert = "Could not convert: ";
    if (e.get_name() == "RequiredError" && command == "lede search" && why.starts_with("query")) {
        why = "no query: give the words to look for, e.g. lede search Witkoff";
    } else if (e.get_name() == "ConversionError" && why.starts_with(convert)) {
        // "Could not convert: --limit = abc": every converted option is a number.
        std::string rest = why.substr(convert.size());
        if (auto eq = rest.find(" = "); eq != std::string::npos) {
            why = rest.substr(0, eq) + " " + rest.substr(eq + 3) + ": expected a whole number (0 or more)";
        }
    } else if (!why.empty()) {
        why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
    }
    std::ostringstream out;
    out << "lede: " << where;
    write_safe(out, why);
    out << " (see `" << command << " --help`)\n";
    return out.str();
}

int check_command_word(const CLI::App& app, int argc, char** argv) {
    if (argc < 2) {
        std::cerr << short_usage();
        return Exit::error;
    }
    std::string word = argv[1];
    if (word.starts_with("-")) {
        if (app.get_option_no_throw(word.substr(0, word.find('='))) == nullptr) {
            report("unknown option '" + word + "'; a command comes first, e.g. lede search --help (see `lede --help`)");
            return Exit::error;
        }
        return -1;  // --help, --version
    }
    std::string names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (sub->get_name() == word) {
            return -1;
        }
        names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    report("unknown command '" + word + "'; the commands are " + names + " (see `lede --help`)");
    return Exit::error;
}

void report(const std::string& message) {
    std::cerr << "lede: ";
    lede::write_safe(std::cerr, message);
    std::cerr << '\n';
}

int finish(int code) {
    // Output that could not be written (a full disk, a closed pipe with
    // SIGPIPE ignored) is an I/O failure, not a result: said, and exit 2.
    errno = 0;
    std::cout.flush();                              // with the C streams in sync, an fflush(stdout)
    const bool flushed = std::fflush(stdout) == 0;  // std::cout writes through C's stdout buffer
    const int err = errno;
    if (!std::cout || !flushed || std::ferror(stdout) != 0) {
        report(std::string("writing the results to standard output: ")
               + (err != 0 ? std::strerror(err) : "a write failed, the output is incomplete"));
        code = Exit::error;
    }
#if defined(__SANITIZE_ADDRESS__)
    return code;  // see app.hpp
#else
    std::cerr.flush();
    std::clog.flush();
    std::fflush(nullptr);
    std::_Exit(code);
#endif
}

int handle_exception() {
    try {
        throw;
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::index_not_found && !default_db_used.empty()) {
            // The first run: no --db, and nothing at the default location yet.
            report("no index yet at " + default_db_used + "; make one from a folder of articles with "
                   "`lede index FOLDER`, then search it with `lede search WORDS`");
            return Exit::error;
        }
        report(e.what());
        return e.kind() == ErrorKind::index_locked ? Exit::locked : Exit::error;
    } catch (const std::exception& e) {
        report(std::string("unexpected error: ") + e.what());
        return Exit::error;
    }
}

}  // namespace lede::tools
