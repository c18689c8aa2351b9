// ICU helpers shared by the analysis stages. ICU is used only inside analysis/.
#pragma once

#include <string>
#include <string_view>

#include <unicode/unistr.h>
#include <unicode/utypes.h>

namespace lede::analysis {

/// The ICU version lede was built with, or (@p runtime) the one loaded.
const char* icu_version(bool runtime) noexcept;

/// Throw lede::Error(internal) naming @p what when @p status is a failure.
void check_icu(UErrorCode status, const char* what);

/// UTF-8 → UnicodeString and back (invalid bytes become U+FFFD).
inline icu::UnicodeString to_unicode(std::string_view s) {
    return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}
inline std::string to_utf8(const icu::UnicodeString& u) {
    std::string out;
    u.toUTF8String(out);
    return out;
}

inline bool is_ascii(std::string_view s) {
    for (unsigned char c : s) {
        if (c >= 0x80) {
            return false;
        }
    }
    return true;
}

}  // namespace lede::analysis
