#include "analysis/sketch.hpp"

#include <algorithm>
#include <array>
#include <bit>

namespace lede::analysis {
namespace {

// Stable hashes (stored in indexes: never std::hash). FNV-1a of the bytes,
// then SplitMix64's finaliser for well-spread bits.
std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

std::uint64_t word_hash(std::string_view w) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : w) {
        h = (h ^ c) * 0x100000001b3ULL;
    }
    return mix(h);
}

std::vector<std::uint64_t> word_hashes(const std::vector<Token>& tokens) {
    std::vector<std::uint64_t> out;
    out.reserve(tokens.size());
    for (const Token& t : tokens) {
        if (!t.compound) {
            out.push_back(word_hash(t.term));
        }
    }
    return out;
}

}  // namespace

std::vector<std::uint64_t> shingles(const std::vector<Token>& tokens) {
    std::vector<std::uint64_t> words = word_hashes(tokens);
    std::vector<std::uint64_t> out;
    if (words.size() < shingle_words) {
        return out;
    }
    out.reserve(words.size() - shingle_words + 1);
    for (std::size_t i = 0; i + shingle_words <= words.size(); ++i) {
        std::uint64_t h = 0;
        for (std::size_t k = 0; k < shingle_words; ++k) {
            h = mix(h ^ std::rotl(words[i + k], static_cast<int>(k * 21)));
        }
        out.push_back(h);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

Sketch sketch(const std::vector<Token>& tokens) {
    Sketch s;
    std::vector<std::uint64_t> sh = shingles(tokens);
    s.shingles = static_cast<std::uint32_t>(sh.size());
    if (s.exact()) {
        std::uint64_t h = 0x6c656465ULL;  // the words in order
        for (std::uint64_t w : word_hashes(tokens)) {
            h = mix(h ^ w) + 1;
        }
        s.bits = h;
        return s;
    }
    // Bit b is set when more than half of the shingles have it (SimHash):
    // count the ones per bit, in a loop the compiler vectorizes.
    std::array<std::uint32_t, 64> ones{};
    for (std::uint64_t h : sh) {
        for (std::size_t b = 0; b < 64; ++b) {
            ones[b] += static_cast<std::uint32_t>((h >> b) & 1U);
        }
    }
    for (std::size_t b = 0; b < 64; ++b) {
        if (2 * ones[b] > sh.size()) {
            s.bits |= std::uint64_t{1} << b;
        }
    }
    return s;
}

int distance(const Sketch& a, const Sketch& b) { return std::popcount(a.bits ^ b.bits); }

double resemblance(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
    if (a.empty() && b.empty()) {
        return 1.0;
    }
    const std::size_t common = common_count(a, b);
    return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

std::string encode(const Sketch& s) {
    std::string v(9, '\0');
    for (int i = 0; i < 8; ++i) {
        v[static_cast<std::size_t>(i)] = static_cast<char>((s.bits >> (56 - 8 * i)) & 0xFF);
    }
    v[8] = static_cast<char>(std::min<std::uint32_t>(s.shingles, 255));
    return v;
}

std::optional<Sketch> decode_sketch(std::string_view value) {
    if (value.size() != 9) {
        return std::nullopt;
    }
    Sketch s;
    for (int i = 0; i < 8; ++i) {
        s.bits = (s.bits << 8) | static_cast<unsigned char>(value[static_cast<std::size_t>(i)]);
    }
    s.shingles = static_cast<unsigned char>(value[8]);
    return s;
}

}  // namespace lede::analysis
