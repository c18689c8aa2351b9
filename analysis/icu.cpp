#include "analysis/icu.hpp"

#include <lede/error.hpp>

#include <unicode/errorcode.h>

namespace lede::analysis {

void check_icu(UErrorCode status, const char* what) {
    if (U_FAILURE(status)) {
        throw Error(ErrorKind::internal,
                    std::string("ICU failed while ") + what + ": " + u_errorName(status));
    }
}

}  // namespace lede::analysis
