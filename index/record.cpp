#include "index/record.hpp"

#include "index/schema.hpp"

#include <charconv>

namespace lede::index {
namespace {

void put(std::string& out, std::string_view field) {
    out += std::to_string(field.size());
    out += ':';
    out += field;
}

bool get(std::string_view& in, std::string_view& field) {
    std::size_t len = 0;
    auto [p, ec] = std::from_chars(in.data(), in.data() + in.size(), len);
    if (ec != std::errc() || p == in.data() + in.size() || *p != ':') {
        return false;
    }
    std::size_t skip = static_cast<std::size_t>(p - in.data()) + 1;
    if (in.size() - skip < len) {
        return false;
    }
    field = in.substr(skip, len);
    in.remove_prefix(skip + len);
    return true;
}

template <typename T>
bool get_number(std::string_view& in, T& value) {
    std::string_view f;
    if (!get(in, f)) {
        return false;
    }
    auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), value);
    return ec == std::errc() && p == f.data() + f.size();
}

}  // namespace

std::string encode(const PassageRecord& r) {
    std::string out;
    out.reserve(r.path.size() + r.text.size() + 32);
    const bool first = r.passage <= 1;
    put(out, first ? std::string_view(r.path) : std::string_view());
    put(out, std::to_string(r.passage));
    put(out, std::to_string(r.start));
    put(out, std::to_string(r.end));
    if (first) {
        put(out, r.article == r.path ? std::string_view() : std::string_view(r.article));  // most articles are files
        put(out, r.title);
        put(out, r.date);
        put(out, r.source);
        put(out, r.url);
    } else {
        put(out, article_ref(r.article));
        for (int i = 0; i < 4; ++i) {
            put(out, {});
        }
    }
    put(out, r.text);
    return out;
}

void with_article(PassageRecord& r, const PassageRecord& first) {
    r.path = first.path;
    r.article = first.article;
    r.title = first.title;
    r.date = first.date;
    r.source = first.source;
    r.url = first.url;
}

std::optional<PassageRecord> decode(std::string_view in) {
    PassageRecord r;
    std::string_view f;
    if (!get(in, f)) {
        return std::nullopt;
    }
    r.path = f;
    if (!get_number(in, r.passage) || !get_number(in, r.start) || !get_number(in, r.end)) {
        return std::nullopt;
    }
    for (std::string* field : {&r.article, &r.title, &r.date, &r.source, &r.url, &r.text}) {
        if (!get(in, f)) {
            return std::nullopt;
        }
        field->assign(f);
    }
    if (r.article.empty()) {
        r.article = r.path;
    }
    if (r.path.empty() && r.article.empty()) {
        return std::nullopt;
    }
    return r;
}

}  // namespace lede::index
