// The command line itself: the first run, usage errors, --version, colour of
// -l/-c paths. The completions are checked by tests/completions/check.py.
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <string>

using namespace e2e;

namespace {

// lede with no index anywhere: a fresh HOME, no XDG_DATA_HOME, no LEDE_DB.
Result first_run(const TempDir& home, const std::string& args) {
    return sh("HOME=" + q(home.path()) + " XDG_DATA_HOME= LEDE_DB= " + q(LEDE_BIN) + " " + args);
}

// One line on stderr, starting with "lede: ".
bool one_lede_line(const std::string& err) { return err.starts_with("lede: ") && err.find('\n') == err.size() - 1; }

}  // namespace

TEST_CASE("cli: the first run explains itself") {
    TempDir home;
    SUBCASE("lede alone: a short usage with the commands a new user needs, exit 2") {
        Result r = first_run(home, "");
        CHECK(r.exit == 2);
        CHECK(r.out.empty());
        CHECK(r.err.find("lede index ") != std::string::npos);
        CHECK(r.err.find("lede search ") != std::string::npos);
        CHECK(r.err.find("lede --help") != std::string::npos);
    }
    SUBCASE("lede search without an index: the exact command that makes one") {
        Result r = first_run(home, "search Witkoff");
        CHECK(r.exit == 2);
        CHECK(r.out.empty());
        CHECK(one_lede_line(r.err));
        CHECK(r.err.find("no index yet at " + home.path() + "/.local/share/lede/index") != std::string::npos);
        CHECK(r.err.find("`lede index FOLDER`") != std::string::npos);
        CHECK(first_run(home, "stats").err.find("`lede index FOLDER`") != std::string::npos);
    }
    SUBCASE("the command it names works: lede index FOLDER, then lede search") {
        REQUIRE(first_run(home, "index -q " + q(corpus_dir())).exit == 0);
        Result r = first_run(home, "search --no-heading Umerov");
        CHECK(r.exit == 0);
        CHECK(r.out.find("Umyrov") != std::string::npos);
    }
    SUBCASE("lede index without a path says what it expects") {
        Result r = first_run(home, "index");
        CHECK(r.exit == 2);
        CHECK(one_lede_line(r.err));
        CHECK(r.err.find("files or folders") != std::string::npos);
        CHECK(r.err.find("--files-from") != std::string::npos);
    }
    SUBCASE("--db given: the message names that index") {
        Result r = first_run(home, "search --db " + q(home / "elsewhere") + " Witkoff");
        CHECK(r.exit == 2);
        CHECK(r.err.find("lede index --db " + home / "elsewhere") != std::string::npos);
    }
}

TEST_CASE("cli: an unknown command exits 2, also with --help after it") {
    for (const char* args : {"bogus", "bogus --help", "serach Witkoff", "Witkoff"}) {
        CAPTURE(args);
        Result r = lede(args);
        CHECK(r.exit == 2);
        CHECK(r.out.empty());
        CHECK(one_lede_line(r.err));
        CHECK(r.err.find("unknown command") != std::string::npos);
        CHECK(r.err.find("index, search, stats, compact") != std::string::npos);
    }
    CHECK(lede("--help").exit == 0);
    CHECK(lede("search --help").exit == 0);
}

TEST_CASE("cli: usage errors are one `lede:` line naming the command, exit 2") {
    struct Case {
        const char* args;
        const char* says;
    };
    for (Case c :
         {Case{"search --bogus x", "search: the following argument was not expected: --bogus"},
          Case{"search", "search: no query"}, Case{"search -n abc x", "search: --limit abc: expected a whole number"},
          Case{"index --format xml a.txt", "index: --format"}, Case{"stats extra", "stats: "},
          Case{"--bogus", "lede: unknown option '--bogus'"}, Case{"compact", "compact: output is required"}}) {
        CAPTURE(c.args);
        Result r = lede(c.args);
        CHECK(r.exit == 2);
        CHECK(r.out.empty());
        CHECK(one_lede_line(r.err));
        CHECK(r.err.find(c.says) != std::string::npos);
        CHECK(r.err.find("--help`") != std::string::npos);
    }
}

