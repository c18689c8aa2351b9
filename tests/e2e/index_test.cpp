// `lede index` end to end: idempotence, change detection, SOTU windows, bad files.
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include <sys/stat.h>
#include <unistd.h>

using namespace e2e;

namespace {

std::size_t count_results(const std::string& db, const std::string& query) {
    auto j = search_json(db, "--per-article 0 -n 10000 " + query);
    return j["results"].size();
}

}  // namespace

TEST_CASE("index: the same input twice duplicates nothing and says so") {
    TempDir d;
    std::string db = d / "idx";
    Result a = lede("index --db " + q(db) + " " + q(corpus_dir()));
    REQUIRE(a.exit == 0);
    CHECK(a.out.empty());  // summary goes to stderr
    std::size_t n1 = count_results(db, "the");
    Result b = lede("index --db " + q(db) + " " + q(corpus_dir()) + " " + q(corpus_dir() + "/../corpus"));
    REQUIRE(b.exit == 0);
    CHECK(b.err.find("5 unchanged") != std::string::npos);
    CHECK(b.err.find("nothing changed") != std::string::npos);
    CHECK(count_results(db, "the") == n1);
}

TEST_CASE("index: a changed file is re-indexed in place, --prune drops deleted files") {
    TempDir d;
    std::string db = d / "idx";
    write_file(d / "src/a.txt", "Witkoff met Umerov in Abu Dhabi.\n");
    write_file(d / "src/b.md", "Talks resumed on Thursday in Geneva.\n");
    REQUIRE(lede("index --db " + q(db) + " " + q(d / "src")).exit == 0);
    CHECK(count_results(db, "Witkoff") == 1);
    write_file(d / "src/a.txt", "Kushner met Umerov in Abu Dhabi.\nA second paragraph here.\n");
    std::filesystem::last_write_time(d / "src/a.txt",
                                     std::filesystem::file_time_type::clock::now() + std::chrono::seconds(5));
    Result r = lede("index --db " + q(db) + " " + q(d / "src"));
    CHECK(r.err.find("1 updated") != std::string::npos);
    CHECK(count_results(db, "Witkoff") == 0);
    CHECK(count_results(db, "Kushner") == 1);
    std::filesystem::remove(d / "src/b.md");
    r = lede("index --prune --db " + q(db) + " " + q(d / "src"));
    CHECK(r.err.find("1 removed") != std::string::npos);
    CHECK(count_results(db, "Geneva") == 0);
}

TEST_CASE("index: SOTU speeches become sentence windows, none longer than 1500 bytes") {
    TempDir d;
    std::string db = d / "idx";
    Result r = lede("index --db " + q(db) + " " + q(data_dir() + "/sotu"));
    REQUIRE(r.exit == 0);
    auto j = search_json(db, "--per-article 0 -n 10000 the");
    REQUIRE(j["results"].size() > 200);
    for (const auto& res : j["results"]) {
        CHECK(res["text"].get<std::string>().size() <= 1500);
    }
    auto w = search_json(db, "-n 5 slavery");
    REQUIRE(!w["results"].empty());
    CHECK(!w["results"][0]["highlights"].empty());
}

TEST_CASE("index: bad files are reported by name and never stop the batch") {
    TempDir d;
    std::string db = d / "idx";
    write_file(d / "src/good.txt", "Witkoff met Umerov in Abu Dhabi.\n");
    write_file(d / "src/binary.txt", std::string("abc\0def\0", 8));
    write_file(d / "src/latin1.txt", "Caf\xe9 talks with Witkoff.\n");
    write_file(d / "src/empty.txt", "");
    Result r = lede("index --db " + q(db) + " " + q(d / "src") + " " + q(d / "missing.txt"));
    CHECK(r.exit == 3);
    CHECK(r.err.find("binary.txt: binary file") != std::string::npos);
    CHECK(r.err.find("missing.txt: no such file") != std::string::npos);
    CHECK(r.err.find("latin1.txt: warning: invalid UTF-8") != std::string::npos);
    CHECK(r.err.find("empty.txt: warning: empty file") != std::string::npos);
    CHECK(count_results(db, "Witkoff") == 2);
}

TEST_CASE("index: broken symlinks, symlink loops and unreadable entries are reported, the rest indexed") {
    TempDir d;
    write_file(d / "src/good.txt", "Witkoff met Umerov in Abu Dhabi.\n");
    write_file(d / "elsewhere/linked.txt", "Kushner arrived from a linked folder.\n");
    std::filesystem::create_symlink(d / "nowhere.txt", d / "src/broken.txt");
    std::filesystem::create_directory_symlink(d / "src", d / "src/loop");          // a loop
    std::filesystem::create_directory_symlink(d / "elsewhere", d / "src/linked");  // a plain link
    REQUIRE(mkfifo((d / "src/pipe.txt").c_str(), 0600) == 0);                      // not a regular file
    Result r = lede("index --db " + q(d / "idx") + " " + q(d / "src"));
    CHECK(r.exit == 3);
    CHECK(r.err.find("broken.txt: broken symbolic link") != std::string::npos);
    CHECK(r.err.find("loop: symbolic link loop") != std::string::npos);
    CHECK(r.err.find("pipe.txt: not a regular file") != std::string::npos);
    CHECK(count_results(d / "idx", "Witkoff") == 1);  // indexed once, not once per loop turn
    CHECK(count_results(d / "idx", "Kushner") == 1);  // a linked folder is followed
    if (geteuid() != 0) {
        write_file(d / "src2/secret.txt", "hidden\n");
        std::filesystem::permissions(d / "src2/secret.txt", std::filesystem::perms::none);
        Result u = lede("index --db " + q(d / "idx2") + " " + q(d / "src2"));
        CHECK(u.exit == 3);
        CHECK(u.err.find("secret.txt: Permission denied") != std::string::npos);
    }
}

