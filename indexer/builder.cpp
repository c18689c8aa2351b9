#include "indexer/builder.hpp"

#include "analysis/sketch.hpp"
#include "index/dates.hpp"
#include "index/schema.hpp"

#include <unordered_set>

namespace lede::indexer {

using index::PassageRecord;

DocumentBuilder::WordTerms& DocumentBuilder::word_terms(const std::string& term) {
    if (word_cache_.size() > 200000) {
        word_cache_.clear();  // bound memory on huge vocabularies
    }
    if (word_cache_.bucket_count() < 1U << 16) {
        word_cache_.reserve(1U << 16);  // no rehashing while a build's vocabulary grows
    }
    auto [it, fresh] = word_cache_.try_emplace(term);
    if (fresh) {
        std::string s = terms_.stem(term);
        if (s != term) {
            index::stem_term(it->second.stem, s);
        }
    }
    return it->second;
}

void DocumentBuilder::article_fields(const PassageRecord& rec) {
    if (have_article_ && rec.article == article_ && rec.title == title_ && rec.date == date_ && rec.source == source_) {
        return;
    }
    have_article_ = true;
    article_ = rec.article;
    title_ = rec.title;
    date_ = rec.date;
    source_ = rec.source;
    title_terms_.clear();
    if (!rec.title.empty()) {
        tokens_.clear();
        analyzer_.tokenize(rec.title, tokens_);
        for (const analysis::Token& t : tokens_) {
            title_terms_.push_back(index::title_term(t.term));
        }
    }
    // Dates and sources as values: date: ranges and --sort read the first and
    // last day, --timeline and --by count values of one article each.
    const std::optional<index::Date> date = index::parse_stored_date(rec.date);
    date_value_ = date ? date->first_day() : std::string();
    period_value_ = index::period_value(date, index::article_hash(rec.article), rec.source);
}

Xapian::Document DocumentBuilder::build(const PassageRecord& rec, const std::string& article_term,
                                        std::vector<std::string>& spellings) {
    Xapian::Document doc;
    index::store(doc, rec);
    doc.add_boolean_term(article_term);

    article_fields(rec);
    if (!date_value_.empty()) {
        doc.add_value(index::slot_date, date_value_);
    }
    doc.add_value(index::slot_period, period_value_);
    if (!rec.source.empty()) {
        doc.add_boolean_term(index::source_term(rec.source));
    }
    for (const std::string& t : title_terms_) {
        doc.add_term(t);
    }
    doc.add_value(index::slot_order, index::order_key(rec.article, rec.passage));

    tokens_.clear();
    analyzer_.tokenize(rec.text, tokens_);
    doc.add_value(index::slot_sketch, analysis::encode(analysis::sketch(tokens_)));
    std::string v;
    for (const analysis::Token& t : tokens_) {
        doc.add_term(t.term);  // no positions: phrases are checked on the text (query/verify.hpp)
        if (t.numeric) {
            continue;
        }
        WordTerms& w = word_terms(t.term);
        if (!w.stem.empty()) {
            doc.add_term(w.stem);
        }
        if (analysis::TermMaker::wants_variant(t)) {
            if (t.non_latin) {
                // (not cached: whether a word is non-Latin is its raw form's)
                if (std::string key = analysis::TermMaker::variant(t); !key.empty()) {
                    index::variant_term(v, key);
                    doc.add_term(v);
                }
            } else {
                if (!w.variant_made) {
                    w.variant_made = true;
                    if (std::string key = analysis::TermMaker::variant(t); !key.empty()) {
                        index::variant_term(w.variant, key);
                    }
                }
                if (!w.variant.empty()) {
                    doc.add_term(w.variant);
                }
            }
        }
        if (collect_spellings && !t.compound && index::spelling_word(t.term)) {
            spellings.push_back(t.term);
        }
    }
    return doc;
}

}  // namespace lede::indexer
