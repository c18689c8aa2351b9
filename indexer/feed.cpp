#include "indexer/feed.hpp"

#include "indexer/markup.hpp"

#include <algorithm>
#include <cctype>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace lede::indexer {
namespace {

using markup::attr;
using markup::name_of;
using markup::plain_text;

std::string lower(std::string_view s) {
    std::string o(s);
    std::transform(o.begin(), o.end(), o.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return o;
}

// The first child element with local name @p name: without a namespace
// prefix (else with any) when @p prefix is null, else with that prefix.
const xmlNode* child(const xmlNode* n, const char* name, const char* prefix = nullptr) {
    const xmlNode* any = nullptr;
    for (const xmlNode* c = n != nullptr ? n->children : nullptr; c != nullptr; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || name_of(c) != name) {
            continue;
        }
        std::string p = c->ns != nullptr && c->ns->prefix != nullptr
                            ? lower(reinterpret_cast<const char*>(c->ns->prefix))
                            : std::string();
        if (prefix == nullptr ? p.empty() : p == prefix) {
            return c;
        }
        if (any == nullptr) {
            any = c;
        }
    }
    return prefix == nullptr ? any : nullptr;
}

std::string child_text(const xmlNode* n, const char* name, const char* prefix = nullptr) {
    const xmlNode* c = child(n, name, prefix);
    return c != nullptr ? plain_text(c, 4096) : std::string();
}

// The href of an Atom <link> with rel @p rel ("alternate" also matches a link without rel).
std::string atom_link(const xmlNode* n, const char* rel) {
    for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
        if (name_of(c) == "link") {
            std::string r = attr(c, "rel");
            if (r == rel || (r.empty() && std::string_view(rel) == "alternate")) {
                return attr(c, "href");
            }
        }
    }
    return {};
}

// The content of an element holding escaped or CDATA HTML, as a string, and
// where each part came from in the feed.
markup::Text raw_content(const markup::Document& doc, const xmlNode* e) {
    markup::Text t;
    for (const xmlNode* c = e->children; c != nullptr; c = c->next) {
        if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) {
            continue;
        }
        std::string_view content = c->content != nullptr ? reinterpret_cast<const char*>(c->content) : "";
        const std::vector<markup::Piece>* pieces = doc.pieces(c);
        if (pieces == nullptr || pieces->empty()) {
            t.text += content;
            continue;
        }
        for (const markup::Piece& p : *pieces) {
            std::size_t b = t.text.size();
            t.text +=
                content.substr(std::min(p.content_begin, content.size()),
                               std::min(p.content_end, content.size()) - std::min(p.content_begin, content.size()));
            t.origin.add(b, t.text.size(), p.source_begin, p.source_end);
        }
    }
    return t;
}

// The body of an item from its content element: HTML (escaped or CDATA, the
// RSS way and Atom type="html"), XHTML (Atom type="xhtml": elements in the
// feed) or plain text (Atom type="text").
markup::Text body_of(const markup::Document& doc, const xmlNode* e, bool atom) {
    std::string type = atom ? lower(attr(e, "type")) : "html";
    if (type == "xhtml") {
        return markup::extract_text(doc, e, markup::Boilerplate::keep);
    }
    if (atom && (type.empty() || type == "text")) {
        return markup::extract_text(doc, e, markup::Boilerplate::keep);
    }
    markup::Text raw = raw_content(doc, e);
    ExtractedArticle frag = extract_html_fragment(raw.text);
    markup::Text t;
    if (frag.origin.identity() && !frag.text.empty()) {
        // No position recorded (text made of entity references only): the whole content.
        frag.origin.add(0, frag.text.size(), 0, raw.text.size());
    }
    if (!frag.text.empty()) {  // (an empty map composed would be the raw content's)
        t.origin = frag.origin.through(raw.origin);
    }
    t.text = std::move(frag.text);
    return t;
}

std::string short_hash(std::string_view s) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(XXH3_64bits(s.data(), s.size())));
    return buf;
}

}  // namespace

