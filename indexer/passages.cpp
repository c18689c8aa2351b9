#include "indexer/passages.hpp"

#include <algorithm>

namespace lede::indexer {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n'; }

struct Line {
    std::size_t begin;
    std::size_t end;  // without the line break
};

PassageSpan trim(std::string_view text, std::size_t b, std::size_t e) {
    while (b < e && is_space(static_cast<unsigned char>(text[b]))) {
        ++b;
    }
    while (e > b && is_space(static_cast<unsigned char>(text[e - 1]))) {
        --e;
    }
    return {b, e};
}

// A block of lines reads as one hard-wrapped paragraph (e-mail, Markdown,
// plain text wrapped at ~72 columns) when its typical line is short; when
// its lines are long, each line is a paragraph of its own (news feeds that
// put one paragraph per line, like corpus/).
bool hard_wrapped(std::string_view text, const std::vector<Line>& block) {
    std::vector<std::size_t> lens;  // of the prose lines: wire codes do not count
    for (const Line& l : block) {
        if (!is_non_prose(text.substr(l.begin, l.end - l.begin))) {
            lens.push_back(l.end - l.begin);
        }
    }
    if (lens.size() < 2) {
        return false;
    }
    std::nth_element(lens.begin(), lens.begin() + static_cast<std::ptrdiff_t>(lens.size() / 2), lens.end());
    return lens[lens.size() / 2] <= 100;
}

// Cut [b, e) into pieces of at most `max` bytes at spaces (or, lacking
// spaces, at UTF-8 character boundaries).
void cut_long(std::string_view text, std::size_t b, std::size_t e, std::size_t max, std::vector<PassageSpan>& out) {
    while (e - b > max) {
        std::size_t cut = b + max;
        std::size_t sp = cut;
        while (sp > b + max / 2 && !is_space(static_cast<unsigned char>(text[sp]))) {
            --sp;
        }
        if (sp > b + max / 2) {
            cut = sp;
        } else {
            while (cut > b && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
                --cut;
            }
            if (cut == b) {
                cut = b + max;  // no character boundary at all (invalid bytes): cut anyway
            }
        }
        PassageSpan s = trim(text, b, cut);
        if (s.begin < s.end) {
            out.push_back(s);
        }
        b = cut;
    }
    PassageSpan s = trim(text, b, e);
    if (s.begin < s.end) {
        out.push_back(s);
    }
}

void windows(std::string_view text, PassageSpan para, analysis::SentenceSplitter& splitter, const SegmentLimits& lim,
             std::vector<PassageSpan>& out) {
    auto sents = splitter.split(text.substr(para.begin, para.end - para.begin));
    std::size_t i = 0;
    while (i < sents.size()) {
        std::size_t b = para.begin + sents[i].first;
        std::size_t e = para.begin + sents[i].second;
        std::size_t n = 1;
        while (i + n < sents.size() && n < lim.window_sentences
               && para.begin + sents[i + n].second - b <= lim.window_target) {
            e = para.begin + sents[i + n].second;
            ++n;
        }
        cut_long(text, b, e, lim.hard_max, out);
        i += n;
    }
}

}  // namespace

bool is_non_prose(std::string_view line) {
    if (line.size() >= 80 || line.starts_with('#')) {
        return false;
    }
    // Beyond ASCII, ICU's word rules tell letters from punctuation (— « »)
    // in every script, and find the words of scripts written without spaces
    // (Chinese, Japanese, Thai), which have no space-separated words.
    if (!std::all_of(line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        return analysis::count_words(line) < 2;
    }
    int words = 0;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_space(static_cast<unsigned char>(line[i]))) {
            ++i;
        }
        int letters = 0;
        while (i < line.size() && !is_space(static_cast<unsigned char>(line[i]))) {
            auto c = static_cast<unsigned char>(line[i]);
            if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
                ++letters;
            }
            ++i;
        }
        if (letters >= 2) {
            ++words;
        }
    }
    return words < 2;
}

Segmentation segment(std::string_view text, analysis::SentenceSplitter& sentences, const SegmentLimits& limits) {
    Segmentation seg;
    std::vector<Line> block;
    auto flush = [&] {
        if (block.empty()) {
            return;
        }
        std::vector<PassageSpan> paras;
        if (hard_wrapped(text, block)) {
            // Leading wire codes stay out; the rest is one paragraph.
            std::size_t first = 0;
            while (first + 1 < block.size()
                   && is_non_prose(text.substr(block[first].begin, block[first].end - block[first].begin))) {
                ++seg.non_prose;
                ++first;
            }
            paras.push_back(trim(text, block[first].begin, block.back().end));
        } else {
            for (const Line& l : block) {
                paras.push_back(trim(text, l.begin, l.end));
            }
        }
        for (PassageSpan p : paras) {
            if (p.begin == p.end) {
                continue;
            }
            if (is_non_prose(text.substr(p.begin, p.end - p.begin))) {
                ++seg.non_prose;
            } else if (p.end - p.begin <= limits.paragraph_max) {
                seg.passages.push_back(p);
            } else {
                windows(text, p, sentences, limits, seg.passages);
            }
        }
        block.clear();
    };
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t nl = text.find('\n', pos);
        std::size_t end = nl == std::string_view::npos ? text.size() : nl;
        PassageSpan t = trim(text, pos, end);
        if (t.begin == t.end) {
            flush();
        } else {
            block.push_back({pos, end});
        }
        if (nl == std::string_view::npos) {
            break;
        }
        pos = nl + 1;
    }
    flush();
    return seg;
}

}  // namespace lede::indexer
