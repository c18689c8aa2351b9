#include "analysis/analyzer.hpp"

#include "analysis/ascii_words.hpp"
#include "analysis/icu.hpp"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>

#include <algorithm>

namespace lede::analysis {
namespace {

bool is_word_hyphen(std::string_view sep) {
    // "-", U+2010 HYPHEN, U+2011 NON-BREAKING HYPHEN. Dashes (– —) separate
    // clauses and ranges, not compound parts.
    return sep == "-" || sep == "\xE2\x80\x90" || sep == "\xE2\x80\x91";
}

// Apostrophe look-alikes folded to ' so Kyiv’s == Kyiv's.
bool is_apostrophe(UChar32 c) {
    return c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x2032 || c == 0xFF07 || c == 0x0060 || c == 0x00B4;
}

// Latin letters without a canonical decomposition, folded by hand.
const char16_t* fold_special_latin(UChar32 c) {
    switch (c) {
    case 0x0142: return u"l";   // ł
    case 0x00F8: return u"o";   // ø
    case 0x0111: return u"d";   // đ
    case 0x0127: return u"h";   // ħ
    case 0x00E6: return u"ae";  // æ
    case 0x0153: return u"oe";  // œ
    case 0x00FE: return u"th";  // þ
    case 0x00F0: return u"d";   // ð
    case 0x0131: return u"i";   // dotless ı
    default: return nullptr;
    }
}

// "u.s" → "us", "e.g" → "eg": single letters joined by dots are one word.
void join_initialisms(std::string& t) {
    if (t.find('.') == std::string::npos || t.size() < 3) {
        return;
    }
    for (std::size_t i = 0; i < t.size(); ++i) {
        bool letter_slot = (i % 2 == 0);
        if (letter_slot ? !(t[i] >= 'a' && t[i] <= 'z') : t[i] != '.') {
            return;
        }
    }
    std::erase(t, '.');
}

}  // namespace

struct Analyzer::Impl {
    std::unique_ptr<icu::BreakIterator> words;  // made at the first text ascii_words() cannot take
    const icu::Normalizer2* nfkc_cf = nullptr;
    const icu::Normalizer2* nfd = nullptr;
    const icu::Normalizer2* nfc = nullptr;
    UText text = UTEXT_INITIALIZER;
    icu::UnicodeString ascii;  // an ASCII text as UTF-16: the same offsets, and a faster UText than UTF-8's

    Impl() {
        UErrorCode st = U_ZERO_ERROR;
        nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(st);
        check_icu(st, "loading NFKC_Casefold");
        nfd = icu::Normalizer2::getNFDInstance(st);
        nfc = icu::Normalizer2::getNFCInstance(st);
        check_icu(st, "loading NFD/NFC");
    }
    ~Impl() { utext_close(&text); }

