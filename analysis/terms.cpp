#include "analysis/terms.hpp"

#include "analysis/variants.hpp"

#include <xapian.h>  // Xapian::Stem only

namespace lede::analysis {

TermMaker::TermMaker() : stemmer_(std::make_unique<Xapian::Stem>("english")) {}
TermMaker::~TermMaker() = default;
TermMaker::TermMaker(TermMaker&&) noexcept = default;
TermMaker& TermMaker::operator=(TermMaker&&) noexcept = default;

std::string TermMaker::stem(std::string_view raw) { return (*stemmer_)(std::string(raw)); }

std::string TermMaker::variant(const Token& t) { return variant_key(t.term, t.non_latin); }

}  // namespace lede::analysis