std::string feed_root(std::string_view bytes) {
    if (bytes.starts_with("\xEF\xBB\xBF")) {
        bytes.remove_prefix(3);
    }
    std::string head = lower(bytes.substr(0, 4096));
    std::size_t p = 0;
    for (int guard = 0; guard < 16; ++guard) {
        p = head.find('<', p);
        if (p == std::string::npos || p + 1 >= head.size()) {
            return {};
        }
        char c = head[p + 1];
        if (c == '?' || c == '!') {  // declaration, comment, doctype: skip
            std::size_t end = head.compare(p, 4, "<!--") == 0 ? head.find("-->", p) : head.find('>', p);
            if (end == std::string::npos) {
                return {};
            }
            p = end + 1;
            continue;
        }
        std::size_t e = p + 1;
        while (e < head.size()
               && (std::isalnum(static_cast<unsigned char>(head[e])) != 0 || head[e] == ':' || head[e] == '-')) {
            ++e;
        }
        std::string name = head.substr(p + 1, e - p - 1);
        if (auto colon = name.find(':'); colon != std::string::npos) {
            name = name.substr(colon + 1);
        }
        return name == "rss" || name == "feed" || name == "rdf" ? name : std::string();
    }
    return {};
}

bool parse_feed(std::string_view xml, Feed& out, std::string& reason) {
    markup::Document doc = markup::Document::xml(xml);
    const xmlNode* root = doc.root();
    if (root == nullptr) {
        reason = "not an RSS or Atom feed (not well-formed XML)";
        return false;
    }
    std::string rname = name_of(root);
    const bool atom = rname == "feed";
    const xmlNode* channel = nullptr;
    if (rname == "rss") {
        channel = child(root, "channel");
    } else if (atom) {
        channel = root;
    } else if (rname == "rdf") {
        channel = child(root, "channel");
    }
    if (channel == nullptr) {
        reason = "not an RSS or Atom feed (root element <" + rname + ">)";
        return false;
    }
    out.title = child_text(channel, "title");
    if (atom) {
        out.identity = child_text(channel, "id");
        if (out.identity.empty()) {
            out.identity = atom_link(channel, "alternate");
        }
        if (out.identity.empty()) {
            out.identity = atom_link(channel, "self");
        }
    } else {
        out.identity = child_text(channel, "link");
        if (out.identity.empty()) {
            out.identity = attr(channel, "about");
        }
    }
    if (out.identity.empty()) {
        out.identity = out.title;
    }
    // RSS 2.0 items are in the channel; RSS 1.0 (RDF) items beside it.
    const xmlNode* holder = rname == "rdf" ? root : channel;
    const char* item_name = atom ? "entry" : "item";
    for (const xmlNode* it = holder->children; it != nullptr; it = it->next) {
        if (name_of(it) != item_name) {
            continue;
        }
        ExtractedArticle a;
        a.title = child_text(it, "title");
        if (atom) {
            a.url = atom_link(it, "alternate");
            a.id = child_text(it, "id");
            for (const char* d : {"published", "updated", "issued", "modified"}) {
                a.date = parse_date(child_text(it, d));
                if (!a.date.empty()) {
                    break;
                }
            }
            a.author = child_text(child(it, "author"), "name");
        } else {
            a.url = child_text(it, "link");
            if (a.url.empty()) {
                a.url = attr(it, "about");
            }
            a.id = child_text(it, "guid");
            for (std::string d : {child_text(it, "pubdate"), child_text(it, "date", "dc")}) {
                a.date = parse_date(d);
                if (!a.date.empty()) {
                    break;
                }
            }
            a.author = child_text(it, "creator", "dc");
            if (a.author.empty()) {
                a.author = child_text(it, "author");
            }
        }
        if (a.id.empty()) {
            a.id = !a.url.empty() ? a.url : a.title.empty() ? std::string() : "t" + short_hash(a.title);
        }
        const xmlNode* content = atom ? child(it, "content") : child(it, "encoded", "content");
        if (content == nullptr || plain_text(content, 16).empty()) {
            content = child(it, atom ? "summary" : "description");
        }
        if (content != nullptr) {
            markup::Text t = body_of(doc, content, atom);
            a.text = std::move(t.text);
            a.origin = std::move(t.origin);
        }
        if (a.id.empty()) {
            a.id = "t" + short_hash(a.text);
        }
        a.source = out.title;
        out.items.push_back(std::move(a));
    }
    return true;
}

}  // namespace lede::indexer
