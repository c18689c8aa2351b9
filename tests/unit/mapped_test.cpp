// Reads from memory maps (index/mapped.hpp): a Searcher that maps its index
// finds what one that reads it finds, to the byte; a map serves only the file
// registered, as it was registered, and dies with its descriptor, so that a
// descriptor number used again reads its own file.
#include "index/mapped.hpp"

#include "index/segments.hpp"

#include <lede/lede.hpp>

#include <doctest/doctest.h>

#include "tests/unit/tempdir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace mapped = lede::index::mapped;

// The index of the SOTU sample at @p idx, in two runs (two segments).
void build(const std::string& idx, const std::string& scratch) {
    const std::string src = scratch + "/src";
    fs::create_directories(src);
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(std::string(LEDE_TEST_DATA) + "/sotu")) {
        files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 2);
    for (std::size_t half = 0; half < 2; ++half) {
        for (std::size_t i = half; i < files.size(); i += 2) {
            fs::copy_file(files[i], fs::path(src) / files[i].filename());
        }
        lede::IndexOptions opt;
        opt.jobs = 1;
        opt.merge = false;
        lede::Indexer ix(idx);
        (void)ix.index_paths({src}, opt);
    }
}

std::string dump(const lede::SearchResults& r) {
    std::string out = std::to_string(r.total) + "/" + std::to_string(r.total_min) + "/" + std::to_string(r.total_max);
    for (const auto& h : r.hits) {
        char score[32];
        std::snprintf(score, sizeof score, "%.17g", h.score);
        out += "\n" + std::to_string(h.rank) + " " + score + " " + h.path + ":" + std::to_string(h.passage) + " "
               + h.snippet;
    }
    return out;
}

// The first table file of the first segment of @p idx.
std::string a_table(const std::string& idx) {
    const auto layout = lede::index::segments::read_layout(idx);
    REQUIRE(!layout.segments.empty());
    return idx + "/" + layout.segments.front() + "/postlist.glass";
}

std::string read_at(int fd, std::size_t n, off_t off) {
    std::string buf(n, '\0');
    const ssize_t got = ::pread(fd, buf.data(), n, off);
    REQUIRE(got >= 0);
    buf.resize(static_cast<std::size_t>(got));
    return buf;
}

std::string file_bytes(const std::string& path, std::size_t n, std::size_t off) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(off));
    std::string buf(n, '\0');
    in.read(buf.data(), static_cast<std::streamsize>(n));
    buf.resize(static_cast<std::size_t>(in.gcount()));
    return buf;
}

// A read of @p path as it is now, and not from a map.
void read_as_before(const std::string& path, const std::string& expected) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    const unsigned long long before = mapped::mapped_reads();
    CHECK(read_at(fd, expected.size(), 0) == expected);
    CHECK(mapped::mapped_reads() == before);
    ::close(fd);
}

}  // namespace

TEST_CASE("mapped: a Searcher that maps its index finds what one that reads it finds") {
    lede::test::TempDir d;
    const std::string idx = d.path + "/idx";
    build(idx, d.path);
    REQUIRE(lede::index::segments::read_layout(idx).segments.size() >= 2);
    const std::vector<std::string> queries = {"slavery",  "government", "\"United States\"",     "war NOT civil",
                                              "tax cuts", "Lincoln",    "constitution OR union", "peace treaty"};
    lede::OpenOptions reads;
    reads.map_files = false;
    lede::OpenOptions maps;
    lede::SearchOptions opt;
    opt.limit = 10;
    opt.exact_total = true;
    const unsigned long long before = mapped::mapped_reads();
    std::vector<std::string> read_results;
    {
        lede::Searcher s({idx}, reads);
        for (const auto& q : queries) {
            read_results.push_back(dump(s.search(q, opt)));
        }
    }
    CHECK(mapped::mapped_reads() == before);  // nothing registered: every read is a read
    lede::Searcher s({idx}, maps);
    for (int round = 0; round < 2; ++round) {  // the second from maps made by the first
        for (std::size_t i = 0; i < queries.size(); ++i) {
            CAPTURE(queries[i]);
            CHECK(dump(s.search(queries[i], opt)) == read_results[i]);
        }
    }
    CHECK(mapped::mapped_reads() > before + queries.size());
}

TEST_CASE("mapped: a map serves its file as registered, and dies with its descriptor") {
    lede::test::TempDir d;
    const std::string idx = d.path + "/idx";
    build(idx, d.path);
    const std::string table = a_table(idx);
    const std::size_t size = fs::file_size(table);
    REQUIRE(size >= 8192);
    const std::string expected = file_bytes(table, 8192, 0);

    SUBCASE("a registered file is read from its map; a read past its end, as before") {
        const mapped::Registration r = mapped::register_index(idx);
        const int fd = ::open(table.c_str(), O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        const unsigned long long before = mapped::mapped_reads();
        CHECK(read_at(fd, 8192, 0) == expected);
        CHECK(read_at(fd, 100, 50) == expected.substr(50, 100));
        CHECK(mapped::mapped_reads() == before + 2);
        CHECK(read_at(fd, 8192, static_cast<off_t>(size)).empty());  // at the end: the C library's answer
        CHECK(read_at(fd, 8192, static_cast<off_t>(size) - 10) == file_bytes(table, 10, size - 10));
        CHECK(mapped::mapped_reads() == before + 2);

        // Closed, its number goes to another file: that file is read, not the map.
        REQUIRE(::close(fd) == 0);
        const std::string other = d.path + "/other.bin";
        {
            std::ofstream out(other, std::ios::binary);
            out << std::string(9000, 'x');
        }
        const int again = ::open(other.c_str(), O_RDONLY | O_CLOEXEC);
        REQUIRE(again >= 0);
        CHECK(again == fd);  // the lowest free number: the one just closed
        CHECK(read_at(again, 8192, 0) == std::string(8192, 'x'));
        CHECK(mapped::mapped_reads() == before + 2);
        ::close(again);
    }

    SUBCASE("without a registration, or once it is gone, files are read as before") {
        { const mapped::Registration r = mapped::register_index(idx); }
        read_as_before(table, expected);
    }

    SUBCASE("a file changed since it was registered is read as before") {
        const mapped::Registration r = mapped::register_index(idx);
        struct timespec times[2] = {{0, UTIME_OMIT}, {12345, 0}};  // another modification time
        REQUIRE(::utimensat(AT_FDCWD, table.c_str(), times, 0) == 0);
        read_as_before(table, expected);
    }

    SUBCASE("an index that is not segmented registers nothing") {
        const mapped::Registration r = mapped::register_index(d.path + "/src");
        read_as_before(table, expected);
    }
}
