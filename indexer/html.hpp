// HTML articles: a news page as a newsroom's CMS saves it → one article with
// title, date, source, url and author, and its body text as paragraphs.
//
//   title   og:title, JSON-LD headline, <title>, the first <h1>
//   date    article:published_time, JSON-LD datePublished, common meta
//           names (date, pubdate, dc.date, parsely-pub-date, ...), <time datetime>
//   source  og:site_name, JSON-LD publisher.name, application-name
//   url     <link rel=canonical>, og:url, JSON-LD url
//   author  meta author / article:author, JSON-LD author.name, rel=author
//   body    itemprop=articleBody, else <article>, else <main>, else the
//           element holding the most paragraph text (the densest block of
//           <p>); navigation, headers, footers, asides, scripts, styles,
//           forms, share bars and comment threads left out; JSON-LD
//           articleBody when the markup holds no text.
#pragma once

#include "indexer/encoding.hpp"

#include <string>
#include <string_view>

namespace lede::indexer {

/// An article read from markup (a page, or an item of a feed).
struct ExtractedArticle {
    std::string id;  ///< feed items: the guid/id (or link); pages: ""
    std::string title;
    std::string date;  ///< YYYY-MM-DD or ""
    std::string source;
    std::string url;
    std::string author;
    std::string text;  ///< paragraphs separated by blank lines
    OriginMap origin;  ///< text offsets → offsets in the markup given
};

/// Whether @p bytes read as an HTML document: after spaces (and a UTF-8
/// byte-order mark), "<!doctype html", "<html", or a comment or XML
/// declaration followed by one of them.
bool looks_like_html(std::string_view bytes);

/// Read the article of an HTML page (UTF-8).
ExtractedArticle extract_html(std::string_view html);

/// Paragraphs of an HTML fragment (a feed item's content): all of it but
/// scripts, styles, share bars and the like.
ExtractedArticle extract_html_fragment(std::string_view html);

/// Dates as news pages and feeds write them → YYYY-MM-DD ("" when not a
/// date): ISO 8601 / RFC 3339 ("2026-02-05T10:00:00+02:00") and RFC 822
/// ("Thu, 05 Feb 2026 10:00:00 GMT", "5 Feb 2026"). The calendar date as
/// written (the publisher's local date), not converted to UTC.
std::string parse_date(std::string_view s);

}  // namespace lede::indexer
