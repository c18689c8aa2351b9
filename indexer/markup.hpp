// libxml2 underneath the HTML and feed readers: parsing UTF-8 markup into a
// tree that remembers where each text node came from, and turning a subtree
// into paragraphs of text (block elements and <br> become breaks, navigation,
// scripts, forms, share bars and comment threads left out).
//
// Safety: HTML is parsed with HTML_PARSE_RECOVER|NOERROR|NOWARNING|NONET,
// XML with XML_PARSE_NONET|RECOVER and neither XML_PARSE_NOENT (no entity
// substitution: a billion-laughs feed stays small) nor XML_PARSE_HUGE
// (libxml2's depth and size limits hold) nor DTD loading. The charset a
// document declares is ignored (IGNORE_ENC): input is UTF-8 already
// (indexer/encoding.hpp). Script and style contents are dropped while
// parsing (JSON-LD kept, up to 1 MB), so a huge inline script costs no tree.
#pragma once

#include "indexer/encoding.hpp"

#include <libxml/tree.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lede::indexer::markup {

/// A stretch of a text node's content and the bytes of the input it came from.
struct Piece {
    std::size_t content_begin;
    std::size_t content_end;
    std::size_t source_begin;
    std::size_t source_end;
};

class Document {
public:
    /// Parse an HTML page or fragment (never fails: libxml2 recovers).
    static Document html(std::string_view utf8);
    /// Parse an XML document; a document without a root element is empty.
    static Document xml(std::string_view utf8);

    [[nodiscard]] xmlNode* root() const { return doc_ ? xmlDocGetRootElement(doc_.get()) : nullptr; }
    /// Where a text or CDATA node's content came from (nullptr: unknown).
    [[nodiscard]] const std::vector<Piece>* pieces(const xmlNode* n) const;

private:
    struct DocFree {
        void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
    };
    std::unique_ptr<xmlDoc, DocFree> doc_;
    std::unordered_map<const xmlNode*, std::vector<Piece>> pieces_;
    friend struct ParseState;
};

/// Lower-case local name of an element ("" for other nodes).
std::string name_of(const xmlNode* n);
/// An attribute's value ("" when absent).
std::string attr(const xmlNode* n, const char* name);
/// The node's text (text and CDATA descendants, HTML entity references
/// resolved, other entity references ignored), spaces collapsed, trimmed,
/// at most @p max bytes.
std::string plain_text(const xmlNode* n, std::size_t max = 1U << 20);
/// The next node in document order below @p top (pre-order walk without
/// recursion); @p skip_children skips n's subtree.
const xmlNode* next_in(const xmlNode* n, const xmlNode* top, bool skip_children = false);

/// Text as paragraphs with an origin map (text → input offsets).
struct Text {
    std::string text;
    OriginMap origin;
};

/// What extract_text leaves out.
enum class Boilerplate {
    drop,  ///< navigation, headers, footers, asides, forms, share bars, comments (page bodies)
    keep,  ///< only scripts, styles and the like (feed content, JSON-LD-less fallbacks)
};

/// Whether an element is left out of article text under @p mode.
bool left_out(const xmlNode* n, Boilerplate mode);
/// Paragraphs of the subtree at @p top: block elements separate paragraphs
/// (a blank line), <br> breaks a line, <pre> keeps its spaces.
Text extract_text(const Document& doc, const xmlNode* top, Boilerplate mode);

}  // namespace lede::indexer::markup
