#include "analysis/variants.hpp"

#include "analysis/icu.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>

#define XXH_INLINE_ALL
#include <xxhash.h>

extern const char lede_aliases_txt[];  // data/aliases.txt, embedded at build time

namespace lede::analysis {
namespace {

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

bool is_ukrainian_only(std::string_view t) {
    // і ї є ґ occur in Ukrainian, not in Russian.
    return t.find("\xD1\x96") != std::string_view::npos || t.find("\xD1\x97") != std::string_view::npos
           || t.find("\xD1\x94") != std::string_view::npos || t.find("\xD2\x91") != std::string_view::npos;
}

bool is_cyrillic(std::string_view t) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        auto c = static_cast<unsigned char>(t[i]);
        if (c == 0xD0 || c == 0xD1 || c == 0xD2 || c == 0xD3) {
            return true;
        }
    }
    return false;
}

icu::Transliterator* translit(const char* id) {
    // Per thread, built on first use: "Any-Latin" costs ~12 ms to build, the
    // BGN rules ~1 ms; a query without non-Latin text never pays.
    thread_local std::unordered_map<std::string, std::unique_ptr<icu::Transliterator>> cache;
    auto& slot = cache[id];
    if (!slot) {
        UErrorCode st = U_ZERO_ERROR;
        slot.reset(icu::Transliterator::createInstance(icu::UnicodeString(id, -1, US_INV), UTRANS_FORWARD, st));
        check_icu(st, "creating a transliterator");
    }
    return slot.get();
}

