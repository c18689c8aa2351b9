#include "index/schema.hpp"

#include "analysis/analyzer.hpp"

#include <charconv>
#include <cstdint>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace lede::index {

// The longest word the analyzer keeps, under any word prefix, is a valid term.
static_assert(prefix::title.size() + analysis::max_term_bytes < max_xapian_term);
static_assert(prefix::source.size() + max_term_key + 6 + 16 < max_xapian_term);

namespace {

std::string joined(std::string_view prefix, std::string_view rest) {
    std::string t;
    t.reserve(prefix.size() + rest.size());
    t += prefix;
    t += rest;
    return t;
}

void hex_hash(std::string& t, std::string_view key) {
    char buf[24];
    auto h = XXH3_64bits(key.data(), key.size());
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, h, 16);
    t.append(buf, p);
}

// Xapian terms are limited in length; very long keys are hashed.
std::string keyed(std::string_view prefix, std::string_view key) {
    std::string t(prefix);
    if (key.size() <= max_term_key) {
        t += key;
    } else {
        t += "#hash:";
        hex_hash(t, key);
    }
    return t;
}

// Every passage carries its article and file terms: a 64-bit hash keeps them
// short (a path would repeat ~100 bytes in every passage's term list).
std::string hashed(std::string_view prefix, std::string_view key) {
    std::string t(prefix);
    hex_hash(t, key);
    return t;
}

}  // namespace

std::string stem_term(std::string_view stem) { return joined(prefix::stem, stem); }
std::string variant_term(std::string_view key) { return joined(prefix::variant, key); }
std::string title_term(std::string_view word) { return joined(prefix::title, word); }

void stem_term(std::string& out, std::string_view stem) {
    out.assign(prefix::stem);
    out += stem;
}

void variant_term(std::string& out, std::string_view key) {
    out.assign(prefix::variant);
    out += key;
}

std::string article_term(std::string_view article_key) { return hashed(prefix::article, article_key); }

std::string article_ref(std::string_view article_key) { return hashed({}, article_key); }

std::string article_term_of_ref(std::string_view ref) { return joined(prefix::article, ref); }

std::uint64_t article_hash(std::string_view article_key) { return XXH3_64bits(article_key.data(), article_key.size()); }

namespace {

std::string order_key_of_hash(std::uint64_t h, int passage) {
    auto p = static_cast<std::uint32_t>(passage);
    std::string k(12, '\0');
    for (int i = 0; i < 8; ++i) {
        k[static_cast<std::size_t>(i)] = static_cast<char>(h >> (56 - 8 * i));
    }
    for (int i = 0; i < 4; ++i) {
        k[static_cast<std::size_t>(8 + i)] = static_cast<char>(p >> (24 - 8 * i));
    }
    return k;
}

}  // namespace

std::string order_key(std::string_view article_key, int passage) {
    return order_key_of_hash(article_hash(article_key), passage);
}

std::string order_key_of_ref(std::string_view ref, int passage) {
    std::uint64_t h = 0;
    auto [p, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), h, 16);
    if (ref.empty() || ref.size() > 16 || ec != std::errc() || p != ref.data() + ref.size()) {
        return {};
    }
    return order_key_of_hash(h, passage);
}

std::string file_term(std::string_view abs_path) { return hashed(prefix::file, abs_path); }

std::string path_term(std::string_view abs_path) {
    return abs_path.size() < max_path_key ? joined(prefix::path, abs_path) : std::string();
}

std::string path_term_prefix(std::string_view path) { return joined(prefix::path, path); }

std::string file_term_of_path_term(std::string_view path_term) {
    return file_term(path_term.substr(prefix::path.size()));
}

std::string source_term(std::string_view source) {
    std::string s(source);
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return keyed(prefix::source, s);
}

std::string stamp_key(std::string_view abs_path) {
    std::string k = joined(meta::file_stamp, abs_path);
    return k.size() > max_path_key ? hashed(meta::file_stamp, abs_path) : k;
}

std::string stamp_path(std::string_view key) { return std::string(key.substr(meta::file_stamp.size())); }

}  // namespace lede::index
