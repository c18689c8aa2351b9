// Shared helpers of the fuzz targets: an invariant check that aborts (so
// libFuzzer records a crash and a replay test fails), and a UTF-8 validator.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace lede::fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
    std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", what, file, line);
    std::fflush(stderr);
    std::abort();
}

/// Whether @p s is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
inline bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    const std::size_t n = s.size();
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    auto cont = [&](std::size_t k) { return k < n && (at(k) & 0xC0) == 0x80; };
    while (i < n) {
        unsigned char c = at(i);
        if (c < 0x80) {
            i += 1;
        } else if (c >= 0xC2 && c <= 0xDF) {
            if (!cont(i + 1))
                return false;
            i += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            if (!cont(i + 1) || !cont(i + 2))
                return false;
            if (c == 0xE0 && at(i + 1) < 0xA0)
                return false;  // overlong
            if (c == 0xED && at(i + 1) >= 0xA0)
                return false;  // surrogate
            i += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3))
                return false;
            if (c == 0xF0 && at(i + 1) < 0x90)
                return false;  // overlong
            if (c == 0xF4 && at(i + 1) >= 0x90)
                return false;  // above U+10FFFF
            i += 4;
        } else {
            return false;  // continuation byte, C0/C1, F5..FF
        }
    }
    return true;
}

}  // namespace lede::fuzz

#define FUZZ_CHECK(cond)                                   \
    do {                                                   \
        if (!(cond)) {                                     \
            ::lede::fuzz::fail(#cond, __FILE__, __LINE__); \
        }                                                  \
    } while (0)
