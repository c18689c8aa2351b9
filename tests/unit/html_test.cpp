// HTML pages, feeds and encodings: indexer/html, indexer/feed, indexer/encoding
// on the fixtures in tests/data/html and tests/data/feeds, and on hostile input.
#include "indexer/html.hpp"
#include "indexer/articles.hpp"
#include "indexer/encoding.hpp"
#include "indexer/feed.hpp"
#include "indexer/source.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

using namespace lede::indexer;

namespace {

std::string read(const std::string& rel) {
    std::ifstream in(std::string(LEDE_TEST_DATA) + "/" + rel, std::ios::binary);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

ExtractedArticle page(const std::string& rel) { return extract_html(decode(read(rel)).text); }

}  // namespace

TEST_CASE("html: WordPress page: metadata, the entry content, no furniture") {
    ExtractedArticle a = page("html/wordpress.html");
    CHECK(a.title == "Talks in Abu Dhabi end with a prisoner swap");
    CHECK(a.date == "2026-02-05");
    CHECK(a.source == "The Kyiv Ledger");
    CHECK(a.url == "https://kyivledger.example/2026/02/05/abu-dhabi-talks/");
    CHECK(a.author == "Olena Marchenko");
    CHECK(a.text.starts_with("Russian and Ukrainian negotiators ended"));
    // entities decoded, <br> a line break, headings their own paragraph
    CHECK(has(a.text, "Ukraine\u2019s National Security"));
    CHECK(has(a.text, "\u201csubstantive and productive,\u201d"));
    CHECK(has(a.text, "\n\nSecurity guarantees\n\n"));
    CHECK(has(a.text, "Europe,\nsatisfying"));
    CHECK(has(a.text, "settlement & a ceasefire."));
    for (const char* furniture :
         {"Skip to content", "Politics", "cookies", "Share this", "Photo:", "Related", "comment by a reader",
          "Recent Posts", "powered by", "Posted on", "Tagged", "--wp--preset", "twitter"}) {
        CHECK_MESSAGE(!has(a.text, furniture), furniture);
    }
}

TEST_CASE("html: Arc-style page without <article>: the densest block of paragraphs") {
    ExtractedArticle a = page("html/arc.html");
    CHECK(a.title == "Witkoff and Kushner to visit Moscow next week");
    CHECK(a.date == "2026-02-03");
    CHECK(a.source == "The Capital Post");
    CHECK(a.author == "Jane Doe, John Roe");  // the meta author is a URL: JSON-LD names instead
    CHECK(a.text.starts_with("Steve Witkoff and Jared Kushner will travel"));
    CHECK(has(a.text, "\"no document will be signed\""));
    CHECK(has(a.text, "according to a diplomat in Brussels"));
    for (const char* furniture : {"Advertisement", "Subscribe", "Read more", "Share this", "Comments are closed",
                                  "All rights reserved", "Fusion", "By Jane Doe"}) {
        CHECK_MESSAGE(!has(a.text, furniture), furniture);
    }
}

TEST_CASE("html: AMP page: amp-* elements left out") {
    ExtractedArticle a = page("html/amp.html");
    CHECK(a.title == "Kushner arrives in Kyiv");  // JSON-LD headline before <title>
    CHECK(a.date == "2026-01-28");
    CHECK(a.source == "Wire Daily");
    CHECK(a.url == "https://wiredaily.example/news/kushner-kyiv");
    CHECK(a.author == "Petro Kovalenko");
    CHECK(has(a.text, "Jared Kushner arrived in Kyiv"));
    CHECK(has(a.text, "frozen Russian assets"));
    CHECK(!has(a.text, "advertisement"));
    CHECK(!has(a.text, "Front page"));
    CHECK(!has(a.text, "Reproduction"));
    CHECK(!has(a.text, "animation"));
}

TEST_CASE("html: a page with JSON-LD only: its articleBody") {
    ExtractedArticle a = page("html/jsonld_only.html");
    CHECK(a.title == "Umerov says the prisoner exchange will continue");
    CHECK(a.date == "2026-02-06");
    CHECK(a.url == "https://spa-news.example/a/umerov-exchange");
    CHECK(a.source == "SPA News");
    CHECK(a.text.starts_with("Rustem Umerov said on Friday"));
    CHECK(has(a.text, "\n\nThe first group of 157"));
    CHECK(!has(a.text, "JavaScript"));
    REQUIRE(!a.origin.identity());  // mapped to the script element
    std::string html = read("html/jsonld_only.html");
    CHECK(html.substr(a.origin.begin_of(0), 10).find("{") != std::string::npos);
}

TEST_CASE("html: an old table page: the cell with the paragraphs") {
    ExtractedArticle a = page("html/no_article.html");
    CHECK(a.title == "Dmitriev on sanctions relief");
    CHECK(a.date == "2026-01-15");
    CHECK(a.author == "Staff correspondent");
    CHECK(has(a.text, "Kirill Dmitriev, the head of the Russian Direct Investment Fund"));
    CHECK(has(a.text, "depend on a ceasefire in Ukraine."));
    CHECK(!has(a.text, "Archive"));
    CHECK(!has(a.text, "Most read"));
    CHECK(!has(a.text, "Copyright"));
}

TEST_CASE("html: start/end map the passage text back into the file") {
    std::string html = read("html/wordpress.html");
    ExtractedArticle a = extract_html(html);
    std::string first = "Russian and Ukrainian negotiators ended";
    std::size_t b = a.origin.begin_of(0);
    CHECK(html.substr(b, first.size()) == first);
    std::size_t t = a.text.find("Analysts at the Quincy");
    REQUIRE(t != std::string::npos);
    std::size_t fb = a.origin.begin_of(t);
    CHECK(html.substr(fb, 22) == "Analysts at the Quincy");
    std::size_t pe = a.text.find("delegations.", t) + 12;
    std::size_t fe = a.origin.end_of(pe);
    CHECK(html.substr(fe - 12, 12) == "delegations.");
}

TEST_CASE("html: detection by content") {
    CHECK(looks_like_html("<!DOCTYPE html><html>"));
    CHECK(looks_like_html("\xEF\xBB\xBF  <HTML><head>"));
    CHECK(looks_like_html("<!-- saved from url=(0042) -->\n<html>"));
    CHECK(looks_like_html("<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\">"));
    CHECK(!looks_like_html("Witkoff met Umerov. <b>bold</b>"));
    CHECK(!looks_like_html("<rss version=\"2.0\">"));
    CHECK(!looks_like_html(""));
}

TEST_CASE("dates: RFC 3339, RFC 822 and others") {
    CHECK(parse_date("2026-02-05T09:14:03+00:00") == "2026-02-05");
    CHECK(parse_date("2026-02-03T18:02:11.512Z") == "2026-02-03");
    CHECK(parse_date("Thu, 05 Feb 2026 09:14:03 +0000") == "2026-02-05");
    CHECK(parse_date("Wed, 4 Feb 2026 22:40:00 GMT") == "2026-02-04");
    CHECK(parse_date("Tue, 03 Feb 26 07:00:00 EST") == "2026-02-03");
    CHECK(parse_date("5 February 2026") == "2026-02-05");
    CHECK(parse_date("  2026/02/05 ") == "2026-02-05");
    CHECK(parse_date("yesterday").empty());
    CHECK(parse_date("Thu, 45 Feb 2026").empty());
    CHECK(parse_date("").empty());
}

TEST_CASE("feeds: RSS 2.0 with CDATA, entities, RFC 822 dates") {
    std::string xml = read("feeds/world-2026-02-05.rss");
    CHECK(feed_root(xml) == "rss");
    Feed f;
    std::string reason;
    REQUIRE(parse_feed(xml, f, reason));
    CHECK(f.identity == "https://wiredaily.example/world/");
    CHECK(f.title == "Wire Daily \u2013 World");
    REQUIRE(f.items.size() == 3);
    const ExtractedArticle& a = f.items[0];
    CHECK(a.id == "https://wiredaily.example/?p=1001");
    CHECK(a.title == "Prisoner swap agreed in Abu Dhabi");
    CHECK(a.date == "2026-02-05");
    CHECK(a.author == "Olena Marchenko");
    CHECK(a.source == "Wire Daily \u2013 World");
    CHECK(a.url == "https://wiredaily.example/world/2026/02/05/swap/");
    CHECK(a.text.starts_with("Russian and Ukrainian negotiators agreed"));  // content:encoded, not description
    CHECK(has(a.text, "\n\nRustem Umerov called the talks \u201csubstantive and productive\u201d."));
    CHECK(!has(a.text, "alert"));
    // offsets point into the CDATA section of the file
    std::size_t b = a.origin.begin_of(0);
    CHECK(xml.substr(b, 20) == "Russian and Ukraini"
                                "a");
    const ExtractedArticle& d = f.items[1];
    CHECK(d.title == "Dmitriev & Witkoff discuss sanctions");
    CHECK(d.date == "2026-02-04");
    CHECK(d.text == "Kirill Dmitriev met Steve Witkoff in Miami to discuss sanctions relief and joint energy "
                    "projects.\n\nNo agreement was announced.");
    CHECK(f.items[2].date == "2026-02-03");
    CHECK(f.items[2].text.starts_with("Power was restored"));
}

TEST_CASE("feeds: Atom with html, xhtml and text content, RFC 3339 dates") {
    std::string xml = read("feeds/europe.atom");
    CHECK(feed_root(xml) == "feed");
    Feed f;
    std::string reason;
    REQUIRE(parse_feed(xml, f, reason));
    CHECK(f.identity == "tag:ledger.example,2026:europe");
    CHECK(f.title == "Ledger Europe");
    REQUIRE(f.items.size() == 3);
    CHECK(f.items[0].title == "Rutte in Kyiv: guarantees &quot;rock-solid&quot;");
    CHECK(f.items[0].date == "2026-02-04");  // published, as written (not UTC)
    CHECK(f.items[0].author == "Anna Berg");
    CHECK(f.items[0].url == "https://ledger.example/europe/rutte-kyiv");
    CHECK(f.items[0].text == "Dutch Prime Minister Mark Rutte was in Kyiv on Wednesday and described the security "
                             "guarantees as \u201crock-solid\u201d.\n\nHe met Zelensky for two hours.");
    CHECK(f.items[1].date == "2026-02-03");
    CHECK(f.items[1].url == "https://ledger.example/europe/macron-summit");
    CHECK(f.items[1].text == "Emmanuel Macron called for a summit of European leaders on the ceasefire monitoring "
                             "mission.\n\nThe meeting could take place in Paris before the end of the month.");
    CHECK(f.items[2].text.starts_with("Finland will send air defence"));
    std::size_t b = f.items[1].origin.begin_of(0);
    CHECK(xml.substr(b, 16) == "Emmanuel Macron ");
}

TEST_CASE("feeds: not a feed, and a billion-laughs feed stays small") {
    Feed f;
    std::string reason;
    CHECK(!parse_feed("<urlset><url>x</url></urlset>", f, reason));
    CHECK(reason == "not an RSS or Atom feed (root element <urlset>)");
    CHECK(!parse_feed("not xml at all", f, reason));
    CHECK(feed_root("<?xml version='1.0'?><!-- c --><urlset>").empty());
    CHECK(feed_root("<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='x'>") == "rdf");

    std::string xml = read("feeds/billion_laughs.xml");
    Feed lol;
    if (parse_feed(xml, lol, reason)) {
        for (const auto& it : lol.items) {
            CHECK(it.text.size() < 1000);
            CHECK(it.title.size() < 1000);
            CHECK(!has(it.text, "root:"));  // no external entity read
        }
    }
}

TEST_CASE("encoding: BOMs, declared charsets, detection, repair") {
    Decoded d = decode(read("html/cp1251.html"));
    CHECK(d.how == DecodedAs::declared);
    CHECK(d.charset == "windows-1251");
    CHECK(has(d.text, "Владимир Зеленский"));
    Decoded k = decode(read("html/koi8r.html"));
    CHECK(k.how == DecodedAs::declared);
    CHECK(has(k.text, "Владимир Зеленский"));
    Decoded t = decode(read("html/cp1251.txt"));
    CHECK(t.how == DecodedAs::detected);
    CHECK(t.charset == "windows-1251");
    CHECK(has(t.text, "Зеленский и Умеров"));

    Decoded le = decode(read("html/utf16le.txt"));
    CHECK(le.how == DecodedAs::bom);
    CHECK(le.text.starts_with("Witkoff met Umerov"));
    CHECK(le.origin.begin_of(0) == 2);
    CHECK(le.origin.begin_of(8) == 2 + 16);  // "Umerov" after "Witkoff met "
    Decoded be = decode(read("html/utf16be.txt"));
    CHECK(be.text.starts_with("Кушнер прибыл"));
    std::string no_bom = read("html/utf16le.txt").substr(2);
    CHECK(wide_unicode(no_bom));
    Decoded nb = decode(no_bom);
    CHECK(nb.text.starts_with("Witkoff met Umerov"));

    Decoded bom8 = decode(read("html/bom_front_matter.md"));
    CHECK(bom8.text.starts_with("---\ntitle:"));
    CHECK(bom8.origin.begin_of(0) == 3);

    Decoded utf8 = decode("Caf\xc3\xa9 Umerov");
    CHECK(utf8.how == DecodedAs::utf8);
    CHECK(utf8.origin.identity());
    // valid UTF-8 wins over a declared charset that lies
    Decoded lie = decode(
        "<meta charset=\"koi8-r\"><p>\xd0\x97\xd0\xb5\xd0\xbb\xd0\xb5\xd0\xbd\xd1\x81\xd0\xba\xd0\xb8\xd0\xb9</p>");
    CHECK(lie.how == DecodedAs::utf8);
    CHECK(has(lie.text, "Зеленский"));
    // an unknown charset name is ignored
    Decoded bogus = decode(
        "<meta charset=\"x-no-such-charset\"><p>Caf\xe9 \xe0 Paris, na\xefve r\xe9sum\xe9 of the talks in Gen\xe8ve</p>");
    CHECK(bogus.how != DecodedAs::declared);
    CHECK(bogus.text.find('\0') == std::string::npos);
    // undecidable: repaired byte for byte
    Decoded junk = decode(std::string("ab\xff\xfe\xfd\x80", 6), 101);
    CHECK(junk.how == DecodedAs::repaired);
    CHECK(junk.repaired == 4);
    CHECK(junk.text == "ab????");
}

TEST_CASE("encoding: declared charset prescan") {
    CHECK(declared_charset("<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss>") == "windows-1251");
    CHECK(declared_charset("<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=KOI8-R\">")
          == "koi8-r");
    CHECK(declared_charset("<meta charset='iso-8859-5'>") == "iso-8859-5");
    CHECK(declared_charset("plain text with charset=koi8-r in it").empty());
    CHECK(declared_charset("<p>no declaration</p>").empty());
}

TEST_CASE("origin maps compose and stay in bounds") {
    OriginMap inner;
    inner.add(0, 10, 100, 110);
    inner.add(12, 20, 200, 216);
    CHECK(inner.begin_of(0) == 100);
    CHECK(inner.begin_of(5) == 105);
    CHECK(inner.begin_of(10) == 200);  // in the gap: where the next run starts
    CHECK(inner.end_of(10) == 110);
    CHECK(inner.end_of(11) == 110);
    CHECK(inner.begin_of(16) == 208);  // proportional
    CHECK(inner.end_of(20) == 216);
    CHECK(inner.end_of(99) == 216);
    OriginMap outer;
    outer.add(0, 300, 3, 303);  // a UTF-8 BOM
    OriginMap both = inner.through(outer);
    CHECK(both.begin_of(0) == 103);
    CHECK(both.end_of(20) == 219);
    OriginMap id;
    CHECK(id.through(outer).begin_of(7) == 10);
    CHECK(inner.through(id).begin_of(5) == 105);
}

TEST_CASE("articles: HTML and feeds through read_articles") {
    std::vector<SourceArticle> out;
    std::vector<lede::FileError> errors;
    std::vector<lede::FileError> warnings;
    lede::JsonFields fields;
    CHECK(read_articles("/x/page.txt", read("html/wordpress.html"), lede::InputFormat::auto_detect, fields, out, errors,
                        warnings)
          == lede::InputFormat::html);  // HTML by content
    REQUIRE(out.size() == 1);
    CHECK(out[0].key == "/x/page.txt");
    CHECK(out[0].title == "Talks in Abu Dhabi end with a prisoner swap");
    out.clear();
    CHECK(read_articles("/x/a.rss", read("feeds/world-2026-02-05.rss"), lede::InputFormat::auto_detect, fields, out,
                        errors, warnings)
          == lede::InputFormat::feed);
    REQUIRE(out.size() == 3);
    CHECK(out[0].key == "https://wiredaily.example/world/#https://wiredaily.example/?p=1001");
    CHECK(out[0].source == "Wire Daily \u2013 World");
    out.clear();
    read_articles("/x/sitemap.xml", "<?xml version=\"1.0\"?><urlset/>", lede::InputFormat::auto_detect, fields, out,
                  errors, warnings);
    CHECK(out.empty());
    REQUIRE(!warnings.empty());
    CHECK(warnings.back().reason == "XML but not an RSS or Atom feed (not indexed)");
    CHECK(errors.empty());
    read_articles("/x/sitemap.xml", "<urlset/>", lede::InputFormat::feed, fields, out, errors, warnings);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].reason == "not an RSS or Atom feed (root element <urlset>)");
    // a BOM before front matter: the front matter is read
    LoadedText lt;
    std::string reason;
    REQUIRE(load_text(std::string(LEDE_TEST_DATA) + "/html/bom_front_matter.md", lt, reason));
    out.clear();
    read_articles("/x/b.md", lt.text, lede::InputFormat::auto_detect, fields, out, errors, warnings, lt.origin);
    REQUIRE(out.size() == 1);
    CHECK(out[0].title == "Envoys in Moscow");
    CHECK(out[0].date == "2026-02-03");
    CHECK(out[0].origin.begin_of(out[0].body_begin) == out[0].body_begin + 3);
}

