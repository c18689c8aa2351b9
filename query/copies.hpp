// Wire copies shown once: among a search's candidates, a passage whose text
// is a near copy of a better-ranked one (the same story reprinted by another
// outlet: another dateline, a dropped sentence, other quote marks) is folded
// into it. Each passage's sketch (analysis/sketch.hpp, value slot 6) is
// compared first; a close pair is confirmed on the two texts: most of their
// shingles in common (or the one's nearly all in the other's), and their own
// words — the words outside quotation marks — alike too, so two passages that
// share a quote but say different things, or put it in another mouth, stay
// apart.
// Nothing is assigned at index time: the folding is the same over one index
// or several shards, before and after updates.
#pragma once

#include "analysis/analyzer.hpp"
#include "analysis/sketch.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lede::query {

/// When two passages are copies (thresholds measured on bench/copies/labels.tsv,
/// docs/BENCHMARKS.md).
struct CopyRule {
    /// Sketches differing in at most this many of their 64 bits are compared on the text.
    int max_distance = 22;
    /// ... and are copies when this share of their shingles is common (Jaccard),
    double min_resemblance = 0.5;
    /// or this share of the smaller one's shingles is in the other's (a reprint
    /// that dropped sentences),
    double min_containment = 0.9;
    /// and when this share of the own words (outside quotation marks) of the
    /// one with fewer is among the other's,
    double min_own = 0.7;
    /// and at least this many shingles are common, unless all are (short
    /// passages differing in a word or two say different things: "-talk" / "-devel"),
    std::size_t min_common = 10;
    /// and, when set, no number was changed: both having numbers (tokens with
    /// a digit: counts, times, ids) the other lacks, past a dateline's words.
    bool numbers = true;
};

/// What the text stage compares of a passage.
struct Profile {
    std::vector<std::uint64_t> shingles;  ///< analysis::shingles()
    // Words as hashes (std::hash: compared within one search only), sorted, distinct.
    std::vector<std::size_t> own;           ///< words outside quotation marks
    std::vector<std::size_t> numbers;       ///< tokens with a digit
    std::vector<std::size_t> body_numbers;  ///< the same past the first dateline_words words
};
/// Words at the start of a passage where a reprint's dateline may differ ("KYIV, Feb 4 (Reuters) -").
inline constexpr std::size_t dateline_words = 8;
/// The profile of a passage from its text and its tokens.
Profile profile(std::string_view text, const std::vector<analysis::Token>& tokens);

/// How alike two profiles are.
struct Similarity {
    double resemblance = 0.0;      ///< Jaccard of the shingles
    double containment = 0.0;      ///< shared shingles / the smaller set's
    double own = 0.0;              ///< shared own words / the smaller set's (1 when both have none)
    std::size_t common = 0;        ///< shared shingles
    bool numbers_changed = false;  ///< each has numbers past its dateline that the other lacks
};
Similarity similarity(const Profile& a, const Profile& b);
/// The text stage of the rule.
bool alike(const Similarity& s, const CopyRule& rule = {});

/// The first stage: whether two sketches may be copies. Short passages
/// (Sketch::exact()) only of a passage with the same words.
bool sketches_near(const analysis::Sketch& a, const analysis::Sketch& b, const CopyRule& rule = {});

/// Both stages on two passages' texts, tokens and sketches.
bool are_copies(std::string_view text_a, const std::vector<analysis::Token>& ta, const analysis::Sketch& a,
                std::string_view text_b, const std::vector<analysis::Token>& tb, const analysis::Sketch& b,
                const CopyRule& rule = {});

/// The passages kept (shown, or skipped by --offset) so far in rank order, for
/// finding which one a later candidate copies.
class CopyIndex {
public:
    explicit CopyIndex(analysis::Analyzer& analyzer, CopyRule rule = {}) : analyzer_(analyzer), rule_(rule) {}

    /// The number of the kept passage (0-based, in the order added) that the
    /// passage (@p sketch, @p text, of article @p article) copies: the
    /// best-ranked one it matches, never one of the same article. Nothing
    /// when it is no copy or has no sketch (an index written before sketches).
    /// @p tokens: the text's tokens when the caller has them (else the text
    /// is analysed when a sketch is near); they must outlive this index.
    std::optional<std::size_t> original_of(const std::optional<analysis::Sketch>& sketch, std::string_view text,
                                           std::string_view article,
                                           const std::vector<analysis::Token>* tokens = nullptr);

    /// Keep a passage; returns its number.
    std::size_t add(const std::optional<analysis::Sketch>& sketch, std::string_view text, std::string_view article,
                    const std::vector<analysis::Token>* tokens = nullptr);

private:
    struct Kept {
        std::optional<analysis::Sketch> sketch;
        std::string text;
        std::string article;
        const std::vector<analysis::Token>* tokens = nullptr;  // of text, when given
        std::optional<Profile> profile;                        // of text, when first needed
    };
    const Profile& profile_of(Kept& k);

    analysis::Analyzer& analyzer_;
    CopyRule rule_;
    std::vector<Kept> kept_;
    std::vector<analysis::Token> toks_;
};

}  // namespace lede::query
