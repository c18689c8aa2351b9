// Name variants: a transliteration-aware key under which spellings of one name
// meet (Umerov/Umyrov, Dmitriev/Dmitriyev, Zelensky/Zelenskyy/Zelenskiy,
// Lugansk/Luhansk, Зеленский). Rules live in rule_key(); pairs no rule can
// derive (Kiev/Kyiv, Witkoff/Уиткофф) come from data/aliases.txt.
#pragma once

#include <string>
#include <string_view>

namespace lede::analysis {

/// Latin transliteration of a normalized non-Latin word, lower-case a–z only
/// (Russian or Ukrainian BGN rules for Cyrillic, ICU Any-Latin otherwise).
/// Transliterators are built lazily, per thread, on first use.
std::string transliterate(std::string_view term);

/// The spelling-variant key of an a–z word ("" when the word is too short or
/// holds other characters). Pure function of its input.
std::string rule_key(std::string_view ascii_term);

/// The variant key of a normalized term (any script): transliteration, rules,
/// then the curated alias table. "" when the term gets no key.
std::string variant_key(std::string_view term, bool non_latin);

/// Version of the rules in rule_key() and variant_key(): bump it whenever they
/// change what key a word gets.
inline constexpr int variant_rules_version = 1;

/// The analysis settings that decide an index's terms and can change without a
/// new index format: a hash of the embedded data/aliases.txt and the
/// variant-rule version ("aliases:<hex>;rules:<n>"). Recorded in each index;
/// a search on an index written with another one warns.
std::string fingerprint();

}  // namespace lede::analysis
