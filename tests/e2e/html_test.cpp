// HTML pages, RSS/Atom feeds and text in other encodings, end to end: the
// real `lede index` and `lede search` on tests/data/html and tests/data/feeds.
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>

using namespace e2e;
namespace fs = std::filesystem;

namespace {

std::multiset<std::string> texts(const nlohmann::json& j) {
    std::multiset<std::string> s;
    for (const auto& r : j["results"]) {
        s.insert(r["text"].get<std::string>());
    }
    return s;
}

std::size_t count(const std::string& db, const std::string& query) {
    return search_json(db, "--per-article 0 -n 10000 " + query)["results"].size();
}

}  // namespace

TEST_CASE("html: the seed articles as pages give the same passages as the text files") {
    TempDir d;
    std::string db = d / "idx";
    Result r = lede("index --db " + q(db) + " " + q(data_dir() + "/html/seeds"));
    REQUIRE(r.exit == 0);
    CHECK(r.err.find("warning:") == std::string::npos);
    for (const char* query : {"Ukraine", "\"security guarantees\"", "Witkoff", "the"}) {
        auto html = search_json(db, std::string("--per-article 0 -n 10000 ") + query);
        auto text = search_json(corpus_index(), std::string("--per-article 0 -n 10000 ") + query);
        CHECK_MESSAGE(texts(html) == texts(text), query);
    }
    auto j = search_json(db, "--per-article 0 -n 10000 the");
    REQUIRE(!j["results"].empty());
    for (const auto& res : j["results"]) {
        std::string t = res["text"];
        CHECK(t.find("Share this") == std::string::npos);
        CHECK(t.find("cookies") == std::string::npos);
        CHECK(t.find("A reader's comment") == std::string::npos);
        // start/end: where the passage is in the page (these pages escape no character in the text but & < >)
        std::string file = read_file(res["path"].get<std::string>());
        std::size_t start = res["start"];
        std::size_t end = res["end"];
        REQUIRE(start < end);
        REQUIRE(end <= file.size());
        if (t.find_first_of("&<>") == std::string::npos) {
            CHECK(file.substr(start, end - start) == t);
        }
        CHECK(!res["title"].get<std::string>().empty());
        CHECK(res["date"] == "2026-02-05");
        CHECK(res["source"] == "The Example Ledger");
        CHECK(res["url"].get<std::string>().starts_with("https://ledger.example/"));
    }
}

TEST_CASE("html: CMS pages index their article, not their furniture") {
    TempDir d;
    std::string db = d / "idx";
    fs::create_directories(d / "src");
    for (const char* f : {"wordpress.html", "arc.html", "amp.html", "jsonld_only.html", "no_article.html"}) {
        fs::copy_file(data_dir() + "/html/" + f, d / (std::string("src/") + f + ""), fs::copy_options::none);
    }
    Result r = lede("index --db " + q(db) + " " + q(d / "src"));
    REQUIRE(r.exit == 0);
    CHECK(r.err.find("5 added") != std::string::npos);
    auto w = search_json(db, "Quincy");
    REQUIRE(w["results"].size() == 1);
    CHECK(w["results"][0]["title"] == "Talks in Abu Dhabi end with a prisoner swap");
    CHECK(w["results"][0]["date"] == "2026-02-05");
    CHECK(w["results"][0]["source"] == "The Kyiv Ledger");
    CHECK(w["results"][0]["url"] == "https://kyivledger.example/2026/02/05/abu-dhabi-talks/");
    CHECK(count(db, "cookies") == 0);
    CHECK(count(db, "\"Recent Posts\"") == 0);
    CHECK(count(db, "WordPress") == 0);
    CHECK(count(db, "Advertisement") == 0);
    CHECK(count(db, "Subscribe") == 0);
    CHECK(count(db, "Peskov") == 1);
    auto amp = search_json(db, "Poland");  // the AMP page
    REQUIRE(amp["results"].size() == 1);
    CHECK(amp["results"][0]["date"] == "2026-01-28");
    CHECK(amp["results"][0]["title"] == "Kushner arrives in Kyiv");
    CHECK(count(db, "Belarus") == 1);  // JSON-LD articleBody
    CHECK(count(db, "Davos") == 1);    // table layout
}

