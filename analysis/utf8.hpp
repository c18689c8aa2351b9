// UTF-8 validation shared by the reader (repairs invalid bytes at index time)
// and the printers (never send invalid bytes to a terminal).
#pragma once

#include <cstddef>
#include <string_view>

namespace lede::analysis {

/// Length of the valid UTF-8 sequence starting at s[i] (1-4), or 0 when the
/// bytes there are not valid UTF-8 (overlong forms and surrogates included).
/// NUL counts as valid here; callers that refuse it check for it themselves.
inline std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0U; };
    auto cont = [&](std::size_t k) { return i + k < s.size() && (at(k) & 0xC0) == 0x80; };
    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        return cont(1) ? 2 : 0;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        bool bad = (c == 0xE0 && at(1) < 0xA0) || (c == 0xED && at(1) >= 0xA0);
        return cont(1) && cont(2) && !bad ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        bool bad = (c == 0xF0 && at(1) < 0x90) || (c == 0xF4 && at(1) >= 0x90);
        return cont(1) && cont(2) && cont(3) && !bad ? 4 : 0;
    }
    return 0;
}

}  // namespace lede::analysis
