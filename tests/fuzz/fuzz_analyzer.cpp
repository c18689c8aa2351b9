// Fuzz target: any bytes → Analyzer::tokenize, variant_key on every term,
// SentenceSplitter::split.
//   tokens: begin < end <= size; term non-empty, <= max_term_bytes, valid UTF-8;
//           positions never decrease over non-compound tokens, and a compound
//           token reuses a position already given out
//   variant keys: "" or "=alias" or lower-case a-z (>= 3 letters)
//   sentences: begin < end <= size, in order, not overlapping
#include "fuzz_check.hpp"

#include "analysis/analyzer.hpp"
#include "analysis/sentences.hpp"
#include "analysis/variants.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lede::analysis;
    static Analyzer analyzer;
    static SentenceSplitter splitter;
    std::string_view text(reinterpret_cast<const char*>(data), size);

    constexpr std::uint32_t first = 1;
    std::vector<Token> tokens;
    analyzer.tokenize(text, tokens, first);
    std::uint32_t last = 0;  // last position of a non-compound token
    for (const Token& t : tokens) {
        FUZZ_CHECK(t.begin < t.end);
        FUZZ_CHECK(t.end <= size);
        FUZZ_CHECK(!t.term.empty());
        FUZZ_CHECK(t.term.size() <= max_term_bytes);
        FUZZ_CHECK(lede::fuzz::valid_utf8(t.term));
        FUZZ_CHECK(t.position >= first);
        if (t.compound) {
            FUZZ_CHECK(t.position <= last);
        } else {
            FUZZ_CHECK(t.position >= last);
            last = t.position;
        }
        std::string key = variant_key(t.term, t.non_latin);
        if (!key.empty() && key[0] != '=') {
            FUZZ_CHECK(key.size() >= 3);
            for (char c : key) {
                FUZZ_CHECK(c >= 'a' && c <= 'z');
            }
        }
    }

    std::size_t prev_end = 0;
    for (auto [b, e] : splitter.split(text)) {
        FUZZ_CHECK(b < e);
        FUZZ_CHECK(e <= size);
        FUZZ_CHECK(b >= prev_end);
        prev_end = e;
    }
    return 0;
}