TEST_CASE("html: windows-1251 and KOI8-R pages, Cyrillic names found by Latin queries") {
    TempDir d;
    std::string db = d / "idx";
    fs::create_directories(d / "src");
    for (const char* f : {"cp1251.html", "koi8r.html", "cp1251.txt", "utf16le.txt", "utf16be.txt"}) {
        fs::copy_file(data_dir() + "/html/" + f, d / (std::string("src/") + f));
    }
    Result r = lede("index --db " + q(db) + " " + q(d / "src"));
    REQUIRE(r.exit == 0);
    CHECK(r.err.find("binary") == std::string::npos);  // UTF-16 is text
    CHECK(r.err.find("invalid UTF-8") == std::string::npos);
    // The three files hold one text in three encodings: copies of one another,
    // shown once by default; every file is wanted here.
    auto z = search_json(db, "--per-article 0 --all-copies Zelensky");
    std::set<std::string> files;
    for (const auto& res : z["results"]) {
        files.insert(fs::path(res["path"].get<std::string>()).filename().string());
        CHECK(res["text"].get<std::string>().find("Зеленский") != std::string::npos);
    }
    CHECK(files == std::set<std::string>{"cp1251.html", "cp1251.txt", "koi8r.html"});
    auto t = search_json(db, "Kushner");
    std::set<std::string> kf;
    for (const auto& res : t["results"]) {
        kf.insert(fs::path(res["path"].get<std::string>()).filename().string());
    }
    CHECK(kf.count("utf16be.txt") == 1);  // Кушнер in UTF-16BE
    auto u = search_json(db, "Umerov");
    bool utf16 = false;
    for (const auto& res : u["results"]) {
        if (res["path"].get<std::string>().ends_with("utf16le.txt")) {
            utf16 = true;
            CHECK(res["start"] == 2);  // after the byte-order mark, in UTF-16 bytes
            CHECK(res["text"].get<std::string>().starts_with("Witkoff met Umerov"));
        }
    }
    CHECK(utf16);
    // start/end of a re-encoded text file: in the file's own bytes
    auto c = search_json(db, "--per-article 0 Умеров path:" + q(d / "src/cp1251.txt"));
    REQUIRE(c["results"].size() == 1);
    CHECK(c["results"][0]["start"] == 0);
    CHECK(c["results"][0]["end"] == 91);  // the first line, one byte per character in windows-1251
    CHECK(c["results"][0]["text"].get<std::string>().size() == 91 + 77);  // 77 Cyrillic letters: two bytes in UTF-8
    // the titles come out in UTF-8
    auto title = search_json(db, "Zelensky path:" + q(d / "src/koi8r.html"))["results"][0]["title"].get<std::string>();
    CHECK(title == "Зеленский встретился с Кушнером");
}

TEST_CASE("html: a UTF-8 byte-order mark before front matter") {
    TempDir d;
    std::string db = d / "idx";
    Result r = lede("index --db " + q(db) + " " + q(data_dir() + "/html/bom_front_matter.md"));
    REQUIRE(r.exit == 0);
    auto j = search_json(db, "Kremlin");
    REQUIRE(j["results"].size() == 1);
    CHECK(j["results"][0]["title"] == "Envoys in Moscow");
    CHECK(j["results"][0]["date"] == "2026-02-03");
    CHECK(j["results"][0]["source"] == "Wire");
    CHECK(j["results"][0]["text"].get<std::string>().starts_with("Steve Witkoff"));
}

