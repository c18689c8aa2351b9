// The ASCII word segmenter (analysis/ascii_words.hpp) against ICU's word
// break iterator: the same word segments with the same status, on random
// strings of the characters the rules treat differently, and on the text of
// corpus/ and the SOTU sample.
#include "analysis/ascii_words.hpp"

#include <doctest/doctest.h>
#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace {

using Words = std::vector<std::tuple<std::size_t, std::size_t, std::int32_t>>;

Words by_icu(icu::BreakIterator& it, const std::string& s) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);  // ASCII: offsets are bytes
    it.setText(u);
    Words out;
    std::int32_t start = it.first();
    for (std::int32_t end = it.next(); end != icu::BreakIterator::DONE; start = end, end = it.next()) {
        std::int32_t status = it.getRuleStatus();
        if (status >= UBRK_WORD_NONE_LIMIT) {
            out.emplace_back(static_cast<std::size_t>(start), static_cast<std::size_t>(end), status);
        }
    }
    return out;
}

Words by_scan(const std::string& s) {
    Words out;
    lede::analysis::ascii_words(s, [&](std::size_t b, std::size_t e, std::int32_t st) { out.emplace_back(b, e, st); });
    return out;
}

std::unique_ptr<icu::BreakIterator> icu_words() {
    UErrorCode st = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createWordInstance(icu::Locale(""), st));
    REQUIRE(U_SUCCESS(st));
    return it;
}

}  // namespace

TEST_CASE("ascii words: the segments and statuses of ICU's word break iterator, on random strings") {
    auto it = icu_words();
    const std::string alphabet = "aZq09 .,;:'\"-!/@#$%&*()+=?[]`~\\|<>{}^\t\n\r\v\f\x01";
    // Mostly letters and digits with the joining marks: long chains.
    const std::string joins = "aB19.,;:'@ ";
    std::mt19937 rng(20261130);
    std::size_t words = 0;
    for (int round = 0; round < 100000; ++round) {
        const std::string& from = round % 2 == 0 ? alphabet : joins;
        std::string s(1 + rng() % 24, ' ');
        for (char& c : s) {
            c = from[rng() % from.size()];
        }
        REQUIRE(lede::analysis::ascii_words_apply(s));
        Words want = by_icu(*it, s);
        words += want.size();
        CAPTURE(s);
        REQUIRE(by_scan(s) == want);
    }
    CHECK(words > 100000);
}

TEST_CASE("ascii words: the same segments as ICU on the text of corpus/ and the SOTU sample") {
    auto it = icu_words();
    std::size_t texts = 0;
    for (const std::string& dir :
         {std::string(LEDE_TEST_DATA) + "/../../corpus", std::string(LEDE_TEST_DATA) + "/sotu"}) {
        for (const auto& e : std::filesystem::directory_iterator(dir)) {
            std::ifstream f(e.path(), std::ios::binary);
            std::stringstream buf;
            buf << f.rdbuf();
            std::string text = buf.str();
            // Each line that the scan applies to (the others go to ICU).
            std::istringstream lines(text);
            for (std::string line; std::getline(lines, line);) {
                if (!lede::analysis::ascii_words_apply(line)) {
                    continue;
                }
                ++texts;
                CAPTURE(line);
                REQUIRE(by_scan(line) == by_icu(*it, line));
            }
        }
    }
    CHECK(texts > 50);
}

TEST_CASE("ascii words: not for '_' or non-ASCII text") {
    CHECK(lede::analysis::ascii_words_apply("Witkoff met Umerov in Abu Dhabi on 1,000.5 days."));
    CHECK_FALSE(lede::analysis::ascii_words_apply("snake_case"));
    CHECK_FALSE(lede::analysis::ascii_words_apply("Zelenskyy \xE2\x80\x94 Kyiv"));
}

TEST_CASE("ascii words: the eight-bytes-at-a-time check finds any '_' or non-ASCII byte, wherever it is") {
    // Each length and position, and the bytes next to '_' and 0x80 (and 0xDF,
    // which is '_' with the top bit set), against a byte-by-byte check.
    const std::string odd = std::string("_^`\x7F\x80\xDF\xFF\x01") + '\0';
    auto naive = [](const std::string& s) {
        for (unsigned char c : s) {
            if (c >= 0x80 || c == '_') {
                return false;
            }
        }
        return true;
    };
    for (std::size_t n = 0; n <= 40; ++n) {
        std::string base(n, 'a');
        CHECK(lede::analysis::ascii_words_apply(base));
        for (std::size_t i = 0; i < n; ++i) {
            for (char c : odd) {
                std::string s = base;
                s[i] = c;
                CAPTURE(n);
                CAPTURE(i);
                CAPTURE(static_cast<int>(static_cast<unsigned char>(c)));
                REQUIRE(lede::analysis::ascii_words_apply(s) == naive(s));
            }
        }
    }
}
