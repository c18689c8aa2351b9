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
    // The terms a word gives beside itself, made once per word (one lookup per token).
    struct WordTerms {
        std::string stem;     // "Z" + its stem, "" when the stem is the word
        std::string variant;  // "V" + its variant key as a Latin name ("" when none)
        bool variant_made = false;
    };
    WordTerms& word_terms(const std::string& term);
    // What every passage of an article shares, made once per article.
    void article_fields(const index::PassageRecord& rec);

    analysis::Analyzer analyzer_;
    analysis::TermMaker terms_;
    std::vector<analysis::Token> tokens_;
    std::unordered_map<std::string, WordTerms> word_cache_;
    // The article the fields below were made for (its key, title, date, source).
    std::string article_;
    std::string title_;
    std::string date_;
    std::string source_;
    bool have_article_ = false;
    std::vector<std::string> title_terms_;
    std::string date_value_;  // slot_date ("" when undated)
    std::string period_value_;
};

}  // namespace lede::indexer