TEST_CASE("feeds: items keyed by feed and guid, updated in place across snapshots, kept when they drop out") {
    TempDir d;
    std::string db = d / "idx";
    fs::create_directories(d / "feeds");
    fs::copy_file(data_dir() + "/feeds/world-2026-02-05.rss", d / "feeds/world-2026-02-05.rss");
    Result a = lede("index --db " + q(db) + " " + q(d / "feeds"));
    REQUIRE(a.exit == 0);
    CHECK(a.err.find("3 added") != std::string::npos);
    auto s = search_json(db, "Umerov");
    REQUIRE(s["results"].size() == 1);
    CHECK(s["results"][0]["article"] == "https://wiredaily.example/world/#https://wiredaily.example/?p=1001");
    CHECK(s["results"][0]["title"] == "Prisoner swap agreed in Abu Dhabi");
    CHECK(s["results"][0]["date"] == "2026-02-05");
    CHECK(s["results"][0]["source"] == "Wire Daily \u2013 World");
    CHECK(s["results"][0]["url"] == "https://wiredaily.example/world/2026/02/05/swap/");
    CHECK(count(db, "Share") == 0);

    // The next day's snapshot under a new name: one item new, one changed, one the same, one gone.
    fs::copy_file(data_dir() + "/feeds/world-2026-02-06.rss", d / "feeds/world-2026-02-06.rss");
    Result b = lede("index --db " + q(db) + " " + q(d / "feeds"));
    REQUIRE(b.exit == 0);
    CHECK(b.err.find("1 added") != std::string::npos);
    CHECK(b.err.find("2 updated") != std::string::npos);
    CHECK(count(db, "Umerov") == 0);  // the changed item replaced, not duplicated
    CHECK(count(db, "Belarusian") == 1);
    CHECK(count(db, "Miami") == 1);         // in both snapshots: once
    CHECK(count(db, "Zaporizhzhia") == 1);  // dropped out of the feed: kept
    CHECK(count(db, "Kushner") == 1);
    auto st = sh(std::string(LEDE_BIN) + " stats --json --db " + q(db));
    CHECK(nlohmann::json::parse(st.out)["articles"] == 4);

    // The same snapshot again changes nothing; re-indexing the older one
    // (touched) brings its version of the shared items back.
    Result c = lede("index --db " + q(db) + " " + q(d / "feeds"));
    CHECK(c.err.find("nothing changed") != std::string::npos);

    // --prune removes what a deleted file last wrote, not what newer files hold.
    fs::remove(d / "feeds/world-2026-02-05.rss");
    Result p = lede("index --prune --db " + q(db) + " " + q(d / "feeds"));
    REQUIRE(p.exit == 0);
    CHECK(count(db, "Zaporizhzhia") == 0);
    CHECK(count(db, "Belarusian") == 1);
    CHECK(count(db, "Miami") == 1);
}

TEST_CASE("feeds: a fresh parallel build writes an item of two snapshots once") {
    TempDir d;
    std::string db = d / "idx";
    fs::create_directories(d / "src");
    fs::copy_file(data_dir() + "/feeds/world-2026-02-05.rss", d / "src/world-2026-02-05.rss");
    fs::copy_file(data_dir() + "/feeds/world-2026-02-06.rss", d / "src/world-2026-02-06.rss");
    for (const char* f : {"wordpress.html", "arc.html", "amp.html"}) {
        fs::copy_file(data_dir() + "/html/" + f, d / (std::string("src/") + f));
    }
    Result r = lede("index --writers 2 -j 2 --db " + q(db) + " " + q(d / "src"));
    REQUIRE(r.exit == 0);
    CHECK(count(db, "Miami") == 1);
    CHECK(count(db, "Belarusian") == 1);
    CHECK(count(db, "Umerov") == 1);  // the WordPress page, not the replaced item
}