TEST_CASE("cli: --version names lede, the index format it writes, Xapian and ICU") {
    Result r = lede("--version");
    CHECK(r.exit == 0);
    std::smatch m;
    REQUIRE(std::regex_search(r.out, m, std::regex(R"(^lede (\d+\.\d+\.\d+)\nindex format: (lede-\d+)\n)")));
    // The format the docs describe is the one the binary writes.
    CHECK(read_file(std::string(LEDE_SOURCE_DIR) + "/docs/ARCHITECTURE.md").find("format `" + m[2].str() + "`")
          != std::string::npos);
    // The versions are those of the development packages it was built with.
    Result xapian = sh("pkg-config --modversion xapian-core");
    Result icu = sh("pkg-config --modversion icu-uc");
    REQUIRE(xapian.exit == 0);
    REQUIRE(icu.exit == 0);
    CHECK(r.out.find("\nXapian " + xapian.out) != std::string::npos);  // out ends with '\n'
    CHECK(r.out.find("\nICU " + icu.out) != std::string::npos);
}

TEST_CASE("search: --color=always colours the paths of -l and -c too") {
    std::string db = q(corpus_index());
    Result l = lede("search --color=always -l --db " + db + " Witkoff");
    REQUIRE(l.exit == 0);
    CHECK(std::regex_search(l.out, std::regex("^\x1b\\[35m[^\x1b]+\\.txt\x1b\\[0m\n")));
    Result c = lede("search --color=always -c --db " + db + " Witkoff");
    REQUIRE(c.exit == 0);
    CHECK(std::regex_search(c.out, std::regex("^\x1b\\[35m[^\x1b]+\\.txt\x1b\\[0m:[0-9]+\n")));
    // Piped and not asked for: no colour, the lines as before.
    CHECK(std::regex_search(lede("search -l --db " + db + " Witkoff").out, std::regex("^[^\x1b]+\\.txt\n")));
    CHECK(std::regex_search(lede("search -c --db " + db + " Witkoff").out, std::regex("^[^\x1b]+\\.txt:[0-9]+\n")));
}

TEST_CASE("search: the output is whole and the exit status right when the process ends after printing") {
    // `lede search` ends at once after flushing its output (tools/app.cpp,
    // finish()): what C's stdout buffer holds must reach a file as it
    // reaches a pipe, in every output mode, and the status must be kept.
    TempDir d;
    const std::string db = "--db " + q(corpus_index()) + " ";
    for (const std::string args : {"-n 200 --per-article 0 the", "--json -n 200 --per-article 0 the",
                                   "--jsonl -n 50 the", "-l the", "-c the", "--timeline the", "--by source the"}) {
        CAPTURE(args);
        Result piped = lede("search " + db + args);
        REQUIRE(piped.exit == 0);
        REQUIRE(piped.out.size() > (args.starts_with("-n 200") || args.starts_with("--json ") ? 16384U : 0U));
        Result to_file = sh(q(LEDE_BIN) + " search " + db + args + " > " + q(d / "out"));
        CHECK(to_file.exit == 0);
        CHECK(read_file(d / "out") == piped.out);
    }
    auto j = search_json(corpus_index(), "-n 200 --per-article 0 the");
    CHECK(j["results"].size() == j["total"].get<std::size_t>());  // every passage, as counted
    CHECK(lede("search " + db + "-n 0 the").exit == 0);
    Result none = lede("search " + db + "zzqxjv");
    CHECK(none.exit == 1);
    CHECK(none.err == "lede: no passage matches zzqxjv\n");
    CHECK(lede("search " + db + "-n 0 zzqxjv").exit == 1);
}

TEST_CASE("search: results that cannot be written are an I/O error, exit 2, not a silent success") {
    // /dev/full fails every write with ENOSPC: a full disk in miniature.
    if (!std::filesystem::exists("/dev/full")) {
        return;
    }
    const std::string db = "--db " + q(corpus_index()) + " ";
    for (const std::string args : {"Witkoff", "--json Witkoff", "-l Witkoff", "--timeline Witkoff"}) {
        CAPTURE(args);
        Result r = sh(q(LEDE_BIN) + " search " + db + args + " > /dev/full");
        CAPTURE(r.err);
        CHECK(r.exit == 2);
        // The reason (ENOSPC) when the last write failed; an earlier failure
        // of a longer output is said without it (errno is gone by then).
        CHECK(r.err.starts_with("lede: writing the results to standard output: "));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    // A short output (one buffer) fails at the last flush: the reason is known.
    CHECK(sh(q(LEDE_BIN) + " search " + db + "-l Witkoff > /dev/full").err.find("No space left on device")
          != std::string::npos);
    CHECK(sh(q(LEDE_BIN) + " search " + db + "Witkoff > /dev/null").exit == 0);
}