TEST_CASE("hostile HTML: unclosed tags, deep nesting, a huge script, a lying charset") {
    std::string unclosed = "<html><body><article><p>Umerov spoke <b>first <i>then <div><p>Dmitriev<table><tr><td>x";
    ExtractedArticle u = extract_html(unclosed);
    CHECK(has(u.text, "Umerov spoke first then"));
    CHECK(has(u.text, "Dmitriev"));

    // libxml2 stops building the tree at 256 levels (its limit without
    // XML_PARSE_HUGE): what is above is kept, the walk needs no recursion.
    std::string deep = "<html><body><p>Witkoff before ten thousand divs.</p>";
    for (int i = 0; i < 10000; ++i) {
        deep += "<div>";
    }
    deep += "<p>Lost at the bottom.</p>";
    ExtractedArticle d = extract_html(deep);
    CHECK(has(d.text, "Witkoff"));
    std::string shallow = "<html><body>";
    for (int i = 0; i < 200; ++i) {
        shallow += "<div>";
    }
    shallow += "<p>Found at level 200.</p>";
    CHECK(extract_html(shallow).text == "Found at level 200.");

    std::string big = "<html><head><script>var x = \"";
    big.append(50U << 20, 'a');
    big += "\";</script></head><body><article><p>Kushner after the script.</p></article></body></html>";
    ExtractedArticle s = extract_html(big);
    CHECK(s.text == "Kushner after the script.");
    std::size_t b = s.origin.begin_of(0);
    CHECK(big.substr(b, 7) == "Kushner");

    Decoded lie = decode(read("html/lying_charset.html"));
    CHECK(lie.how == DecodedAs::declared);  // believed: KOI8-R bytes read as windows-1251
    ExtractedArticle l = extract_html(lie.text);
    CHECK(!l.text.empty());
}

TEST_CASE("feeds and pages: raw UTF-8 stays UTF-8 (not read as Latin-1)") {
    Feed f;
    std::string reason;
    REQUIRE(
        parse_feed("<rss><channel><title>Новини — світ</title><link>x</link><item><guid>1</guid>"
                   "<title>Зеленський’s</title><description>&lt;p&gt;Зеленський у Києві&lt;/p&gt;</description>"
                   "</item></channel></rss>",
                   f, reason));
    CHECK(f.title == "Новини — світ");
    REQUIRE(f.items.size() == 1);
    CHECK(f.items[0].title == "Зеленський’s");
    CHECK(f.items[0].text == "Зеленський у Києві");
    CHECK(extract_html("<p>Kyiv’s talks</p>").text == "Kyiv’s talks");
    CHECK(extract_html("<html><head><meta charset=\"windows-1251\"></head><body><p>Kyiv’s talks</p>").text
          == "Kyiv’s talks");  // the declaration was handled by decode(): ignored here
}
