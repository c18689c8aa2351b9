#include "indexer/encoding.hpp"

#include "analysis/utf8.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace lede::indexer {

void OriginMap::add(std::size_t text_begin, std::size_t text_end, std::size_t source_begin, std::size_t source_end) {
    if (text_end <= text_begin) {
        return;
    }
    source_end = std::max(source_end, source_begin);
    if (!runs_.empty()) {
        Run& last = runs_.back();
        // Contiguous verbatim runs merge (long text nodes arrive in chunks).
        if (last.text_end == text_begin && last.source_end == source_begin
            && last.text_end - last.text_begin == last.source_end - last.source_begin
            && text_end - text_begin == source_end - source_begin) {
            last.text_end = text_end;
            last.source_end = source_end;
            return;
        }
    }
    runs_.push_back({text_begin, text_end, source_begin, source_end});
}

namespace {

std::size_t interpolate(const OriginMap::Run& r, std::size_t t) {
    std::size_t tl = r.text_end - r.text_begin;
    std::size_t sl = r.source_end - r.source_begin;
    std::size_t d = t - r.text_begin;
    if (tl == sl) {
        return r.source_begin + d;
    }
    return r.source_begin
           + static_cast<std::size_t>(static_cast<double>(d) * static_cast<double>(sl) / static_cast<double>(tl));
}

}  // namespace

std::size_t OriginMap::begin_of(std::size_t t) const {
    if (runs_.empty()) {
        return t;
    }
    // The last run starting at or before t.
    auto it =
        std::upper_bound(runs_.begin(), runs_.end(), t, [](std::size_t v, const Run& r) { return v < r.text_begin; });
    if (it == runs_.begin()) {
        return runs_.front().source_begin;
    }
    const Run& r = *std::prev(it);
    if (t < r.text_end) {
        return interpolate(r, t);
    }
    return it != runs_.end() ? it->source_begin : r.source_end;
}

std::size_t OriginMap::end_of(std::size_t t) const {
    if (runs_.empty()) {
        return t;
    }
    // The last run starting before t.
    auto it =
        std::lower_bound(runs_.begin(), runs_.end(), t, [](const Run& r, std::size_t v) { return r.text_begin < v; });
    if (it == runs_.begin()) {
        return runs_.front().source_begin;
    }
    const Run& r = *std::prev(it);
    return t < r.text_end ? interpolate(r, t) : r.source_end;
}

OriginMap OriginMap::through(const OriginMap& outer) const {
    if (outer.identity()) {
        return *this;
    }
    if (identity()) {
        return outer;
    }
    OriginMap m;
    m.runs_.reserve(runs_.size());
    for (const Run& r : runs_) {
        std::size_t b = outer.begin_of(r.source_begin);
        std::size_t e = std::max(b, outer.end_of(r.source_end));
        m.runs_.push_back({r.text_begin, r.text_end, b, e});
    }
    return m;
}

OriginMap OriginMap::shifted(std::size_t delta) const {
    OriginMap m = *this;
    for (Run& r : m.runs_) {
        r.source_begin += delta;
        r.source_end += delta;
    }
    return m;
}

namespace {

std::string lower(std::string_view s) {
    std::string o(s);
    std::transform(o.begin(), o.end(), o.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return o;
}

bool name_char(unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == ':'; }

// The value after "charset" or "encoding" at @p pos: optional spaces, '=',
// optional quote, then a charset name.
std::string value_after(const std::string& s, std::size_t pos) {
    while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos]))) {
        ++pos;
    }
    if (pos >= s.size() || s[pos] != '=') {
        return {};
    }
    ++pos;
    while (pos < s.size() && (std::isspace(static_cast<unsigned char>(s[pos])) || s[pos] == '"' || s[pos] == '\'')) {
        ++pos;
    }
    std::size_t b = pos;
    while (pos < s.size() && name_char(static_cast<unsigned char>(s[pos]))) {
        ++pos;
    }
    return s.substr(b, pos - b);
}

}  // namespace

std::string declared_charset(std::string_view bytes) {
    std::string head = lower(bytes.substr(0, 2048));
    std::size_t start = head.find_first_not_of(" \t\r\n");
    if (start == std::string::npos || head[start] != '<') {
        return {};
    }
    if (head.compare(start, 5, "<?xml") == 0) {
        std::size_t end = head.find("?>", start);
        std::size_t enc = head.find("encoding", start);
        if (enc != std::string::npos && (end == std::string::npos || enc < end)) {
            return value_after(head, enc + 8);
        }
    }
    for (std::size_t m = head.find("<meta"); m != std::string::npos; m = head.find("<meta", m + 5)) {
        std::size_t end = head.find('>', m);
        std::string tag = head.substr(m, end == std::string::npos ? std::string::npos : end - m);
        for (std::size_t c = tag.find("charset"); c != std::string::npos; c = tag.find("charset", c + 7)) {
            std::string v = value_after(tag, c + 7);
            if (!v.empty()) {
                return v;
            }
        }
    }
    return {};
}

