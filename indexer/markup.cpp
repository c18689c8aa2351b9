#include "indexer/markup.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <mutex>

namespace lede::indexer::markup {

// The SAX callbacks wrap libxml2's tree builders and note, for each text
// chunk, the input bytes it was parsed from: between the previous event's
// end and this one's (xmlByteConsumed; the input is UTF-8, no converter).
struct ParseState {
    Document* doc = nullptr;
    std::string_view input;
    bool html = false;
    std::size_t last_pos = 0;
    const xmlNode* last_node = nullptr;
    std::size_t last_len = 0;
    std::size_t script_kept = 0;

    static thread_local ParseState* current;

    static std::size_t pos(void* ctx) {
        long p = xmlByteConsumed(static_cast<xmlParserCtxtPtr>(ctx));
        return p < 0 ? 0 : static_cast<std::size_t>(p);
    }
    // After a tag: libxml2 reports the element before consuming its '>'.
    void mark(void* ctx) {
        std::size_t p = pos(ctx);
        if (p < input.size() && input[p] == '>') {
            ++p;
        }
        last_pos = std::max(last_pos, p);
    }

    // Text under <script> (other than JSON-LD) and <style> is not kept.
    bool drop_text(void* ctx, int len) {
        if (!html) {
            return false;
        }
        auto* c = static_cast<xmlParserCtxtPtr>(ctx);
        const xmlNode* n = c->node;
        if (n == nullptr || n->name == nullptr) {
            return false;
        }
        const char* name = reinterpret_cast<const char*>(n->name);
        if (std::strcmp(name, "style") == 0) {
            return true;
        }
        if (std::strcmp(name, "script") == 0) {
            std::string type = attr(n, "type");
            if (type.find("json") == std::string::npos || script_kept + static_cast<std::size_t>(len) > (1U << 20)) {
                return true;
            }
            script_kept += static_cast<std::size_t>(len);
        }
        return false;
    }

    void text(void* ctx, int len, std::size_t before, std::size_t now, std::size_t open, std::size_t close) {
        auto* c = static_cast<xmlParserCtxtPtr>(ctx);
        xmlNode* n = c->node != nullptr ? c->node->last : nullptr;
        if (n == nullptr || (n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE)) {
            return;
        }
        std::size_t off = n == last_node ? last_len : 0;
        auto l = static_cast<std::size_t>(len);
        std::size_t sb = std::min(before + open, now);
        std::size_t se = std::max(sb, now >= close ? now - close : now);
        doc->pieces_[n].push_back({off, off + l, sb, se});
        last_node = n;
        last_len = off + l;
    }

    static void start_html(void* ctx, const xmlChar* name, const xmlChar** atts) {
        xmlSAX2StartElement(ctx, name, atts);
        current->mark(ctx);
    }
    static void end_html(void* ctx, const xmlChar* name) {
        xmlSAX2EndElement(ctx, name);
        current->mark(ctx);
    }
    static void start_xml(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri,
                          int nb_namespaces, const xmlChar** namespaces, int nb_attributes, int nb_defaulted,
                          const xmlChar** attributes) {
        xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes, nb_defaulted,
                              attributes);
        current->mark(ctx);
    }
    static void end_xml(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar* uri) {
        xmlSAX2EndElementNs(ctx, localname, prefix, uri);
        current->mark(ctx);
    }
    static void characters(void* ctx, const xmlChar* ch, int len) {
        ParseState& s = *current;
        std::size_t before = s.last_pos;
        std::size_t now = pos(ctx);
        if (!s.drop_text(ctx, len)) {
            xmlSAX2Characters(ctx, ch, len);
            s.text(ctx, len, before, now, 0, 0);
        }
        s.last_pos = std::max(s.last_pos, now);
    }
    static void cdata(void* ctx, const xmlChar* ch, int len) {
        ParseState& s = *current;
        std::size_t before = s.last_pos;
        std::size_t now = pos(ctx);
        if (!s.drop_text(ctx, len)) {
            xmlSAX2CDataBlock(ctx, ch, len);
            // XML: the block spans "<![CDATA[" ... "]]>"; HTML script text has no markers.
            s.text(ctx, len, before, now, s.html ? 0 : 9, s.html ? 0 : 3);
        }
        s.last_pos = std::max(s.last_pos, now);
    }
    static void comment(void* ctx, const xmlChar* value) {
        xmlSAX2Comment(ctx, value);
        current->mark(ctx);
    }
    static void pi(void* ctx, const xmlChar* target, const xmlChar* data) {
        xmlSAX2ProcessingInstruction(ctx, target, data);
        current->mark(ctx);
    }
};

