// Turning one passage into a Xapian document: analysis → terms (words, stems,
// variant keys, title words; no positions) + stored record + article and
// source terms + value slots, all as index/schema.hpp defines them.
// Pure CPU work with no database access, so it can run on worker threads.
#pragma once

#include "analysis/analyzer.hpp"
#include "analysis/terms.hpp"
#include "index/record.hpp"

#include <xapian.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace lede::indexer {

class DocumentBuilder {
public:
    /// Build the document of @p rec; words worth spelling data are appended to @p spellings.
    Xapian::Document build(const index::PassageRecord& rec, const std::string& article_term,
                           std::vector<std::string>& spellings);

    /// False in a parallel build, whose spelling data comes from the merged terms.
    bool collect_spellings = true;

private:
    const std::string& stem_of(const std::string& term);

    analysis::Analyzer analyzer_;
    analysis::TermMaker terms_;
    std::vector<analysis::Token> tokens_;
    std::unordered_map<std::string, std::string> stem_cache_;
};

}  // namespace lede::indexer
