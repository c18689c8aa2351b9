#include "indexer/articles.hpp"

#include "index/dates.hpp"
#include "indexer/feed.hpp"
#include "indexer/html.hpp"
#include "indexer/source.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace lede::indexer {
namespace {

std::string lower_ext(const std::string& path) {
    auto dot = path.find_last_of('.');
    auto slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
        return {};
    }
    std::string e = path.substr(dot);
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

std::string trim(std::string_view s) {
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) {
        ++b;
    }
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) {
        --e;
    }
    std::string out(s.substr(b, e - b));
    if (out.size() >= 2 && (out.front() == '"' || out.front() == '\'') && out.back() == out.front()) {
        out = out.substr(1, out.size() - 2);
    }
    return out;
}

// Markdown/text front matter between "---" lines at the very start.
void front_matter(SourceArticle& a, std::vector<FileError>& warnings, const std::string& path) {
    std::string_view t = a.text;
    if (!t.starts_with("---\n") && !t.starts_with("---\r\n")) {
        return;
    }
    std::size_t pos = t.find('\n') + 1;
    while (pos < t.size()) {
        std::size_t nl = t.find('\n', pos);
        std::size_t end = nl == std::string_view::npos ? t.size() : nl;
        std::string line = trim(t.substr(pos, end - pos));
        if (line == "---" || line == "...") {
            a.body_begin = nl == std::string_view::npos ? t.size() : nl + 1;
            return;
        }
        if (auto colon = line.find(':'); colon != std::string::npos) {
            std::string k = trim(line.substr(0, colon));
            std::string v = trim(std::string_view(line).substr(colon + 1));
            std::transform(k.begin(), k.end(), k.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (k == "title") {
                a.title = v;
            } else if (k == "date") {
                a.date = normalize_date(v);
                a.date_from = a.date.empty() ? "" : "front";
                if (a.date.empty() && !v.empty()) {
                    warnings.push_back({path, "front matter date '" + v
                                                  + "' is not a date (YYYY-MM-DD); the article is indexed undated"});
                }
            } else if (k == "source") {
                a.source = v;
            } else if (k == "url") {
                a.url = v;
            }
        }
        if (nl == std::string_view::npos) {
            break;
        }
        pos = nl + 1;
    }
    // No closing "---": not front matter after all.
    a.title.clear();
    a.date.clear();
    a.date_from.clear();
    a.source.clear();
    a.url.clear();
}

std::string json_string(const nlohmann::json& obj, const std::string& name) {
    auto it = obj.find(name);
    if (it == obj.end() || it->is_null()) {
        return {};
    }
    if (it->is_string()) {
        return it->get<std::string>();
    }
    if (it->is_number()) {
        return it->dump();
    }
    return {};
}

// The date of a JSON Lines article: a string holding a date, else "" with a
// warning when the field is there but holds no date ("yesterday", a number).
std::string json_date(const nlohmann::json& obj, const std::string& name, const std::string& path,
                      const std::string& where, std::vector<FileError>& warnings) {
    auto it = obj.find(name);
    if (it == obj.end() || it->is_null() || (it->is_string() && trim(it->get<std::string>()).empty())) {
        return {};
    }
    std::string d = it->is_string() ? normalize_date(trim(it->get<std::string>())) : std::string();
    if (d.empty()) {
        std::string shown = it->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        if (shown.size() > 60) {
            shown = shown.substr(0, 60) + "...";
        }
        warnings.push_back(
            {path, where + "date " + shown + " is not a date (YYYY-MM-DD); the article is indexed undated"});
    }
    return d;
}

}  // namespace

void read_jsonl(const std::string& path, std::string_view content, const JsonFields& f, std::vector<SourceArticle>& out,
                std::vector<FileError>& errors, std::vector<FileError>& warnings, std::size_t line_no,
                std::set<std::string>& ids) {
    std::size_t pos = 0;
    while (pos < content.size()) {
        std::size_t nl = content.find('\n', pos);
        std::size_t end = nl == std::string::npos ? content.size() : nl;
        std::string_view line(content.data() + pos, end - pos);
        ++line_no;
        pos = end + 1;
        if (trim(line).empty()) {
            continue;
        }
        std::string where = "line " + std::to_string(line_no) + ": ";
        nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded()) {
            errors.push_back({path, where + "invalid JSON"});
            continue;
        }
        if (!j.is_object()) {
            errors.push_back({path, where + "not a JSON object"});
            continue;
        }
        SourceArticle a;
        for (const auto& name : f.text) {
            auto it = j.find(name);
            if (it != j.end() && it->is_string()) {
                a.text = it->get<std::string>();
                break;
            }
        }
        if (a.text.empty()) {
            std::string names;
            for (const auto& n : f.text) {
                names += (names.empty() ? "" : " or ") + n;
            }
            errors.push_back({path, where + "no text (a string field " + names + ")"});
            continue;
        }
        std::string id = json_string(j, f.id);
        if (id.empty() || !ids.insert(id).second) {
            id = (id.empty() ? "" : id + "~") + "L" + std::to_string(line_no);
        }
        a.key = path + "#" + id;
        a.title = json_string(j, f.title);
        a.date = json_date(j, f.date, path, where, warnings);
        a.date_from = a.date.empty() ? "" : "json";
        a.source = json_string(j, f.source);
        a.url = json_string(j, f.url);
        repair_utf8(a.text);
        out.push_back(std::move(a));
    }
}

