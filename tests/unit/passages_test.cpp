#include "indexer/passages.hpp"
#include "index/record.hpp"
#include "indexer/reader.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

// Issue 14: files larger than a piece are read piece by piece (indexer/reader.hpp).
// Property, over generated texts and piece sizes: the pieces are the text
// (offsets and line counts add up), each ends at a paragraph boundary when
// the piece holds one, and segmenting the pieces gives exactly the passages
// of segmenting the whole text.
TEST_CASE("reader: streamed pieces segment exactly as the whole text") {
    lede::analysis::SentenceSplitter s;
    const std::vector<std::string> sentences = {"Russia and the US agreed to talk.",
                                                "Moscow suspended dialogue in 2022, officials said.",
                                                "Mr. Witkoff met Putin in the Kremlin on Tuesday.",
                                                "CMSC",
                                                "The talks in Abu Dhabi were constructive.",
                                                "Зеленський заявив, що переговори були конструктивними.",
                                                "泽连斯基总统在阿布扎比举行会谈。"};
    std::uint32_t seed = 12345;
    auto rnd = [&](std::uint32_t n) {
        seed = seed * 1664525U + 1013904223U;
        return (seed >> 8) % n;
    };
    for (int round = 0; round < 60; ++round) {
        const std::size_t piece = 600 + rnd(4000);
        std::string text;
        while (text.size() < 40000) {
            std::string para;
            const std::uint32_t n = 1 + rnd(6);
            for (std::uint32_t k = 0; k < n && para.size() + 100 < piece / 2; ++k) {
                para += sentences[rnd(static_cast<std::uint32_t>(sentences.size()))];
                para += rnd(4) == 0 ? "\n" : " ";
            }
            text += para + (rnd(3) == 0 ? "\n \t\n" : "\n\n");
        }
        CAPTURE(piece);
        std::istringstream in(text);
        PieceReader reader(in, {}, Cut::paragraph, piece);
        std::string got;
        std::string pt;
        std::size_t offset = 0;
        std::size_t lines = 0;
        std::vector<PassageSpan> streamed;
        while (reader.next(pt, offset, lines)) {
            CHECK(offset == got.size());
            CHECK(lines == static_cast<std::size_t>(std::count(got.begin(), got.end(), '\n')));
            CHECK(pt.size() <= piece);
            for (const PassageSpan& p : segment(pt, s).passages) {
                streamed.push_back({p.begin + offset, p.end + offset});
            }
            got += pt;
        }
        REQUIRE(got == text);
        std::vector<PassageSpan> whole = segment(text, s).passages;
        REQUIRE(streamed.size() == whole.size());
        for (std::size_t i = 0; i < whole.size(); ++i) {
            CHECK(streamed[i].begin == whole[i].begin);
            CHECK(streamed[i].end == whole[i].end);
        }
    }
}

TEST_CASE("reader: a long line is cut at a sentence end, a space or a character boundary") {
    std::string line;
    while (line.size() < 10000) {
        line += "Witkoff met Putin. ";
    }
    std::size_t c = cut_point(line.substr(0, 5000), Cut::paragraph);
    CHECK(line.substr(c - 2, 2) == ". ");
    std::string words(5000, 'a');
    words[3000] = ' ';
    CHECK(cut_point(words, Cut::paragraph) == 3001);
    std::string cjk;
    while (cjk.size() < 5000) {
        cjk += "泽连斯基";
    }
    std::size_t k = cut_point(cjk.substr(0, 4999), Cut::paragraph);
    CHECK(k % 3 == 0);
    CHECK(k > 0);
    CHECK(cut_point("{\"a\":1}\n{\"b\"", Cut::line) == 8);
    CHECK(cut_point("{\"b\"", Cut::line) == 0);
    CHECK(utf8_head("\xEF\xBB\xBFplain text, then a cut \xE6\xB3"));
    CHECK_FALSE(utf8_head("Latin-1 caf\xE9 au lait"));
}

// JSON Lines read in pieces: every line whole, line numbers kept, and a
// line longer than the limit skipped (reported by number), never held.
TEST_CASE("reader: JSON lines in pieces, over-long lines skipped by number") {
    std::string text;
    std::vector<std::size_t> long_lines;
    for (std::size_t i = 1; i <= 300; ++i) {
        std::size_t len = i % 37 == 0 ? 5000 + i : 10 + (i * 7919) % 900;
        if (len > 3000) {
            long_lines.push_back(i);
        }
        text += "{\"id\":\"" + std::to_string(i) + "\",\"text\":\"" + std::string(len, 'x') + "\"}";
        text += i == 300 ? "" : "\n";
    }
    std::istringstream in(text);
    PieceReader reader(in, {}, Cut::line, 1024, 3000);
    std::string pt;
    std::size_t offset = 0;
    std::size_t lines = 0;
    std::size_t seen = 0;
    std::vector<std::size_t> skipped;
    while (reader.next(pt, offset, lines)) {
        for (std::size_t l : reader.take_skipped()) {
            skipped.push_back(l);
        }
        CHECK(text.compare(offset, pt.size(), pt) == 0);
        std::size_t pos = 0;
        for (std::size_t ln = lines + 1; pos < pt.size(); ++ln) {
            std::size_t nl = pt.find('\n', pos);
            std::string line = pt.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
            CHECK(line.starts_with("{\"id\":\"" + std::to_string(ln) + "\""));
            ++seen;
            pos = nl == std::string::npos ? pt.size() : nl + 1;
        }
    }
    for (std::size_t l : reader.take_skipped()) {
        skipped.push_back(l);
    }
    CHECK(skipped == long_lines);
    CHECK(seen + skipped.size() == 300);
}

TEST_CASE("read_some: reads up to n bytes, appends, and stops at the end of input") {
    // It grows its buffer in steps (64 KiB, then doubling), so sizes around
    // the steps are where a slip would show.
    for (std::size_t size : {std::size_t{0}, std::size_t{5}, std::size_t{65535}, std::size_t{65536}, std::size_t{65537},
                             std::size_t{200000}, std::size_t{1} << 20}) {
        std::string text(size, '\0');
        for (std::size_t i = 0; i < size; ++i) {
            text[i] = static_cast<char>('a' + i % 23);
        }
        for (std::size_t n : {size, size + 1, size / 2, std::size_t{8} << 20}) {
            CAPTURE(size);
            CAPTURE(n);
            std::istringstream in(text);
            std::string out = "head:";
            REQUIRE(read_some(in, out, n));
            const std::size_t want = std::min(n, size);
            CHECK(out.size() == 5 + want);
            CHECK(out.compare(5, std::string::npos, text, 0, want) == 0);
            std::string rest;
            REQUIRE(read_some(in, rest, std::size_t{8} << 20));
            CHECK(rest == text.substr(want));
        }
    }
}