// Lower-case a–z letters of a Latin string; marks and modifier letters dropped.
std::string ascii_letters(const icu::UnicodeString& latin) {
    UErrorCode st = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(st);
    check_icu(st, "loading NFD");
    icu::UnicodeString d = nfd->normalize(latin, st);
    check_icu(st, "decomposing a transliteration");
    std::string out;
    for (int32_t i = 0; i < d.length(); ++i) {
        char16_t c = d.charAt(i);
        if (c >= u'A' && c <= u'Z') {
            out.push_back(static_cast<char>(c - u'A' + 'a'));
        } else if (c >= u'a' && c <= u'z') {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

struct AliasTable {
    // Every listed spelling → its group's key ("=" + the first spelling, a
    // namespace rule keys never use); also the rule key of each Latin
    // spelling → the group, so further variants of a listed name join it.
    std::unordered_map<std::string, std::string> by_term;
    std::unordered_map<std::string, std::string> by_key;

    // Read without streams: an istringstream's locale set-up cost more than
    // the rest of a one-word search's query building.
    AliasTable() {
        std::string_view text(lede_aliases_txt);
        while (!text.empty()) {
            const std::size_t eol = std::min(text.find('\n'), text.size());
            std::string_view line = text.substr(0, eol);
            text.remove_prefix(std::min(eol + 1, text.size()));
            if (line.empty() || line[0] == '#') {
                continue;
            }
            std::string canonical;
            for (std::string_view rest = line;;) {
                constexpr std::string_view space = " \t\n\v\f\r";
                const std::size_t from = rest.find_first_not_of(space);
                if (from == std::string_view::npos) {
                    break;
                }
                rest.remove_prefix(from);
                const std::string w(rest.substr(0, rest.find_first_of(space)));
                rest.remove_prefix(w.size());
                if (canonical.empty()) {
                    canonical = "=" + w;
                }
                by_term.emplace(w, canonical);
                if (is_ascii(w)) {
                    if (std::string k = rule_key(w); !k.empty()) {
                        by_key.emplace(k, canonical);
                    }
                }
            }
        }
    }
};

const AliasTable& aliases() {
    static const AliasTable table;  // thread-safe lazy init
    return table;
}

}  // namespace

std::string transliterate(std::string_view term) {
    const char* id = "Any-Latin";
    if (is_cyrillic(term)) {
        id = is_ukrainian_only(term) ? "Ukrainian-Latin/BGN" : "Russian-Latin/BGN";
    }
    icu::UnicodeString u = to_unicode(term);
    translit(id)->transliterate(u);
    if (id[0] != 'A') {
        // BGN rules leave letters of the other language alone (Kiїv): finish with Any-Latin.
        bool leftover = false;
        for (int32_t i = 0; i < u.length(); ++i) {
            if (u.charAt(i) >= 0x0400 && u.charAt(i) < 0x0530) {
                leftover = true;
            }
        }
        if (leftover) {
            translit("Any-Latin")->transliterate(u);
        }
    }
    return ascii_letters(u);
}

std::string rule_key(std::string_view in) {
    if (in.size() < 5) {
        return {};  // short words collide too easily (Bell/Bill, Hale/Hall)
    }
    for (char c : in) {
        if (c < 'a' || c > 'z') {
            return {};
        }
    }
    if (in[0] == 'y' && in[1] == 'e') {
        in.remove_prefix(1);  // Yermak/Ermak, Yevgeny/Evgeny, Yeltsin/Eltsin
    }
    // The first vowel group keeps its e's when it starts with e and holds no
    // i or y: English words that differ only there are different words
    // (setting/sitting, still/steel, better/bitter), while Riley/Reilly,
    // Myers/Meyers (an i or y in the group) and later vowels still fold.
    std::size_t first = 0;
    while (first < in.size() && !is_vowel(in[first])) {
        ++first;
    }
    std::size_t first_end = first;
    bool keep_e = first < in.size() && in[first] == 'e';
    for (; first_end < in.size() && is_vowel(in[first_end]); ++first_end) {
        keep_e = keep_e && in[first_end] != 'i' && in[first_end] != 'y';
    }
    std::string s;
    s.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        char prev = i > 0 ? in[i - 1] : '\0';
        char next = i + 1 < in.size() ? in[i + 1] : '\0';
        if (c == 'k' && next == 'h') {
            continue;  // kh → h  (Kharkiv / Harkiv)
        }
        if (c == 'h' && is_vowel(prev) && is_vowel(next)) {
            c = 'g';  // Luhansk → lugansk: Ukrainian г is h, Russian г is g
        } else if (c == 'j' && is_vowel(prev) && !is_vowel(next)) {
            c = 'i';  // Any-Latin writes й as j (Andrej); not major, Beijing
        }
        if (c == 'e' && keep_e && i >= first && i < first_end) {
            // stays e
        } else if (c == 'e' && i + 1 == in.size() && !is_vowel(prev)) {
            // a final e after a consonant stays e: police/policy, store/story
        } else if (c == 'y' || c == 'e') {
            c = 'i';  // Zelenskyy/Zelenskiy, Umerov/Umyrov, Dmitriev/Dmitriyev
        }
        if (!s.empty() && s.back() == c) {
            continue;  // doubled letters: Witkoff/Witkof, Zelenskii
        }
        s.push_back(c);
    }
    return s.size() >= 3 ? s : std::string();
}

std::string variant_key(std::string_view term, bool non_latin) {
    const AliasTable& table = aliases();
    if (auto it = table.by_term.find(std::string(term)); it != table.by_term.end()) {
        return it->second;
    }
    if (!non_latin && !is_ascii(term)) {
        return {};  // Latin with leftovers we do not key (symbols)
    }
    std::string k = rule_key(non_latin ? transliterate(term) : std::string(term));
    if (auto it = table.by_key.find(k); it != table.by_key.end()) {
        return it->second;
    }
    return k;
}

std::string fingerprint() {
    static const std::string fp = [] {
        char buf[24];
        auto h = XXH3_64bits(lede_aliases_txt, std::strlen(lede_aliases_txt));
        auto [p, ec] = std::to_chars(buf, buf + sizeof buf, h, 16);
        return "aliases:" + std::string(buf, p) + ";rules:" + std::to_string(variant_rules_version);
    }();
    return fp;
}

}  // namespace lede::analysis