TEST_CASE("feeds: Atom entries, and the same feed file fetched again") {
    TempDir d;
    std::string db = d / "idx";
    write_file(d / "f/feed.xml", read_file(data_dir() + "/feeds/europe.atom"));
    write_file(d / "f/sitemap.xml", "<?xml version=\"1.0\"?><urlset><url><loc>https://x.example/</loc></url></urlset>");
    Result r = lede("index --db " + q(db) + " " + q(d / "f"));
    CHECK(r.exit == 0);
    CHECK(r.err.find("sitemap.xml: warning: XML but not an RSS or Atom feed") != std::string::npos);
    CHECK(r.err.find("sitemap.xml: warning: no prose") == std::string::npos);  // one warning says why
    auto m = search_json(db, "Macron");
    REQUIRE(m["results"].size() == 1);
    CHECK(m["results"][0]["article"] == "tag:ledger.example,2026:europe#tag:ledger.example,2026:macron-summit");
    CHECK(m["results"][0]["url"] == "https://ledger.example/europe/macron-summit");
    CHECK(m["results"][0]["date"] == "2026-02-03");
    CHECK(m["results"][0]["source"] == "Ledger Europe");
    CHECK(count(db, "\"rock-solid\"") == 1);
    CHECK(count(db, "Finland") == 1);
    // re-fetched under the same name with one entry changed
    std::string atom = read_file(data_dir() + "/feeds/europe.atom");
    std::string changed = atom;
    changed.replace(changed.find("Finland will send"), 17, "Sweden will send ");
    write_file(d / "f/feed.xml", changed);
    Result r2 = lede("index --db " + q(db) + " " + q(d / "f/feed.xml"));
    REQUIRE(r2.exit == 0);
    CHECK(count(db, "Finland") == 0);
    CHECK(count(db, "Sweden") == 1);
    CHECK(count(db, "Macron") == 1);
}

TEST_CASE("hostile input: huge scripts, deep nesting, billion laughs, unclosed tags, lying charsets") {
    TempDir d;
    std::string db = d / "idx";
    {
        std::string big = "<html><head><script>var x = \"";
        big.append(50U << 20, 'a');
        big += "\";</script></head><body><article><p>Kushner after a 50 MB script.</p></article></body></html>";
        write_file(d / "src/big_script.html", big);
    }
    {
        std::string deep = "<!DOCTYPE html><html><body><p>Witkoff above ten thousand levels.</p>";
        for (int i = 0; i < 10000; ++i) {
            deep += "<div><span>";
        }
        deep += "<p>Below libxml2's depth limit: not kept.</p>";
        write_file(d / "src/deep.html", deep);
    }
    {
        std::string deep_feed =
            "<?xml version=\"1.0\"?><rss><channel><title>Deep</title><item><guid>1</guid><description>";
        for (int i = 0; i < 10000; ++i) {
            deep_feed += "<x>";
        }
        write_file(d / "src/deep.rss", deep_feed);
    }
    fs::copy_file(data_dir() + "/feeds/billion_laughs.xml", d / "src/billion_laughs.xml");
    fs::copy_file(data_dir() + "/html/lying_charset.html", d / "src/lying_charset.html");
    write_file(d / "src/unclosed.html",
               "<html><body><article><p>Dmitriev spoke <b>first <i>then <div><p>Umerov spoke second<table><tr><td>");
    write_file(d / "src/not_html.htm", std::string("\x00\x01\x02 binary", 10));
    Result r =
        sh("/usr/bin/time -f 'maxrss_kb=%M' " + std::string(LEDE_BIN) + " index --db " + q(db) + " " + q(d / "src"));
    CHECK(r.exit == 3);  // the binary file; everything else indexed or reported
    CHECK(r.err.find("not_html.htm: binary file") != std::string::npos);
    auto rss_at = r.err.find("maxrss_kb=");
    REQUIRE(rss_at != std::string::npos);
    long rss_kb = std::stol(r.err.substr(rss_at + 10));
    MESSAGE("peak memory indexing the hostile files: " << rss_kb / 1024 << " MB");
    CHECK(rss_kb < 1500L * 1024);  // the 50 MB file is held twice at most; no tree for the script
    CHECK(count(db, "Kushner") == 1);
    CHECK(count(db, "Witkoff") == 1);
    CHECK(count(db, "Dmitriev") == 1);
    CHECK(count(db, "Umerov") == 1);  // the unclosed page (libxml2 stops the billion-laughs item at its entity)
    CHECK(count(db, "lol") <= 1);
    CHECK(count(db, "root") == 0);  // &xxe; is not read
}