    icu::BreakIterator& word_breaks() {
        if (!words) {
            UErrorCode st = U_ZERO_ERROR;
            // Locale("") is the root locale (what Locale::getRoot() returns),
            // without ICU's cache of common locales that getRoot() builds first.
            words.reset(icu::BreakIterator::createWordInstance(icu::Locale(""), st));
            check_icu(st, "creating the word break iterator");
        }
        return *words;
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    // Unicode path of normalize_word: typographic folding, NFKC_Casefold,
    // Latin diacritics removed, ё→е; й, ї, є stay (they are letters, not accents).
    std::string fold_unicode(std::string_view word) {
        icu::UnicodeString u = to_unicode(word);
        for (int32_t i = 0; i < u.length(); ++i) {
            if (is_apostrophe(u.charAt(i))) {
                u.setCharAt(i, u'\'');
            }
        }
        UErrorCode st = U_ZERO_ERROR;
        icu::UnicodeString folded = nfkc_cf->normalize(u, st);
        icu::UnicodeString decomposed = nfd->normalize(folded, st);
        check_icu(st, "normalizing a word");
        icu::UnicodeString out;
        UChar32 base = 0;
        for (int32_t i = 0; i < decomposed.length();) {
            UChar32 c = decomposed.char32At(i);
            i += U16_LENGTH(c);
            if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK) {
                UErrorCode se = U_ZERO_ERROR;
                bool latin_base = uscript_getScript(base, &se) == USCRIPT_LATIN;
                bool yo = base == 0x0435 && c == 0x0308;  // е + diaeresis = ё → е
                if (latin_base || yo) {
                    continue;
                }
                out.append(c);
                continue;
            }
            base = c;
            if (const char16_t* rep = fold_special_latin(c)) {
                out.append(rep);
            } else {
                out.append(c);
            }
        }
        icu::UnicodeString composed = nfc->normalize(out, st);
        check_icu(st, "composing a word");
        return to_utf8(composed);
    }
};

Analyzer::Analyzer() : impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;

// The passes over a lower-cased word for the marks it holds (quote, dot,
// comma: which of ' . , it has): possessives and apostrophes, the digit
// groups of a number, an initialism's dots.
static void strip_marks(std::string& t, bool numeric, bool quote, bool dot, bool comma) {
    if (quote) {
        // Possessives: Kyiv's → kyiv, officials' → officials.
        if (t.size() > 2 && t.ends_with("'s")) {
            t.resize(t.size() - 2);
        }
        while (!t.empty() && t.back() == '\'') {
            t.pop_back();
        }
    }
    if (numeric) {
        if (comma) {
            std::erase(t, ',');  // 55,000 → 55000
        }
    } else if (dot) {
        join_initialisms(t);
    }
    if (quote) {
        std::erase(t, '\'');  // O'Brien → obrien, don't → dont
    }
}

std::string Analyzer::normalize_word(std::string_view word, bool numeric) {
    std::string t;
    // Which of ' . , the word holds (ASCII: seen while lower-casing; else
    // assumed): most words have none, and skip the passes that remove them.
    bool quote = true;
    bool dot = true;
    bool comma = true;
    if (is_ascii(word)) {
        t.assign(word);
        quote = dot = comma = false;
        for (char& c : t) {
            if (c >= 'A' && c <= 'Z') {
                c = static_cast<char>(c - 'A' + 'a');
            } else if (c == '`' || c == '\'') {
                c = '\'';
                quote = true;
            } else if (c == '.') {
                dot = true;
            } else if (c == ',') {
                comma = true;
            }
        }
    } else {
        t = impl_->fold_unicode(word);
    }
    strip_marks(t, numeric, quote, dot, comma);
    if (t.empty() || t.size() > max_term_bytes) {
        return {};
    }
    return t;
}

namespace {

bool starts_upper(std::string_view w) {
    auto c0 = static_cast<unsigned char>(w[0]);
    if (c0 < 0x80) {
        return c0 >= 'A' && c0 <= 'Z';
    }
    UChar32 c = 0;
    int32_t i = 0;
    U8_NEXT(reinterpret_cast<const uint8_t*>(w.data()), i, static_cast<int32_t>(w.size()), c);
    return c >= 0 && (u_isupper(c) || u_istitle(c));
}

bool has_non_latin_letter(std::string_view w) {
    if (is_ascii(w)) {
        return false;
    }
    const auto* s = reinterpret_cast<const uint8_t*>(w.data());
    auto n = static_cast<int32_t>(w.size());
    for (int32_t i = 0; i < n;) {
        UChar32 c = 0;
        U8_NEXT(s, i, n, c);
        if (c >= 0 && u_isalpha(c)) {
            UErrorCode st = U_ZERO_ERROR;
            UScriptCode sc = uscript_getScript(c, &st);
            if (sc != USCRIPT_LATIN && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED) {
                return true;
            }
        }
    }
    return false;
}

// An e-mail address is one ICU word (press@example.com); its local part and
// domain are findable too, as extra tokens at the same position.
void add_address_parts(std::vector<Token>& out) {
    const Token& whole = out.back();
    std::size_t at = whole.term.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= whole.term.size()) {
        return;
    }
    Token local = whole;
    local.term = whole.term.substr(0, at);
    local.compound = true;
    Token domain = whole;
    domain.term = whole.term.substr(at + 1);
    domain.compound = true;
    out.push_back(std::move(local));
    out.push_back(std::move(domain));
}

}  // namespace

