// Fuzz target: any string → query::parse → query::build → get_description(),
// and Matcher::match (the highlighter) on a fixed text and on the query itself.
//   parse throws nothing but lede::QuerySyntaxError (column within the query + 1)
//   build throws nothing but lede::QuerySyntaxError
//   match: spans begin < end <= text size, sorted, disjoint; hits sorted, with
//          positions >= 1 and leaves < Matcher::leaves()
#include "fuzz_check.hpp"

#include "analysis/analyzer.hpp"
#include "analysis/terms.hpp"
#include "query/build.hpp"
#include "query/parse.hpp"

#include <lede/error.hpp>

#include <xapian.h>

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

namespace {

// Names, stems, variants, Cyrillic, compounds, an address, numbers, initialisms.
constexpr std::string_view fixed_text =
    "Ukraine's lead negotiator, Rustem Umerov, said the first day of talks in Istanbul went well. "
    "Zelenskyy met Witkoff and Kushner; Зеленский и Умеров говорили о Луганске (Lugansk/Luhansk). "
    "The U.S.-Russia military-to-military channel reopened on Jan. 5, 2025: 55,000 prisoners, "
    "contact press@example.com. Kyiv\xE2\x80\x99s mayor O'Brien disagreed \xE2\x80\x94 \"security "
    "guarantees\" first, Dr. Dmitriev said. Ёлка, ёж, Київ, Їжак; 東京 and القاهرة too.";

void check_matches(const lede::query::Matcher& matcher, std::string_view text, lede::analysis::Analyzer& analyzer,
                   lede::analysis::TermMaker& terms) {
    lede::query::Matches m = matcher.match(text, analyzer, terms);
    std::size_t size = text.size();
    std::size_t prev_end = 0;
    bool first = true;
    for (const lede::Span& s : m.spans) {
        FUZZ_CHECK(s.begin < s.end);
        FUZZ_CHECK(s.end <= size);
        FUZZ_CHECK(first || s.begin > prev_end);  // merged: disjoint and not touching
        prev_end = s.end;
        first = false;
    }
    // Every hit is highlighted; a highlight need not be a hit: a name typed
    // with a capital, found in lower case, is highlighted but not counted
    // (query/match.hpp, Matches::hits).
    FUZZ_CHECK(m.hits.empty() || !m.spans.empty());
    for (std::size_t i = 0; i < m.hits.size(); ++i) {
        FUZZ_CHECK(m.hits[i].first >= 1);
        FUZZ_CHECK(m.hits[i].second >= 0);
        FUZZ_CHECK(static_cast<std::size_t>(m.hits[i].second) < matcher.leaves());
        FUZZ_CHECK(i == 0 || !(m.hits[i] < m.hits[i - 1]));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static lede::analysis::Analyzer analyzer;
    static lede::analysis::TermMaker terms;
    std::string q(reinterpret_cast<const char*>(data), size);

    lede::query::Node ast;
    try {
        ast = lede::query::parse(q);
    } catch (const lede::QuerySyntaxError& e) {
        FUZZ_CHECK(e.column() >= 1);
        FUZZ_CHECK(e.column() <= size + 1);
        FUZZ_CHECK(*e.what() != '\0');
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "parse threw %s\n", e.what());
        FUZZ_CHECK(!"parse threw an exception other than lede::QuerySyntaxError");
    } catch (...) {
        FUZZ_CHECK(!"parse threw a non-std exception");
    }
    (void)ast.describe();

    try {
        lede::query::BuiltQuery built = lede::query::build(ast, analyzer, terms);
        (void)built.query.get_description();
        (void)built.matcher.describe();
        check_matches(built.matcher, fixed_text, analyzer, terms);
        check_matches(built.matcher, q, analyzer, terms);
    } catch (const lede::QuerySyntaxError&) {
        // build may reject a filter value
    } catch (const Xapian::Error& e) {
        std::fprintf(stderr, "build threw Xapian %s: %s\n", e.get_type(), e.get_msg().c_str());
        FUZZ_CHECK(!"build threw a Xapian::Error");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "build threw %s\n", e.what());
        FUZZ_CHECK(!"build threw an exception other than lede::QuerySyntaxError");
    }
    return 0;
}
