#include "indexer/passages.hpp"
#include "index/record.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace lede::indexer;
using namespace lede::index;

TEST_CASE("passages: one line, one paragraph, wire codes left out") {
    lede::analysis::SentenceSplitter s;
    std::string text =
        "A\nCMSC\nRussia and the US agreed to talk.\n\nMoscow suspended dialogue in 2022.\n"
        "burs-asy/oc/jc/yad\nS.Jordan--TFWP";
    Segmentation seg = segment(text, s);
    REQUIRE(seg.passages.size() == 2);
    CHECK(text.substr(seg.passages[0].begin, seg.passages[0].end - seg.passages[0].begin)
          == "Russia and the US agreed to talk.");
    CHECK(seg.non_prose == 4);
}

TEST_CASE("passages: non-prose detection") {
    CHECK(is_non_prose("-0.0600"));
    CHECK(is_non_prose("CMSC"));
    CHECK(is_non_prose("S.Jordan--TFWP"));
    CHECK_FALSE(is_non_prose("Peace talks"));
    CHECK_FALSE(is_non_prose("# Title"));
    // Issue 14: scripts written without spaces are prose when ICU finds words in them.
    CHECK_FALSE(is_non_prose("泽连斯基总统在阿布扎比举行会谈。"));
    CHECK_FALSE(is_non_prose("ゼレンスキー大統領はアブダビで会談した。"));
    CHECK_FALSE(is_non_prose("การเจรจาสันติภาพที่อาบูดาบี"));
    CHECK_FALSE(is_non_prose("평화 회담"));
    CHECK(is_non_prose("—— 12:30 ——"));
    CHECK(is_non_prose("«»"));
}

TEST_CASE("passages: hard-wrapped blocks are one paragraph") {
    lede::analysis::SentenceSplitter s;
    std::string text =
        "This is a paragraph that has been wrapped at a typical\n"
        "width of about sixty characters, like e-mail and\nMarkdown.\n\nNext one.";
    Segmentation seg = segment(text, s);
    REQUIRE(seg.passages.size() == 2);
    CHECK(seg.passages[0].begin == 0);
    CHECK(text.substr(seg.passages[0].end - 9, 9) == "Markdown.");
}

TEST_CASE("passages: a long single line becomes sentence windows under the hard limit") {
    lede::analysis::SentenceSplitter s;
    std::ifstream in(std::string(LEDE_TEST_DATA) + "/sotu/1862_abraham_lincoln_r.txt", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    REQUIRE(text.size() > 20000);
    Segmentation seg = segment(text, s);
    CHECK(seg.passages.size() > 30);
    std::size_t prev_end = 0;
    for (const auto& p : seg.passages) {
        CHECK(p.end - p.begin <= 1500);
        CHECK(p.begin >= prev_end);  // in order, not overlapping
        prev_end = p.end;
    }
}

TEST_CASE("passages: a sentence with no spaces is cut at character boundaries") {
    lede::analysis::SentenceSplitter s;
    std::string text;
    for (int i = 0; i < 2000; ++i) {
        text += "é";
    }
    Segmentation seg = segment(text, s);
    REQUIRE(!seg.passages.empty());
    for (const auto& p : seg.passages) {
        CHECK(p.end - p.begin <= 1500);
        CHECK((static_cast<unsigned char>(text[p.begin]) & 0xC0) != 0x80);
    }
}

TEST_CASE("record: encode/decode round trip") {
    PassageRecord r{"/a/b c.txt",   1,       10,           20,   "text with\nnewline and 12:34",
                    "/a/b c.txt#7", "Title", "2026-02-05", "AP", ""};
    auto d = decode(encode(r));
    REQUIRE(d.has_value());
    CHECK(d->path == r.path);
    CHECK(d->passage == 1);
    CHECK(d->start == 10);
    CHECK(d->end == 20);
    CHECK(d->text == r.text);
    CHECK(d->article == r.article);
    CHECK(d->title == "Title");
    CHECK(d->date == "2026-02-05");
    CHECK(d->source == "AP");
    CHECK(d->url.empty());
    // A later passage names its article; the first passage completes it.
    PassageRecord later{"/a/b c.txt", 4, 20, 30, "more", "/a/b c.txt#7", "Title", "2026-02-05", "AP", ""};
    auto l = decode(encode(later));
    REQUIRE(l.has_value());
    CHECK(needs_article(*l));
    CHECK(l->article == article_ref("/a/b c.txt#7"));
    CHECK(encode(later).size() < encode(r).size());
    PassageRecord first{"/a/b c.txt", 1, 0, 10, "first", "/a/b c.txt#7", "Title", "2026-02-05", "AP", ""};
    auto f = decode(encode(first));
    REQUIRE(f.has_value());
    CHECK_FALSE(needs_article(*f));
    with_article(*l, *f);
    CHECK(l->path == later.path);
    CHECK(l->article == later.article);
    CHECK(l->date == "2026-02-05");
    CHECK(l->text == "more");
    CHECK_FALSE(decode("garbage").has_value());
    CHECK_FALSE(decode("5:ab").has_value());
}
