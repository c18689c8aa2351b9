// Fuzz target: any bytes → indexer::segment (default limits and small limits)
// and indexer::repair_utf8.
//   passages: begin < end <= size, in order, not overlapping, <= hard_max bytes
//   repair_utf8: same length, valid UTF-8 without NUL, the return value counts
//                the changed bytes, valid input is left alone
//   PieceReader: pieces in order, within their size, valid UTF-8, together
//                the repaired input (unless a line was skipped for its length)
#include "fuzz_check.hpp"

#include "analysis/sentences.hpp"
#include "indexer/passages.hpp"
#include "indexer/reader.hpp"
#include "indexer/source.hpp"

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

namespace {

void check_segmentation(std::string_view text, lede::analysis::SentenceSplitter& splitter,
                        const lede::indexer::SegmentLimits& limits) {
    lede::indexer::Segmentation seg = lede::indexer::segment(text, splitter, limits);
    std::size_t prev_end = 0;
    for (const auto& p : seg.passages) {
        FUZZ_CHECK(p.begin < p.end);
        FUZZ_CHECK(p.end <= text.size());
        FUZZ_CHECK(p.begin >= prev_end);
        FUZZ_CHECK(p.end - p.begin <= limits.hard_max);
        prev_end = p.end;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static lede::analysis::SentenceSplitter splitter;
    std::string_view text(reinterpret_cast<const char*>(data), size);

    // The defaults the indexer uses (hard_max 1500), on raw bytes.
    lede::indexer::SegmentLimits defaults;
    FUZZ_CHECK(defaults.hard_max == 1500);
    check_segmentation(text, splitter, defaults);

    // repair_utf8: what load_text does before segmenting.
    std::string repaired(text);
    std::size_t bad = lede::indexer::repair_utf8(repaired);
    FUZZ_CHECK(repaired.size() == size);
    FUZZ_CHECK(lede::fuzz::valid_utf8(repaired));
    FUZZ_CHECK(repaired.find('\0') == std::string::npos);
    std::size_t changed = 0;
    for (std::size_t i = 0; i < size; ++i) {
        if (repaired[i] != text[i]) {
            FUZZ_CHECK(repaired[i] == '?');
            ++changed;
        }
    }
    FUZZ_CHECK(changed == bad);
    if (lede::fuzz::valid_utf8(text) && text.find('\0') == std::string_view::npos) {
        FUZZ_CHECK(bad == 0);
    }

    // Small limits, so that short inputs reach the sentence windows and the
    // long-sentence cutting as well.
    lede::indexer::SegmentLimits small;
    small.paragraph_max = 60;
    small.window_target = 50;
    small.window_sentences = 2;
    small.hard_max = 80;
    check_segmentation(repaired, splitter, small);

    // Streaming (indexer/reader.hpp) with small pieces: the pieces are the
    // repaired input, in order, each within the piece size (a JSON line
    // within the line limit, or skipped by number), each cut at a boundary.
    for (auto cut : {lede::indexer::Cut::paragraph, lede::indexer::Cut::line}) {
        std::string input(text);
        std::istringstream in(input);
        lede::indexer::PieceReader reader(in, {}, cut, 64, 256);
        std::string piece;
        std::string joined;
        std::size_t offset = 0;
        std::size_t lines = 0;
        std::size_t skipped = 0;
        std::size_t expect_offset = 0;
        while (reader.next(piece, offset, lines)) {
            skipped += reader.take_skipped().size();
            FUZZ_CHECK(!piece.empty());
            FUZZ_CHECK(offset >= expect_offset);
            FUZZ_CHECK(offset + piece.size() <= size);
            FUZZ_CHECK(piece.size() <= (cut == lede::indexer::Cut::line ? 256 + 64 : 64));
            FUZZ_CHECK(lede::fuzz::valid_utf8(piece));
            FUZZ_CHECK(piece.find('\0') == std::string::npos);
            FUZZ_CHECK(offset + piece.size() == size || cut == lede::indexer::Cut::paragraph || piece.back() == '\n');
            expect_offset = offset + piece.size();
            joined += piece;
        }
        skipped += reader.take_skipped().size();
        FUZZ_CHECK(!reader.error());
        if (skipped == 0) {
            std::string whole(text);
            if (whole.starts_with("\xEF\xBB\xBF")) {
                whole.erase(0, 3);
            }
            lede::indexer::repair_utf8(whole);
            FUZZ_CHECK(joined == whole);
        }
    }
    return 0;
}