void Analyzer::tokenize(std::string_view text, std::vector<Token>& out, std::uint32_t first_position) {
    if (out.empty()) {
        // About a word per 6 bytes of prose: one allocation instead of the
        // regrowths (each moving every token) of a passage's fresh vector.
        out.reserve(text.size() / 6 + 4);
    }
    std::uint32_t pos = first_position;
    std::size_t chain_first = 0;  // index in `out` of the first part of a hyphen chain
    std::size_t chain_len = 0;
    auto close_chain = [&] {
        if (chain_len >= 2) {
            Token whole = out[chain_first];
            whole.compound = true;
            whole.term.clear();
            for (std::size_t i = chain_first; i < out.size(); ++i) {
                if (!out[i].compound) {
                    whole.term += out[i].term;
                }
            }
            whole.end = out.back().end;
            whole.numeric = false;
            if (whole.term.size() <= max_term_bytes) {
                out.push_back(std::move(whole));
            }
        }
        chain_len = 0;
    };
    // One word segment [b, e) with ICU's rule status.
    auto word = [&](std::size_t b, std::size_t e, std::int32_t status) {
        if (status < UBRK_WORD_NONE_LIMIT) {
            return;
        }
        std::string_view raw = text.substr(b, e - b);
        bool numeric = status < UBRK_WORD_LETTER;
        std::string term = normalize_word(raw, numeric);
        if (term.empty()) {
            close_chain();
            return;
        }
        bool joined = chain_len > 0 && is_word_hyphen(text.substr(out.back().end, b - out.back().end));
        if (!joined) {
            close_chain();
        }
        Token tok;
        tok.term = std::move(term);
        tok.begin = static_cast<std::uint32_t>(b);
        tok.end = static_cast<std::uint32_t>(e);
        tok.position = pos++;
        tok.capitalized = starts_upper(raw);
        tok.non_latin = has_non_latin_letter(raw);
        tok.numeric = numeric;
        out.push_back(std::move(tok));
        add_address_parts(out);
        if (!joined) {
            chain_first = out.size() - 1;
            chain_len = 0;
        }
        ++chain_len;
    };

    if (ascii_words_apply(text)) {
        // ICU's segments, without ICU (tests/unit/ascii_words_test.cpp), and
        // each word normalized as normalize_word() would, straight into its
        // token: no other script, no Unicode folding, the ' . , passes only
        // for words that hold them (tests/unit/analysis_test.cpp compares
        // this path with the general one).
        ascii_words(text, [&](std::size_t b, std::size_t e, std::int32_t status) {
            const bool numeric = status < UBRK_WORD_LETTER;
            // Whether it continues a hyphen chain: decided on the tokens before it.
            const bool joined = chain_len > 0 && b == out.back().end + 1 && text[b - 1] == '-';
            // Made in place at the end of `out` (no token moved in, none destroyed):
            // taken off again when nothing is left of it.
            std::string& t = out.emplace_back().term;
            // append(), not assign(): the same on the new, empty term, without
            // assign()'s general replace (about 70 instructions a token).
            t.append(text.data() + b, e - b);
            bool quote = false;
            bool dot = false;
            bool comma = false;
            bool at = false;
            for (char& c : t) {
                if (c >= 'a') {
                    continue;  // a lower-case letter: letters, digits, ' . , and @ are all a word holds
                }
                if (c >= 'A' && c <= 'Z') {
                    c = static_cast<char>(c - 'A' + 'a');
                } else if (c == '\'') {
                    quote = true;
                } else if (c == '.') {
                    dot = true;
                } else if (c == ',') {
                    comma = true;
                } else if (c == '@') {
                    at = true;
                }
            }
            if (quote || dot || comma) {
                strip_marks(t, numeric, quote, dot, comma);  // a no-op for a word without marks
            }
            if (t.empty() || t.size() > max_term_bytes) {
                out.pop_back();
                close_chain();
                return;
            }
            if (!joined && chain_len >= 2) {
                // The chain before it ends: its whole goes before this token.
                Token tok = std::move(out.back());
                out.pop_back();
                close_chain();
                out.push_back(std::move(tok));
            }
            Token& tok = out.back();
            tok.begin = static_cast<std::uint32_t>(b);
            tok.end = static_cast<std::uint32_t>(e);
            tok.position = pos++;
            tok.capitalized = text[b] >= 'A' && text[b] <= 'Z';
            tok.numeric = numeric;
            if (at) {
                add_address_parts(out);
            }
            if (!joined) {
                chain_first = out.size() - 1;
                chain_len = 0;
            }
            ++chain_len;
        });
        close_chain();
        return;
    }
    UErrorCode st = U_ZERO_ERROR;
    if (is_ascii(text)) {
        // One UTF-16 code unit per byte: the break iterator's offsets are the byte offsets.
        impl_->ascii.setTo(false, nullptr, 0);
        char16_t* buf = impl_->ascii.getBuffer(static_cast<int32_t>(text.size()));
        std::copy(text.begin(), text.end(), buf);
        impl_->ascii.releaseBuffer(static_cast<int32_t>(text.size()));
        utext_openConstUnicodeString(&impl_->text, &impl_->ascii, &st);
    } else {
        utext_openUTF8(&impl_->text, text.data(), static_cast<int64_t>(text.size()), &st);
    }
    icu::BreakIterator& words = impl_->word_breaks();
    words.setText(&impl_->text, st);
    check_icu(st, "setting text for word breaking");
    std::int32_t start = words.first();
    for (std::int32_t end = words.next(); end != icu::BreakIterator::DONE; start = end, end = words.next()) {
        word(static_cast<std::size_t>(start), static_cast<std::size_t>(end), words.getRuleStatus());
    }
    close_chain();
}

}  // namespace lede::analysis