// Issue 14: short paragraphs in scripts written without spaces are prose;
// only lines without two words (by ICU's word rules) are left out.
TEST_CASE("index: short Chinese, Japanese and Thai paragraphs are indexed, punctuation-only lines are not") {
    TempDir d;
    write_file(d / "src/zh.txt", "泽连斯基总统在阿布扎比举行会谈。\n\n—— 12:30 ——\n");
    write_file(d / "src/ja.txt", "ゼレンスキー大統領はアブダビで会談した。\n");
    write_file(d / "src/th.txt", "การเจรจาสันติภาพที่อาบูดาบี\n");
    Result r = lede("index --summary-json " + q(d / "sum.json") + " --db " + q(d / "idx") + " " + q(d / "src"));
    REQUIRE(r.exit == 0);
    auto s = nlohmann::json::parse(read_file(d / "sum.json"));
    CHECK(s["passages"] == 3);
    CHECK(s["non_prose"] == 1);
    CHECK(count_results(d / "idx", "阿布扎比") == 1);
    CHECK(count_results(d / "idx", "アブダビ") == 1);
    CHECK(count_results(d / "idx", "อาบูดาบี") == 1);
}

// Issues 14 and 20: every file under a root is indexed once or reported —
// links to each folder above them (loops, also above the root), self links,
// links into the tree, and folders nested deeper than the walk goes.
TEST_CASE("index: links up the tree at every level and very deep folders: each file once, or reported") {
    TempDir d;
    write_file(d / "top/root/d/e/ok.txt", "Witkoff met Umerov in Abu Dhabi.\n");
    write_file(d / "top/root/other.txt", "Kushner was there too.\n");
    std::filesystem::create_symlink("self", d / "top/root/self");                   // a -> a
    std::filesystem::create_directory_symlink("..", d / "top/root/d/e/up1");        // the folder above
    std::filesystem::create_directory_symlink("../..", d / "top/root/d/e/up2");     // the root
    std::filesystem::create_directory_symlink("../../..", d / "top/root/d/e/up3");  // above the root
    std::filesystem::create_directory_symlink(".", d / "top/root/d/here");          // itself
    std::filesystem::create_directory_symlink("d/e", d / "top/root/into");          // into the tree
    Result r = lede("index --db " + q(d / "idx") + " " + q(d / "top/root"));
    CHECK(r.exit == 3);
    for (const char* link :
         {"self: symbolic link loop", "up1: symbolic link loop", "up2: symbolic link loop", "up3: symbolic link loop",
          "here: symbolic link loop", "into: link to a folder indexed already"}) {
        CAPTURE(link);
        CHECK(r.err.find(link) != std::string::npos);
    }
    CHECK(r.err.find("broken") == std::string::npos);
    CHECK(count_results(d / "idx", "Witkoff") == 1);
    CHECK(count_results(d / "idx", "Kushner") == 1);

    // 300 nested folders: the walk stops at 256 levels and says where.
    std::string deep = d / "deep";
    for (int i = 0; i < 300; ++i) {
        deep += "/n";
    }
    std::filesystem::create_directories(deep);
    write_file(deep + "/bottom.txt", "Dmitriev spoke at the bottom.\n");
    write_file(d / "deep/n/top.txt", "Zelensky spoke at the top.\n");
    Result deep_run = lede("index --db " + q(d / "idx2") + " " + q(d / "deep"));
    CHECK(deep_run.exit == 3);
    CHECK(deep_run.err.find("levels deep (not walked") != std::string::npos);
    CHECK(count_results(d / "idx2", "Zelensky") == 1);
}

// Issue 14: --prune drops every indexed file that is no longer a file —
// deleted, replaced by a folder of the same name, by a FIFO, by a broken link.
TEST_CASE("index: --prune drops files replaced by a folder, a FIFO or a broken link") {
    TempDir d;
    for (const char* n : {"folder", "fifo", "link", "deleted", "kept"}) {
        write_file(d / "src/" + n + ".txt", std::string("Witkoff note ") + n + ".\n");
    }
    REQUIRE(lede("index -q --db " + q(d / "idx") + " " + q(d / "src")).exit == 0);
    REQUIRE(count_results(d / "idx", "Witkoff") == 5);
    std::filesystem::remove(d / "src/folder.txt");
    std::filesystem::create_directory(d / "src/folder.txt");
    std::filesystem::remove(d / "src/fifo.txt");
    REQUIRE(mkfifo((d / "src/fifo.txt").c_str(), 0600) == 0);
    std::filesystem::remove(d / "src/link.txt");
    std::filesystem::create_symlink(d / "nowhere", d / "src/link.txt");
    std::filesystem::remove(d / "src/deleted.txt");
    Result r = lede("index --prune --db " + q(d / "idx") + " " + q(d / "src"));
    CHECK(r.err.find("4 removed") != std::string::npos);
    CHECK(count_results(d / "idx", "Witkoff") == 1);
    CHECK(lede("search -l --db " + q(d / "idx") + " Witkoff").out.find("kept.txt") != std::string::npos);
}
