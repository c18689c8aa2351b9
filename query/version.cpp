// What this library is built with and writes: versions for `lede --version`
// and bug reports, and the index format.
#include <lede/version.hpp>

#include <xapian.h>

#include "analysis/icu.hpp"
#include "index/schema.hpp"

#include <string>

namespace lede {

const char* index_format() noexcept { return index::format_version; }

const char* xapian_version(bool runtime) noexcept { return runtime ? Xapian::version_string() : XAPIAN_VERSION; }

const char* icu_version(bool runtime) noexcept { return analysis::icu_version(runtime); }

}  // namespace lede