thread_local ParseState* ParseState::current = nullptr;

namespace {

// libxml2's global state (mutexes, dictionaries' random seed) is set up once
// before the first parse; the static library (the lede command) has no
// constructor doing it, and two workers racing through it deadlock.
void init_libxml2() {
    static std::once_flag once;
    std::call_once(once, [] { xmlInitParser(); });
}

struct CtxtFree {
    void operator()(xmlParserCtxt* c) const {
        if (c->html != 0) {
            htmlFreeParserCtxt(c);
        } else {
            xmlFreeParserCtxt(c);
        }
    }
};

int len_of(std::string_view s) {
    // libxml2 takes int sizes; larger input is cut (files that size are refused earlier).
    return static_cast<int>(std::min<std::size_t>(s.size(), 0x7fffffff));
}

}  // namespace

Document Document::html(std::string_view utf8) {
    init_libxml2();
    Document d;
    std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(htmlCreateMemoryParserCtxt(utf8.data(), len_of(utf8)));
    if (!ctxt) {
        return d;
    }
    ParseState st;
    st.doc = &d;
    st.input = utf8;
    st.html = true;
    ParseState::current = &st;
    xmlSAXHandler* sax = ctxt->sax;
    sax->startElement = ParseState::start_html;
    sax->endElement = ParseState::end_html;
    sax->characters = ParseState::characters;
    sax->cdataBlock = ParseState::cdata;
    sax->comment = ParseState::comment;
    sax->processingInstruction = ParseState::pi;
    const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET
                     | HTML_PARSE_IGNORE_ENC | HTML_PARSE_NOBLANKS;
    htmlCtxtUseOptions(ctxt.get(), opts);
    // The input is UTF-8: without this, libxml2 takes non-ASCII bytes for
    // ISO-8859-1 (no converter is set up either way, so positions stay bytes).
    ctxt->charset = XML_CHAR_ENCODING_UTF8;
    htmlParseDocument(ctxt.get());
    d.doc_.reset(ctxt->myDoc);
    ctxt->myDoc = nullptr;
    ParseState::current = nullptr;
    return d;
}

Document Document::xml(std::string_view utf8) {
    init_libxml2();
    Document d;
    std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(xmlNewParserCtxt());
    if (!ctxt) {
        return d;
    }
    ParseState st;
    st.doc = &d;
    st.input = utf8;
    ParseState::current = &st;
    xmlSAXHandler* sax = ctxt->sax;
    sax->startElementNs = ParseState::start_xml;
    sax->endElementNs = ParseState::end_xml;
    sax->characters = ParseState::characters;
    sax->cdataBlock = ParseState::cdata;
    sax->comment = ParseState::comment;
    sax->processingInstruction = ParseState::pi;
    // No XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE (see the header).
    const int opts =
        XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC;
    d.doc_.reset(xmlCtxtReadMemory(ctxt.get(), utf8.data(), len_of(utf8), nullptr, nullptr, opts));
    ParseState::current = nullptr;
    return d;
}

const std::vector<Piece>* Document::pieces(const xmlNode* n) const {
    auto it = pieces_.find(n);
    return it == pieces_.end() ? nullptr : &it->second;
}

std::string name_of(const xmlNode* n) {
    if (n == nullptr || n->type != XML_ELEMENT_NODE || n->name == nullptr) {
        return {};
    }
    std::string s(reinterpret_cast<const char*>(n->name));
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string attr(const xmlNode* n, const char* name) {
    if (n == nullptr || n->type != XML_ELEMENT_NODE) {
        return {};
    }
    for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
        if (a->name != nullptr && xmlStrcasecmp(a->name, reinterpret_cast<const xmlChar*>(name)) == 0) {
            std::string v;
            for (const xmlNode* c = a->children; c != nullptr; c = c->next) {
                if (c->type == XML_TEXT_NODE && c->content != nullptr) {
                    v += reinterpret_cast<const char*>(c->content);
                }
            }
            return v;
        }
    }
    return {};
}

const xmlNode* next_in(const xmlNode* n, const xmlNode* top, bool skip_children) {
    if (!skip_children && n->type == XML_ELEMENT_NODE && n->children != nullptr) {
        return n->children;
    }
    while (n != nullptr && n != top) {
        if (n->next != nullptr) {
            return n->next;
        }
        n = n->parent;
    }
    return nullptr;
}

namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// The value of an HTML entity reference left in an XML tree (&nbsp; in a
// feed without DTD), as UTF-8; "" for other entities (never expanded).
std::string html_entity(const xmlNode* n) {
    if (n->name == nullptr) {
        return {};
    }
    const htmlEntityDesc* e = htmlEntityLookup(n->name);
    if (e == nullptr) {
        return {};
    }
    xmlChar buf[8] = {};
    int len = xmlCopyCharMultiByte(buf, static_cast<int>(e->value));
    return std::string(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(std::max(0, len)));
}

const char* content_of(const xmlNode* n) {
    return n->content != nullptr ? reinterpret_cast<const char*>(n->content) : "";
}

}  // namespace

std::string plain_text(const xmlNode* top, std::size_t max) {
    std::string out;
    bool space = false;
    auto put = [&](std::string_view s) {
        for (char ch : s) {
            if (is_space(static_cast<unsigned char>(ch))) {
                space = !out.empty();
            } else if (out.size() < max) {
                if (space) {
                    out += ' ';
                    space = false;
                }
                out += ch;
            }
        }
    };
    for (const xmlNode* n = top; n != nullptr && out.size() < max; n = next_in(n, top)) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            put(content_of(n));
        } else if (n->type == XML_ENTITY_REF_NODE) {
            put(html_entity(n));
        }
        if (n == top && n->type != XML_ELEMENT_NODE) {
            break;
        }
    }
    if (out.size() >= max) {
        // Cut back to a character boundary: drop a last character cut in two.
        std::size_t lead = out.size();
        while (lead > 0 && out.size() - lead < 4 && (static_cast<unsigned char>(out[lead - 1]) & 0xC0) == 0x80) {
            --lead;
        }
        if (lead > 0) {
            auto c = static_cast<unsigned char>(out[lead - 1]);
            std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (out.size() - (lead - 1) < need) {
                out.resize(lead - 1);
            }
        }
    }
    return out;
}

namespace {

bool in_list(const std::string& s, std::initializer_list<const char*> list) {
    return std::any_of(list.begin(), list.end(), [&](const char* x) { return s == x; });
}

bool is_block(const std::string& name) {
    return in_list(
        name, {"p",    "div",  "section", "article",    "main",    "h1",    "h2",      "h3",         "h4",    "h5",
               "h6",   "li",   "ul",      "ol",         "dl",      "dt",    "dd",      "blockquote", "pre",   "table",
               "tr",   "td",   "th",      "figcaption", "address", "hr",    "header",  "footer",     "aside", "center",
               "body", "html", "summary", "details",    "caption", "entry", "content", "summary"});
}

// Words in class and id values that mark page furniture rather than the story.
bool boilerplate_word(std::string_view w) {
    static constexpr std::array<std::string_view, 46> words{
        "share",   "sharing",     "sharebar",     "social",    "comment",    "comments",      "disqus",
        "related", "recommended", "newsletter",   "promo",     "advert",     "advertisement", "ad",
        "ads",     "adslot",      "sponsor",      "sponsored", "cookie",     "cookies",       "consent",
        "gdpr",    "subscribe",   "subscription", "signup",    "breadcrumb", "breadcrumbs",   "sidebar",
        "nav",     "navbar",      "navigation",   "menu",      "footer",     "masthead",      "toolbar",
        "popup",   "modal",       "outbrain",     "taboola",   "tags",       "byline",        "paywall",
        "banner",  "widget",      "interstitial", "sharedaddy"};
    return std::find(words.begin(), words.end(), w) != words.end();
}

bool boilerplate_attr(const std::string& v) {
    std::string w;
    for (std::size_t i = 0; i <= v.size(); ++i) {
        unsigned char c = i < v.size() ? static_cast<unsigned char>(v[i]) : ' ';
        if (std::isalnum(c) != 0) {
            w += static_cast<char>(std::tolower(c));
        } else if (!w.empty()) {
            if (boilerplate_word(w)) {
                return true;
            }
            w.clear();
        }
    }
    return false;
}

}  // namespace

