// What this library is built with and writes: versions for `lede --version`
// and bug reports, and the index format.
#include <lede/version.hpp>

#include <unicode/uversion.h>
#include <xapian.h>

#include "indexer/record.hpp"

#include <string>

namespace lede {

const char* index_format() noexcept { return indexer::format_version; }

const char* xapian_version(bool runtime) noexcept {
    return runtime ? Xapian::version_string() : XAPIAN_VERSION;
}

const char* icu_version(bool runtime) noexcept {
    if (!runtime) {
        return U_ICU_VERSION;
    }
    static const std::string loaded = [] {
        UVersionInfo v;
        u_getVersion(v);
        char text[U_MAX_VERSION_STRING_LENGTH] = {};
        u_versionToString(v, text);
        return std::string(text);
    }();
    return loaded.c_str();
}

}  // namespace lede