namespace {

enum class Bom { none, utf8, utf16le, utf16be, utf32le, utf32be };

Bom bom_of(std::string_view b) {
    auto at = [&](std::size_t i) { return i < b.size() ? static_cast<unsigned char>(b[i]) : 0x100U; };
    if (at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) {
        return Bom::utf8;
    }
    if (at(0) == 0xFF && at(1) == 0xFE) {
        return at(2) == 0 && at(3) == 0 ? Bom::utf32le : Bom::utf16le;
    }
    if (at(0) == 0xFE && at(1) == 0xFF) {
        return Bom::utf16be;
    }
    if (at(0) == 0 && at(1) == 0 && at(2) == 0xFE && at(3) == 0xFF) {
        return Bom::utf32be;
    }
    return Bom::none;
}

// BOM-less UTF-16 of mostly Latin text: NUL in one byte of most pairs, and
// only in that one. "UTF-16LE", "UTF-16BE" or "".
const char* utf16_without_bom(std::string_view b) {
    std::size_t n = std::min<std::size_t>(b.size(), 4096) & ~std::size_t{1};
    if (n < 16) {
        return "";
    }
    std::size_t even = 0;
    std::size_t odd = 0;
    for (std::size_t i = 0; i < n; i += 2) {
        even += b[i] == '\0' ? 1 : 0;
        odd += b[i + 1] == '\0' ? 1 : 0;
    }
    std::size_t pairs = n / 2;
    if (odd * 10 >= pairs * 6 && even == 0) {
        return "UTF-16LE";
    }
    if (even * 10 >= pairs * 6 && odd == 0) {
        return "UTF-16BE";
    }
    return "";
}

struct ConverterCloser {
    void operator()(UConverter* c) const { ucnv_close(c); }
};

// Valid UTF-8 apart from NUL bytes (which are replaced, not decoded).
bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = analysis::utf8_sequence(s, i);
        if (n == 0) {
            return false;
        }
        i += n;
    }
    return true;
}

std::size_t replace_nul(std::string& s) {
    std::size_t n = 0;
    for (char& c : s) {
        if (c == '\0') {
            c = '?';
            ++n;
        }
    }
    return n;
}

}  // namespace

bool wide_unicode(std::string_view bytes) {
    Bom b = bom_of(bytes);
    return (b != Bom::none && b != Bom::utf8) || *utf16_without_bom(bytes) != '\0';
}

bool convert(std::string_view bytes, const std::string& charset, std::string& out, OriginMap& origin,
             std::size_t source_offset) {
    UErrorCode err = U_ZERO_ERROR;
    std::unique_ptr<UConverter, ConverterCloser> cnv(ucnv_open(charset.c_str(), &err));
    if (U_FAILURE(err) || !cnv) {
        return false;
    }
    out.clear();
    out.reserve(bytes.size() + bytes.size() / 2);
    constexpr std::size_t chunk = 16384;
    std::vector<UChar> target(chunk);
    std::vector<int32_t> offsets(chunk);
    const char* base = bytes.data();
    const char* src = base;
    const char* limit = base + bytes.size();
    // A run per line: [run_text, out.size()) came from [run_src, src offset).
    std::size_t run_text = 0;
    std::size_t run_src = source_offset;
    UChar32 pending_high = 0;
    std::size_t pending_src = 0;
    bool line_start = false;
    for (;;) {
        UChar* t = target.data();
        const char* call_src = src;
        err = U_ZERO_ERROR;
        ucnv_toUnicode(cnv.get(), &t, target.data() + target.size(), &src, limit, offsets.data(), true, &err);
        if (U_FAILURE(err) && err != U_BUFFER_OVERFLOW_ERROR) {
            return false;
        }
        auto produced = static_cast<std::size_t>(t - target.data());
        for (std::size_t i = 0; i < produced; ++i) {
            UChar32 c = target[i];
            std::size_t at =
                static_cast<std::size_t>(call_src - base) + static_cast<std::size_t>(std::max(0, offsets[i]));
            if (U16_IS_LEAD(c)) {
                pending_high = c;
                pending_src = at;
                continue;
            }
            if (U16_IS_TRAIL(c) && pending_high != 0) {
                c = U16_GET_SUPPLEMENTARY(pending_high, c);
                at = pending_src;
            } else if (U16_IS_SURROGATE(c)) {
                c = 0xFFFD;
            }
            pending_high = 0;
            if (c == 0) {
                c = '?';
            }
            if (line_start) {
                // A run per line: the previous one ends where this character starts.
                std::size_t src_at = std::max(source_offset + at, run_src);
                origin.add(run_text, out.size(), run_src, src_at);
                run_text = out.size();
                run_src = src_at;
                line_start = false;
            }
            char buf[4];
            int32_t len = 0;
            U8_APPEND_UNSAFE(reinterpret_cast<std::uint8_t*>(buf), len, c);
            out.append(buf, static_cast<std::size_t>(len));
            line_start = c == '\n';
        }
        if (err != U_BUFFER_OVERFLOW_ERROR && src >= limit) {
            break;
        }
    }
    origin.add(run_text, out.size(), run_src, source_offset + bytes.size());
    return true;
}

