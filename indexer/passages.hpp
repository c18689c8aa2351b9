// Passage segmentation: an article becomes paragraphs; long paragraphs and
// one-line documents become windows of a few sentences (ICU sentence breaks
// with an abbreviation list). Wire codes and tickers (non-prose lines) are
// kept out of passages and counted.
#pragma once

#include "analysis/sentences.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace lede::indexer {

struct PassageSpan {
    std::size_t begin = 0;  ///< byte offset in the article text
    std::size_t end = 0;
};

struct Segmentation {
    std::vector<PassageSpan> passages;
    std::size_t non_prose = 0;  ///< lines left out (wire codes, tickers, separators)
};

/// Limits of the segmentation (bytes).
struct SegmentLimits {
    std::size_t paragraph_max = 700;   ///< longer paragraphs are cut into sentence windows
    std::size_t window_target = 600;   ///< a window grows by whole sentences up to this size
    std::size_t window_sentences = 3;  ///< ... and at most this many sentences
    std::size_t hard_max = 1500;       ///< no passage is longer (long sentences cut at spaces)
};

/// Whether a one-line paragraph is a wire code or ticker rather than prose:
/// fewer than two words of two or more letters, short, and not a heading.
bool is_non_prose(std::string_view line);

/// Split @p text into passages.
Segmentation segment(std::string_view text, analysis::SentenceSplitter& sentences, const SegmentLimits& limits = {});

}  // namespace lede::indexer
