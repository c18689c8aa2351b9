#include "analysis/terms.hpp"

#include "analysis/variants.hpp"

namespace lede::analysis {

std::string TermMaker::variant(const Token& t) { return variant_key(t.term, t.non_latin); }

}  // namespace lede::analysis
