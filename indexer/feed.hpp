// RSS 2.0 (and RSS 1.0/RDF) and Atom feeds: every item or entry is an
// article — title, pubDate/published/updated, link, author, the channel's
// title as source, content:encoded / content (else description / summary)
// as body, its HTML read as a fragment (indexer/html.hpp).
//
// Items are keyed by the feed's identity and the item's id, so that a feed
// fetched again, under the same file name or a new snapshot name, updates
// its items in place: the identity is the channel's <link> (RSS) or the
// feed's <id> (Atom), else its alternate/self link, else its title; the
// item's id is its <guid> (RSS) or <id> (Atom), else its link, else its title.
#pragma once

#include "indexer/html.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace lede::indexer {

struct Feed {
    std::string identity;  ///< "" when the feed names none (the caller uses the file)
    std::string title;
    std::vector<ExtractedArticle> items;  ///< origins: offsets in the feed given
};

/// The root element when @p bytes look like a feed ("rss", "feed", "rdf"),
/// else "": a prescan of the first 4 KB past declarations, comments and the
/// doctype.
std::string feed_root(std::string_view bytes);

/// Read a feed (UTF-8). False, with @p reason, when it is not one.
bool parse_feed(std::string_view xml, Feed& out, std::string& reason);

}  // namespace lede::indexer
