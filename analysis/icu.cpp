#include "analysis/icu.hpp"

#include <lede/error.hpp>

#include <unicode/errorcode.h>
#include <unicode/uversion.h>

#include <string>

namespace lede::analysis {

void check_icu(UErrorCode status, const char* what) {
    if (U_FAILURE(status)) {
        throw Error(ErrorKind::internal, std::string("ICU failed while ") + what + ": " + u_errorName(status));
    }
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

}  // namespace lede::analysis
