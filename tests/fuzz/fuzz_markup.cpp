// Fuzz target: any bytes → indexer::decode, then the decoded text as an HTML
// page (extract_html), an HTML fragment (extract_html_fragment) and a feed
// (parse_feed).
//   decode: text valid UTF-8 without NUL; its origin maps into the input
//   extraction: text valid UTF-8 without NUL; origins inside the decoded
//               text, begin_of <= end_of for every run, composed maps inside the input
#include "fuzz_check.hpp"

#include "indexer/encoding.hpp"
#include "indexer/feed.hpp"
#include "indexer/html.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace {

using lede::indexer::OriginMap;

void check_origin(const OriginMap& m, std::size_t text_size, std::size_t source_size) {
    for (const auto& r : m.runs()) {
        FUZZ_CHECK(r.text_begin < r.text_end);
        FUZZ_CHECK(r.text_end <= text_size);
        FUZZ_CHECK(r.source_begin <= r.source_end);
        FUZZ_CHECK(r.source_end <= source_size);
    }
    for (std::size_t t : {std::size_t{0}, text_size / 2, text_size}) {
        FUZZ_CHECK(m.begin_of(t) <= source_size || m.identity());
        FUZZ_CHECK(m.end_of(t) <= source_size || m.identity());
    }
}

void check_article(const lede::indexer::ExtractedArticle& a, std::size_t markup_size, const OriginMap& decoded,
                   std::size_t input_size) {
    FUZZ_CHECK(lede::fuzz::valid_utf8(a.text));
    FUZZ_CHECK(a.text.find('\0') == std::string::npos);
    FUZZ_CHECK(lede::fuzz::valid_utf8(a.title));
    check_origin(a.origin, a.text.size(), markup_size);
    if (!a.origin.identity()) {
        check_origin(a.origin.through(decoded), a.text.size(), decoded.identity() ? markup_size : input_size);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string input(reinterpret_cast<const char*>(data), size);
    lede::indexer::Decoded d = lede::indexer::decode(input);
    FUZZ_CHECK(lede::fuzz::valid_utf8(d.text));
    FUZZ_CHECK(d.text.find('\0') == std::string::npos);
    if (d.origin.identity()) {
        // An identity map says text offsets are the input's; an empty text
        // (a file of a byte-order mark alone) has no offset to map.
        FUZZ_CHECK(d.text.size() == size || d.text.empty());
    } else {
        check_origin(d.origin, d.text.size(), size);
    }

    check_article(lede::indexer::extract_html(d.text), d.text.size(), d.origin, size);
    check_article(lede::indexer::extract_html_fragment(d.text), d.text.size(), d.origin, size);
    lede::indexer::Feed feed;
    std::string reason;
    if (lede::indexer::parse_feed(d.text, feed, reason)) {
        for (const auto& item : feed.items) {
            check_article(item, d.text.size(), d.origin, size);
        }
    } else {
        FUZZ_CHECK(!reason.empty());
    }
    return 0;
}
