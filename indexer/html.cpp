#include "indexer/html.hpp"

#include "indexer/articles.hpp"
#include "indexer/markup.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <unordered_map>

namespace lede::indexer {
namespace {

std::string lower(std::string_view s) {
    std::string o(s);
    std::transform(o.begin(), o.end(), o.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return o;
}

std::string trimmed(std::string_view s) {
    std::size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) {
        return {};
    }
    std::size_t e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

}  // namespace

bool looks_like_html(std::string_view bytes) {
    if (bytes.starts_with("\xEF\xBB\xBF")) {
        bytes.remove_prefix(3);
    }
    std::string head = lower(bytes.substr(0, 1024));
    std::size_t p = head.find_first_not_of(" \t\r\n");
    for (int guard = 0; p != std::string::npos && guard < 8; ++guard) {
        if (head.compare(p, 14, "<!doctype html") == 0 || head.compare(p, 5, "<html") == 0) {
            return true;
        }
        std::size_t skip = std::string::npos;
        if (head.compare(p, 4, "<!--") == 0) {
            skip = head.find("-->", p);
            skip = skip == std::string::npos ? skip : skip + 3;
        } else if (head.compare(p, 5, "<?xml") == 0) {
            skip = head.find("?>", p);
            skip = skip == std::string::npos ? skip : skip + 2;
        }
        if (skip == std::string::npos) {
            return false;
        }
        p = head.find_first_not_of(" \t\r\n", skip);
    }
    return false;
}

std::string parse_date(std::string_view raw) {
    std::string s = trimmed(raw);
    if (std::string d = normalize_date(s); !d.empty()) {
        return d;
    }
    // RFC 822 / 2822: [Day,] DD Mon YYYY [HH:MM[:SS] zone]
    static const char* months[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    std::string t = lower(s);
    if (auto comma = t.find(','); comma != std::string::npos && comma < 10) {
        t = t.substr(comma + 1);
    }
    int day = 0;
    char mon[16] = {};
    int year = 0;
    if (std::sscanf(t.c_str(), " %d %15s %d", &day, mon, &year) != 3) {
        return {};
    }
    int m = 0;
    for (int i = 0; i < 12; ++i) {
        if (std::string_view(mon).starts_with(months[i])) {
            m = i + 1;
        }
    }
    if (year < 100) {
        year += year < 50 ? 2000 : 1900;  // RFC 822's two-digit years
    }
    if (m == 0 || day < 1 || day > 31 || year < 1000 || year > 9999) {
        return {};
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, m, day);
    return buf;
}

namespace {

using markup::attr;
using markup::name_of;
using markup::next_in;
using markup::plain_text;
using Json = nlohmann::json;

bool has_type(const Json& o, std::initializer_list<const char*> types) {
    auto it = o.find("@type");
    if (it == o.end()) {
        return false;
    }
    auto is = [&](const Json& v) {
        return v.is_string()
               && std::any_of(types.begin(), types.end(), [&](const char* t) { return v.get<std::string>() == t; });
    };
    if (it->is_array()) {
        return std::any_of(it->begin(), it->end(), is);
    }
    return is(*it);
}

std::string str(const Json& o, const char* key) {
    auto it = o.find(key);
    if (it == o.end()) {
        return {};
    }
    if (it->is_string()) {
        return it->get<std::string>();
    }
    if (it->is_object()) {
        for (const char* k : {"name", "@id", "url"}) {
            if (auto s = str(*it, k); !s.empty()) {
                return s;
            }
        }
    }
    if (it->is_array()) {
        std::string names;
        for (const auto& e : *it) {
            std::string n = e.is_string() ? e.get<std::string>() : e.is_object() ? str(e, "name") : "";
            if (!n.empty()) {
                names += (names.empty() ? "" : ", ") + n;
            }
        }
        return names;
    }
    return {};
}

// The news article object of a JSON-LD block (top level, array, or @graph).
const Json* json_ld_article(const Json& j, int depth = 0) {
    if (depth > 4) {
        return nullptr;
    }
    if (j.is_array()) {
        for (const auto& e : j) {
            if (const Json* a = json_ld_article(e, depth + 1)) {
                return a;
            }
        }
        return nullptr;
    }
    if (!j.is_object()) {
        return nullptr;
    }
    if (has_type(j, {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
                     "BlogPosting", "LiveBlogPosting", "BackgroundNewsArticle", "Report"})) {
        return &j;
    }
    if (auto g = j.find("@graph"); g != j.end()) {
        return json_ld_article(*g, depth + 1);
    }
    return nullptr;
}

struct PageMeta {
    std::map<std::string, std::string> meta;  // first value of each meta name/property (lower case)
    std::string title_tag;
    std::string first_h1;
    std::string canonical;
    std::string rel_author;
    std::string time_datetime;
    Json ld;                                   // the JSON-LD article object (or null)
    const xmlNode* ld_script = nullptr;        // where it was
    std::vector<const xmlNode*> article_body;  // itemprop=articleBody
    std::vector<const xmlNode*> articles;
    std::vector<const xmlNode*> mains;
    const xmlNode* body = nullptr;

    std::string get(std::initializer_list<const char*> names) const {
        for (const char* n : names) {
            if (auto it = meta.find(n); it != meta.end() && !it->second.empty()) {
                return it->second;
            }
        }
        return {};
    }
};

PageMeta scan(const xmlNode* root) {
    PageMeta m;
    for (const xmlNode* n = root; n != nullptr; n = next_in(n, root)) {
        if (n->type != XML_ELEMENT_NODE) {
            continue;
        }
        std::string name = name_of(n);
        if (name == "meta") {
            std::string key = lower(attr(n, "property"));
            if (key.empty()) {
                key = lower(attr(n, "name"));
            }
            if (key.empty()) {
                key = lower(attr(n, "itemprop"));
            }
            std::string content = trimmed(attr(n, "content"));
            if (!key.empty() && !content.empty()) {
                m.meta.emplace(key, content);
            }
        } else if (name == "title" && m.title_tag.empty()) {
            m.title_tag = plain_text(n, 1000);
        } else if (name == "h1" && m.first_h1.empty()) {
            m.first_h1 = plain_text(n, 1000);
        } else if (name == "link" || name == "a") {
            std::string rel = lower(attr(n, "rel"));
            if (name == "link" && rel == "canonical" && m.canonical.empty()) {
                m.canonical = trimmed(attr(n, "href"));
            } else if (rel == "author" && m.rel_author.empty()) {
                m.rel_author = name == "a" ? plain_text(n, 200) : "";
            }
        } else if (name == "time" && m.time_datetime.empty()) {
            m.time_datetime = attr(n, "datetime");
        } else if (name == "script" && lower(attr(n, "type")) == "application/ld+json" && m.ld.is_null()) {
            Json j = Json::parse(plain_text(n, 1U << 20), nullptr, false);
            if (!j.is_discarded()) {
                if (const Json* a = json_ld_article(j)) {
                    m.ld = *a;
                    m.ld_script = n;
                }
            }
        } else if (name == "body" && m.body == nullptr) {
            m.body = n;
        } else if (name == "article") {
            m.articles.push_back(n);
        } else if (name == "main" || lower(attr(n, "role")) == "main") {
            m.mains.push_back(n);
        }
        if (attr(n, "itemprop") == "articleBody") {
            m.article_body.push_back(n);
        }
        if (lower(attr(n, "itemprop")) == "datepublished" && m.meta.count("itemprop:datepublished") == 0) {
            std::string v = attr(n, "datetime");
            m.meta.emplace("itemprop:datepublished", v.empty() ? attr(n, "content") : v);
        }
    }
    return m;
}

// Paragraph text of an element: the text of its <p> descendants that are not
// page furniture.
std::size_t paragraph_text(const xmlNode* top) {
    std::size_t total = 0;
    for (const xmlNode* n = top; n != nullptr;) {
        bool skip = n != top && n->type == XML_ELEMENT_NODE && markup::left_out(n, markup::Boilerplate::drop);
        if (!skip && name_of(n) == "p") {
            total += plain_text(n, 100000).size();
            skip = true;
        }
        n = next_in(n, top, skip);
    }
    return total;
}

// The element holding the most paragraph text directly (the densest block of
// <p>): each paragraph counts for its parent.
const xmlNode* densest_block(const xmlNode* body) {
    std::unordered_map<const xmlNode*, std::size_t> score;
    const xmlNode* best = nullptr;
    std::size_t best_score = 0;
    for (const xmlNode* n = body; n != nullptr;) {
        bool skip = n != body && n->type == XML_ELEMENT_NODE && markup::left_out(n, markup::Boilerplate::drop);
        if (!skip && name_of(n) == "p" && n->parent != nullptr) {
            std::size_t s = (score[n->parent] += plain_text(n, 100000).size());
            if (s > best_score) {
                best_score = s;
                best = n->parent;
            }
            skip = true;
        }
        n = next_in(n, body, skip);
    }
    return best;
}

const xmlNode* most_text(const std::vector<const xmlNode*>& candidates) {
    const xmlNode* best = nullptr;
    std::size_t best_len = 0;
    for (const xmlNode* c : candidates) {
        std::size_t len = paragraph_text(c);
        if (best == nullptr || len > best_len) {
            best = c;
            best_len = len;
        }
    }
    return best;
}

ExtractedArticle from_document(const markup::Document& doc, bool fragment) {
    ExtractedArticle a;
    const xmlNode* root = doc.root();
    if (root == nullptr) {
        return a;
    }
    if (fragment) {
        markup::Text t = extract_text(doc, root, markup::Boilerplate::drop);
        a.text = std::move(t.text);
        a.origin = std::move(t.origin);
        return a;
    }
    PageMeta m = scan(root);
    a.title = m.get({"og:title", "twitter:title"});
    if (a.title.empty()) {
        a.title = str(m.ld, "headline");
    }
    if (a.title.empty()) {
        a.title = m.title_tag;
    }
    if (a.title.empty()) {
        a.title = m.first_h1;
    }
    for (const std::string& d :
         {m.get({"article:published_time", "og:published_time"}), str(m.ld, "datePublished"),
          m.get({"itemprop:datepublished", "date", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date",
                 "dc.date.issued", "dcterms.created", "dcterms.date", "dcterms.issued", "sailthru.date",
                 "parsely-pub-date", "article.published", "citation_publication_date", "datepublished"}),
          m.time_datetime, str(m.ld, "dateCreated"), m.get({"article:modified_time", "og:updated_time"})}) {
        a.date = parse_date(d);
        if (!a.date.empty()) {
            break;
        }
    }
    a.source = m.get({"og:site_name", "application-name"});
    if (a.source.empty()) {
        a.source = str(m.ld, "publisher");
    }
    a.url = m.canonical;
    if (a.url.empty()) {
        a.url = m.get({"og:url"});
    }
    if (a.url.empty()) {
        a.url = str(m.ld, "url");
    }
    a.author = m.get({"author", "article:author", "parsely-author", "sailthru.author", "dc.creator"});
    if (a.author.empty() || a.author.starts_with("http")) {
        std::string ld_author = str(m.ld, "author");
        a.author = !ld_author.empty() ? ld_author : !m.rel_author.empty() ? m.rel_author : a.author;
    }

    const xmlNode* container = nullptr;
    if (!m.article_body.empty()) {
        container = most_text(m.article_body);
    } else if (!m.articles.empty()) {
        container = most_text(m.articles);
    } else if (!m.mains.empty()) {
        container = most_text(m.mains);
    } else if (m.body != nullptr) {
        container = densest_block(m.body);
    }
    markup::Text t;
    if (container != nullptr) {
        t = extract_text(doc, container, markup::Boilerplate::drop);
    }
    if (t.text.empty()) {
        std::string body = str(m.ld, "articleBody");
        if (!body.empty()) {
            // The JSON string's text, mapped to the whole script element.
            t.text = body;
            t.origin = {};
            const xmlNode* s = m.ld_script != nullptr ? m.ld_script->children : nullptr;
            const std::vector<markup::Piece>* p = s != nullptr ? doc.pieces(s) : nullptr;
            if (p != nullptr && !p->empty()) {
                t.origin.add(0, body.size(), p->front().source_begin, p->back().source_end);
            }
        } else if (m.body != nullptr) {
            t = extract_text(doc, m.body, markup::Boilerplate::drop);
        }
    }
    a.text = std::move(t.text);
    a.origin = std::move(t.origin);
    return a;
}

}  // namespace

ExtractedArticle extract_html(std::string_view html) { return from_document(markup::Document::html(html), false); }

ExtractedArticle extract_html_fragment(std::string_view html) {
    return from_document(markup::Document::html(html), true);
}

}  // namespace lede::indexer
