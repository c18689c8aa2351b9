#include "indexer/record.hpp"

#include "analysis/terms.hpp"

#include <charconv>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace lede::indexer {
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
    put(out, r.path);
    put(out, std::to_string(r.passage));
    put(out, std::to_string(r.start));
    put(out, std::to_string(r.end));
    put(out, r.text);
    return out;
}

std::optional<PassageRecord> decode(std::string_view in) {
    PassageRecord r;
    std::string_view f;
    if (!get(in, f)) {
        return std::nullopt;
    }
    r.path = f;
    if (!get_number(in, r.passage) || !get_number(in, r.start) || !get_number(in, r.end)
        || !get(in, f)) {
        return std::nullopt;
    }
    r.text = f;
    return r;
}

std::string article_term(std::string_view abs_path) {
    // Xapian terms are limited to 245 bytes; very long paths are hashed.
    std::string t = analysis::prefix::article;
    if (abs_path.size() <= 200) {
        t += abs_path;
    } else {
        char buf[24];
        auto h = XXH3_64bits(abs_path.data(), abs_path.size());
        auto [p, ec] = std::to_chars(buf, buf + sizeof buf, h, 16);
        t += '#';
        t.append(buf, p);
    }
    return t;
}

}  // namespace lede::indexer