Decoded decode(std::string input, int min_confidence) {
    Decoded d;
    std::string_view bytes = input;
    Bom bom = bom_of(bytes);
    if (bom != Bom::none) {
        static constexpr const char* names[] = {"", "UTF-8", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"};
        static constexpr std::size_t lens[] = {0, 3, 2, 2, 4, 4};
        auto k = static_cast<std::size_t>(bom);
        d.charset = names[k];
        d.how = DecodedAs::bom;
        std::string_view rest = bytes.substr(lens[k]);
        if (bom == Bom::utf8 && valid_utf8(rest)) {
            std::size_t size = bytes.size();
            input.erase(0, 3);
            d.text = std::move(input);
            d.repaired = replace_nul(d.text);
            d.origin.add(0, d.text.size(), lens[k], size);
            return d;
        }
        if (convert(rest, d.charset, d.text, d.origin, lens[k])) {
            return d;
        }
    }
    if (const char* wide = utf16_without_bom(bytes); *wide != '\0') {
        d.text.clear();
        if (convert(bytes, wide, d.text, d.origin)) {
            d.charset = wide;
            d.how = DecodedAs::detected;
            return d;
        }
    }
    if (valid_utf8(bytes)) {
        d.text = std::move(input);
        d.charset = "UTF-8";
        d.how = DecodedAs::utf8;
        d.repaired = replace_nul(d.text);
        return d;
    }
    std::string declared = declared_charset(bytes);
    if (!declared.empty() && lower(declared) != "utf-8" && lower(declared) != "utf8"
        && !lower(declared).starts_with("utf-16") && !lower(declared).starts_with("utf-32")) {
        d.text.clear();
        d.origin = {};
        if (convert(bytes, declared, d.text, d.origin)) {
            d.charset = declared;
            d.how = DecodedAs::declared;
            return d;
        }
    }
    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector* det = ucsdet_open(&err);
    if (U_SUCCESS(err)) {
        auto len = static_cast<int32_t>(std::min<std::size_t>(bytes.size(), 65536));
        ucsdet_setText(det, bytes.data(), len, &err);
        const UCharsetMatch* m = U_SUCCESS(err) ? ucsdet_detect(det, &err) : nullptr;
        if (m != nullptr && U_SUCCESS(err)) {
            int conf = ucsdet_getConfidence(m, &err);
            const char* name = ucsdet_getName(m, &err);
            if (U_SUCCESS(err) && name != nullptr && conf >= min_confidence && lower(name) != "utf-8") {
                d.text.clear();
                d.origin = {};
                if (convert(bytes, name, d.text, d.origin)) {
                    d.charset = name;
                    d.how = DecodedAs::detected;
                    d.confidence = conf;
                    ucsdet_close(det);
                    return d;
                }
            }
        }
        ucsdet_close(det);
    }
    d.text = std::move(input);
    d.origin = {};
    d.charset = "UTF-8";
    d.how = DecodedAs::repaired;
    d.repaired = repair_utf8(d.text);
    return d;
}

std::size_t repair_utf8(std::string& s) {
    std::size_t bad = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = s[i] == '\0' ? 0 : analysis::utf8_sequence(s, i);
        if (n == 0) {
            s[i] = '?';
            ++bad;
            n = 1;
        }
        i += n;
    }
    return bad;
}

}  // namespace lede::indexer