bool left_out(const xmlNode* n, Boilerplate mode) {
    std::string name = name_of(n);
    if (in_list(name, {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
                       "button", "input", "select", "textarea", "option", "head", "title", "meta", "link"})) {
        return true;
    }
    if (mode == Boilerplate::keep) {
        return false;
    }
    if (name.starts_with("amp-")
        || in_list(name, {"nav", "aside", "footer", "header", "form", "figure", "dialog", "menu", "label"})) {
        return true;
    }
    std::string role = attr(n, "role");
    if (in_list(role, {"navigation", "banner", "contentinfo", "complementary", "dialog", "alert", "search"})) {
        return true;
    }
    if (attr(n, "aria-hidden") == "true" || xmlHasProp(n, reinterpret_cast<const xmlChar*>("hidden")) != nullptr) {
        return true;
    }
    return boilerplate_attr(attr(n, "class")) || boilerplate_attr(attr(n, "id"));
}

namespace {

class Writer {
public:
    explicit Writer(Text& t) : t_(t) {}

    void block() { brk_ = 2; }
    void line() { brk_ = std::max(brk_, 1); }

    // Append [cb, ce) of a node's content, mapped to [sb, se) of the input.
    void append(std::string_view content, std::size_t cb, std::size_t ce, bool pre, bool mapped, std::size_t sb,
                std::size_t se) {
        std::size_t out_begin = std::string::npos;
        for (std::size_t i = cb; i < ce && i < content.size(); ++i) {
            auto c = static_cast<unsigned char>(content[i]);
            if (is_space(c) && !(pre && c == '\n')) {
                space_ = true;
                continue;
            }
            if (c == '\n') {  // in <pre>
                brk_ = std::max(brk_, 1);
                continue;
            }
            flush();
            if (out_begin == std::string::npos) {
                out_begin = t_.text.size();
            }
            t_.text += static_cast<char>(c);
        }
        if (mapped && out_begin != std::string::npos) {
            t_.origin.add(out_begin, t_.text.size(), sb, se);
        }
    }

    void text(const Document& doc, const xmlNode* n, bool pre) {
        std::string_view content = content_of(n);
        const std::vector<Piece>* pieces = doc.pieces(n);
        if (pieces == nullptr || pieces->empty()) {
            append(content, 0, content.size(), pre, false, 0, 0);
            return;
        }
        for (const Piece& p : *pieces) {
            append(content, p.content_begin, p.content_end, pre, true, p.source_begin, p.source_end);
        }
    }

    void literal(std::string_view s) { append(s, 0, s.size(), false, false, 0, 0); }

private:
    void flush() {
        if (!t_.text.empty()) {
            if (brk_ == 2) {
                t_.text += "\n\n";
            } else if (brk_ == 1) {
                t_.text += '\n';
            } else if (space_) {
                t_.text += ' ';
            }
        }
        brk_ = 0;
        space_ = false;
    }

    Text& t_;
    int brk_ = 0;
    bool space_ = false;
};

}  // namespace

Text extract_text(const Document& doc, const xmlNode* top, Boilerplate mode) {
    Text t;
    if (top == nullptr) {
        return t;
    }
    Writer w(t);
    // Closing a block element breaks the paragraph: walk with explicit
    // "leave" steps (no recursion: nesting may be 10,000 deep).
    const xmlNode* n = top;
    int pre_depth = 0;
    while (n != nullptr) {
        bool skip = false;
        if (n->type == XML_ELEMENT_NODE) {
            if (n != top && left_out(n, mode)) {
                skip = true;
            } else {
                std::string name = name_of(n);
                if (name == "br") {
                    w.line();
                } else if (is_block(name)) {
                    w.block();
                }
                if (name == "pre") {
                    ++pre_depth;
                }
            }
        } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            w.text(doc, n, pre_depth > 0);
        } else if (n->type == XML_ENTITY_REF_NODE) {
            w.literal(html_entity(n));
        }
        // Descend, or leave this node and the ancestors whose last child it is.
        if (!skip && n->type == XML_ELEMENT_NODE && n->children != nullptr) {
            n = n->children;
            continue;
        }
        while (n != nullptr) {
            if (n->type == XML_ELEMENT_NODE && !(n != top && left_out(n, mode))) {
                std::string name = name_of(n);
                if (is_block(name)) {
                    w.block();
                }
                if (name == "pre") {
                    --pre_depth;
                }
            }
            if (n == top) {
                n = nullptr;
                break;
            }
            if (n->next != nullptr) {
                n = n->next;
                break;
            }
            n = n->parent;
        }
    }
    return t;
}

}  // namespace lede::indexer::markup
