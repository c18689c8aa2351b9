#include "analysis/sentences.hpp"

#include "analysis/icu.hpp"

#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/utext.h>

namespace lede::analysis {
namespace {

// Abbreviations common in news and speeches. A period after one of these does
// not end a sentence (ICU's "en@ss=standard" list lacks several, e.g. Gen.).
constexpr const char16_t* abbreviations[] = {
    u"Mr.",     u"Mrs.", u"Ms.",     u"Dr.",      u"Prof.", u"Gen.",  u"Lt.",   u"Col.",  u"Maj.",  u"Capt.",
    u"Sgt.",    u"Adm.", u"Cmdr.",   u"Gov.",     u"Sen.",  u"Rep.",  u"Rev.",  u"Hon.",  u"Pres.", u"Amb.",
    u"St.",     u"Sr.",  u"Jr.",     u"Mt.",      u"Ft.",   u"No.",   u"Nos.",  u"Vol.",  u"vs.",   u"Co.",
    u"Corp.",   u"Inc.", u"Ltd.",    u"Bros.",    u"Dept.", u"Univ.", u"Assn.", u"U.S.",  u"U.K.",  u"U.N.",
    u"E.U.",    u"D.C.", u"U.S.A.",  u"U.S.S.R.", u"Jan.",  u"Feb.",  u"Mar.",  u"Apr.",  u"Aug.",  u"Sept.",
    u"Sep.",    u"Oct.", u"Nov.",    u"Dec.",     u"a.m.",  u"p.m.",  u"e.g.",  u"i.e.",  u"etc.",  u"cf.",
    u"approx.", u"est.", u"Messrs.", u"Ave.",     u"Blvd.", u"Gens.", u"Sens.", u"Reps.",
};

// Code points in the UTF-8 bytes [b, e) of text.
std::size_t chars_between(std::string_view text, int32_t b, int32_t e) {
    std::size_t n = 0;
    for (auto i = static_cast<std::size_t>(b); i < static_cast<std::size_t>(e) && i < text.size(); ++i) {
        n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    }
    return n;
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::size_t count_words(std::string_view text) {
    thread_local std::unique_ptr<icu::BreakIterator> words = [] {
        UErrorCode st = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), st));
        check_icu(st, "creating the word break iterator");
        return it;
    }();
    UErrorCode st = U_ZERO_ERROR;
    UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &st);
    check_icu(st, "opening text for word breaks");
    words->setText(ut, st);
    std::size_t n = 0;
    if (U_SUCCESS(st)) {
        int32_t start = 0;
        for (int32_t end = words->next(); end != icu::BreakIterator::DONE; start = end, end = words->next()) {
            int32_t status = words->getRuleStatus();
            if (status >= UBRK_WORD_KANA || (status >= UBRK_WORD_LETTER && chars_between(text, start, end) >= 2)) {
                ++n;
            }
        }
    }
    utext_close(ut);  // the iterator keeps its own shallow clone; it is reset by the next setText
    return n;
}

struct SentenceSplitter::Impl {
    std::unique_ptr<icu::BreakIterator> it;
    UText text = UTEXT_INITIALIZER;
    Impl() {
        UErrorCode st = U_ZERO_ERROR;
        icu::Locale en("en");
        std::unique_ptr<icu::BreakIterator> base(icu::BreakIterator::createSentenceInstance(en, st));
        check_icu(st, "creating the sentence break iterator");
        std::unique_ptr<icu::FilteredBreakIteratorBuilder> b(
            icu::FilteredBreakIteratorBuilder::createEmptyInstance(st));
        check_icu(st, "creating the abbreviation filter");
        for (const char16_t* a : abbreviations) {
            b->suppressBreakAfter(icu::UnicodeString(a), st);
        }
        it.reset(b->wrapIteratorWithFilter(base.release(), st));
        check_icu(st, "wrapping the sentence iterator");
    }
    ~Impl() { utext_close(&text); }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
};

SentenceSplitter::SentenceSplitter() : impl_(std::make_unique<Impl>()) {}
SentenceSplitter::~SentenceSplitter() = default;

std::vector<std::pair<std::size_t, std::size_t>> SentenceSplitter::split(std::string_view text) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    UErrorCode st = U_ZERO_ERROR;
    utext_openUTF8(&impl_->text, text.data(), static_cast<int64_t>(text.size()), &st);
    impl_->it->setText(&impl_->text, st);
    check_icu(st, "setting text for sentence breaking");
    std::int32_t start = impl_->it->first();
    for (std::int32_t end = impl_->it->next(); end != icu::BreakIterator::DONE; start = end, end = impl_->it->next()) {
        auto b = static_cast<std::size_t>(start);
        auto e = static_cast<std::size_t>(end);
        while (b < e && is_space(static_cast<unsigned char>(text[b]))) {
            ++b;
        }
        while (e > b && is_space(static_cast<unsigned char>(text[e - 1]))) {
            --e;
        }
        if (b < e) {
            out.emplace_back(b, e);
        }
    }
    return out;
}

}  // namespace lede::analysis
