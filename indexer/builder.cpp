#include "indexer/builder.hpp"

#include "analysis/sketch.hpp"
#include "index/dates.hpp"
#include "index/schema.hpp"

#include <unordered_set>

namespace lede::indexer {

using index::PassageRecord;

const std::string& DocumentBuilder::stem_of(const std::string& term) {
    if (stem_cache_.size() > 200000) {
        stem_cache_.clear();  // bound memory on huge vocabularies
    }
    auto [it, fresh] = stem_cache_.try_emplace(term);
    if (fresh) {
        it->second = terms_.stem(term);
    }
    return it->second;
}

Xapian::Document DocumentBuilder::build(const PassageRecord& rec, const std::string& article_term,
                                        std::vector<std::string>& spellings) {
    Xapian::Document doc;
    doc.set_data(index::encode(rec));
    doc.add_boolean_term(article_term);

    // Dates and sources as values: date: ranges and --sort read the first and
    // last day, --timeline and --by count values of one article each.
    const std::optional<index::Date> date = index::parse_stored_date(rec.date);
    if (date) {
        doc.add_value(index::slot_date, date->first_day());
    }
    doc.add_value(index::slot_period, index::period_value(date, index::article_hash(rec.article), rec.source));
    if (!rec.source.empty()) {
        doc.add_boolean_term(index::source_term(rec.source));
    }
    if (!rec.title.empty()) {
        tokens_.clear();
        analyzer_.tokenize(rec.title, tokens_);
        for (const analysis::Token& t : tokens_) {
            doc.add_term(index::title_term(t.term));
        }
    }
    doc.add_value(index::slot_order, index::order_key(rec.article, rec.passage));

    tokens_.clear();
    analyzer_.tokenize(rec.text, tokens_);
    doc.add_value(index::slot_sketch, analysis::encode(analysis::sketch(tokens_)));
    std::string z;
    std::string v;
    for (const analysis::Token& t : tokens_) {
        doc.add_term(t.term);  // no positions: phrases are checked on the text (query/verify.hpp)
        if (t.numeric) {
            continue;
        }
        const std::string& s = stem_of(t.term);
        if (s != t.term) {
            index::stem_term(z, s);
            doc.add_term(z);
        }
        if (analysis::TermMaker::wants_variant(t)) {
            std::string key = analysis::TermMaker::variant(t);
            if (!key.empty()) {
                index::variant_term(v, key);
                doc.add_term(v);
            }
        }
        if (collect_spellings && !t.compound && index::spelling_word(t.term)) {
            spellings.push_back(t.term);
        }
    }
    return doc;
}

}  // namespace lede::indexer