std::string normalize_date(std::string_view s) {
    auto all_digits = [](std::string_view t) {
        return std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (s.size() == 4 || s.size() == 7) {
        // A year or a month alone: "1790", "2026-02" (as written, nothing after).
        std::string d(s);
        if (s.size() == 7 && s[4] == '/') {
            d[4] = '-';
        }
        auto date = index::parse_stored_date(d);
        return date && all_digits(s.substr(0, 4)) ? date->str() : std::string();
    }
    if (s.size() < 10) {
        return {};
    }
    std::string d(s.substr(0, 10));
    if ((d[4] != '-' && d[4] != '/') || d[7] != d[4]) {
        return {};
    }
    d[4] = d[7] = '-';
    if (s.size() > 10 && std::isdigit(static_cast<unsigned char>(s[10]))) {
        return {};  // "2026-02-051": not a date followed by a time
    }
    auto date = index::parse_stored_date(d);
    return date && date->day > 0 ? date->str() : std::string();
}

InputFormat format_for(const std::string& path, InputFormat requested) {
    if (requested != InputFormat::auto_detect) {
        return requested;
    }
    std::string e = lower_ext(path);
    if (e == ".jsonl" || e == ".ndjson") {
        return InputFormat::jsonl;
    }
    if (e == ".html" || e == ".htm" || e == ".xhtml") {
        return InputFormat::html;
    }
    if (e == ".rss" || e == ".atom" || e == ".xml") {
        return InputFormat::feed;
    }
    return InputFormat::text;
}

namespace {

// Where text extracted from markup came from in the file: through the
// extraction's map, then the decoding's; text with no recorded origin
// (JSON-LD without positions) spans the whole file.
OriginMap file_origin(const ExtractedArticle& e, std::size_t markup_size, const OriginMap& decoded) {
    OriginMap m = e.origin;
    if (m.identity() && !e.text.empty()) {
        m.add(0, e.text.size(), 0, markup_size);
    }
    return m.through(decoded);
}

SourceArticle from_extracted(ExtractedArticle&& e, std::string key, std::size_t markup_size, const OriginMap& decoded) {
    SourceArticle a;
    a.key = std::move(key);
    a.origin = file_origin(e, markup_size, decoded);
    a.title = std::move(e.title);
    a.date = std::move(e.date);
    a.date_from = a.date.empty() ? "" : "html";
    a.source = std::move(e.source);
    a.url = std::move(e.url);
    a.text = std::move(e.text);
    return a;
}

}  // namespace

InputFormat read_articles(const std::string& path, std::string content, InputFormat format, const JsonFields& fields,
                          std::vector<SourceArticle>& out, std::vector<FileError>& errors,
                          std::vector<FileError>& warnings, const OriginMap& decoded) {
    InputFormat f = format_for(path, format);
    if (f == InputFormat::text && format == InputFormat::auto_detect && looks_like_html(content)) {
        f = InputFormat::html;  // a page saved under another name
    }
    if (f == InputFormat::jsonl) {
        std::set<std::string> ids;
        read_jsonl(path, content, fields, out, errors, warnings, 0, ids);
        return f;
    }
    if (f == InputFormat::html) {
        out.push_back(from_extracted(extract_html(content), path, content.size(), decoded));
        return f;
    }
    if (f == InputFormat::feed) {
        Feed feed;
        std::string reason;
        if (format == InputFormat::auto_detect && lower_ext(path) == ".xml" && feed_root(content).empty()) {
            warnings.push_back({path, "XML but not an RSS or Atom feed (not indexed)"});
            return f;
        }
        if (!parse_feed(content, feed, reason)) {
            errors.push_back({path, reason});
            return f;
        }
        const std::string& identity = feed.identity.empty() ? path : feed.identity;
        std::set<std::string> ids;
        for (auto& item : feed.items) {
            std::string id = item.id;
            for (int k = 2; !ids.insert(id).second; ++k) {
                id = item.id + "~" + std::to_string(k);  // a guid repeated within the feed
            }
            out.push_back(from_extracted(std::move(item), identity + "#" + id, content.size(), decoded));
            if (!out.back().date.empty()) {
                out.back().date_from = "feed";
            }
        }
        return f;
    }
    out.push_back(text_article(path, std::move(content), decoded, warnings));
    return f;
}

SourceArticle text_article(const std::string& path, std::string content, const OriginMap& decoded,
                           std::vector<FileError>& warnings) {
    SourceArticle a;
    a.key = path;
    a.text = std::move(content);
    a.origin = decoded;
    front_matter(a, warnings, path);
    if (a.title.empty() && (lower_ext(path) == ".md" || lower_ext(path) == ".markdown")) {
        // The first "# heading" titles a Markdown article.
        std::string_view body(a.text);
        body.remove_prefix(a.body_begin);
        std::size_t p = body.starts_with("# ") ? 0 : body.find("\n# ");
        if (p != std::string_view::npos) {
            p += body[p] == '\n' ? 3 : 2;
            a.title = trim(body.substr(p, body.find('\n', p) - p));
        }
    }
    return a;
}

}  // namespace lede::indexer
