// Sentence boundaries for passage windows: ICU's sentence rules plus a list of
// abbreviations after which a period does not end a sentence (Mr., Dr., Gen.,
// U.S., ...). ICU alone breaks after "Dr." and "Gen." (see
// docs/ANALYSIS.md); the suppression list fixes that.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace lede::analysis {

/// The number of words in @p text by ICU's word rules: words of letters of
/// two characters or more, and words of kana or ideographs of any length
/// (dictionary segmentation for scripts written without spaces, such as
/// Chinese, Japanese and Thai). Numbers and punctuation do not count.
/// Thread-safe: each thread has its own break iterator.
std::size_t count_words(std::string_view text);

/// Splits text into sentences. Not thread-safe: one per thread.
class SentenceSplitter {
public:
    SentenceSplitter();
    ~SentenceSplitter();
    SentenceSplitter(const SentenceSplitter&) = delete;
    SentenceSplitter& operator=(const SentenceSplitter&) = delete;

    /// Byte ranges [begin, end) of the sentences of @p text, trimmed of
    /// surrounding white space, covering all non-space text in order.
    std::vector<std::pair<std::size_t, std::size_t>> split(std::string_view text);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lede::analysis
