#include "index/record.hpp"

#include "index/schema.hpp"

// For ZSTD_createDDict_byReference (exported by Debian's libzstd too).
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include <charconv>
#include <memory>

// data/records.zdict, compiled in (CMakeLists.txt).
extern const char lede_records_zdict[];
extern const std::size_t lede_records_zdict_size;

namespace lede::index {
namespace {

// Each record is one zstd frame made with a dictionary of English prose that
// lede carries (data/records.zdict; scripts/train-zdict.sh). Xapian compresses
// a record with zlib on its own, one record at a time: a 465-byte passage has
// nothing earlier to refer to, and inflating it (a Huffman table built for
// every record) was a fifth of a search's instructions. With the dictionary a
// SOTU record is 0.52 of its size against zlib's 0.62, and decompressing it
// takes a fifth of the time (docs/BENCHMARKS.md, "Round 10: records").
// The frame is stored in a value (schema.hpp, slot_record), which Xapian
// never compresses.
constexpr int record_level = 3;

struct ZstdFree {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
    void operator()(ZSTD_CDict* c) const { ZSTD_freeCDict(c); }
    void operator()(ZSTD_DDict* d) const { ZSTD_freeDDict(d); }
};

const ZSTD_CDict* compress_dict() {
    static const std::unique_ptr<ZSTD_CDict, ZstdFree> dict(
        ZSTD_createCDict(lede_records_zdict, lede_records_zdict_size, record_level));
    return dict.get();
}

// By reference: the dictionary is in the binary for the process's life, and a
// copy was 2 % of a one-word search's instructions (a 64 KiB memcpy per run).
const ZSTD_DDict* decompress_dict() {
    static const std::unique_ptr<ZSTD_DDict, ZstdFree> dict(
        ZSTD_createDDict_byReference(lede_records_zdict, lede_records_zdict_size));
    return dict.get();
}

bool is_frame(std::string_view data) {
    return data.size() >= 4 && static_cast<unsigned char>(data[0]) == 0x28
           && static_cast<unsigned char>(data[1]) == 0xb5 && static_cast<unsigned char>(data[2]) == 0x2f
           && static_cast<unsigned char>(data[3]) == 0xfd;
}

// Far larger than any record lede writes (no passage is over 1,500 bytes,
// SegmentLimits::hard_max): a damaged frame's size field allocates no more.
constexpr unsigned long long max_record_bytes = 1ULL << 24;

// The record in a frame, into a buffer of this thread's; false when the frame is damaged.
bool decompress(std::string_view frame, std::string& out) {
    thread_local std::unique_ptr<ZSTD_DCtx, ZstdFree> ctx(ZSTD_createDCtx());
    const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (!ctx || !decompress_dict() || size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR
        || size > max_record_bytes) {
        return false;
    }
    out.resize(static_cast<std::size_t>(size));
    const std::size_t n =
        ZSTD_decompress_usingDDict(ctx.get(), out.data(), out.size(), frame.data(), frame.size(), decompress_dict());
    return !ZSTD_isError(n) && n == out.size();
}

std::string compress(const std::string& record) {
    thread_local std::unique_ptr<ZSTD_CCtx, ZstdFree> ctx(ZSTD_createCCtx());
    std::string out(ZSTD_compressBound(record.size()), '\0');
    const std::size_t n = ctx && compress_dict() ? ZSTD_compress_usingCDict(
                              ctx.get(), out.data(), out.size(), record.data(), record.size(), compress_dict())
                                                 : 0;
    if (n == 0 || ZSTD_isError(n) || n >= record.size()) {
        return record;  // stored as it is: a record starts with a digit, never with a frame's magic
    }
    out.resize(n);
    return out;
}

void put(std::string& out, std::string_view field) {
    out += std::to_string(field.size());
    out += ':';
    out += field;
}

bool get(std::string_view& in, std::string_view& field) {
    std::size_t len = 0;
    auto [p, ec] = std::from_chars(in.data(), in.data() + in.size(), len);
    if (ec != std::errc() || p == in.data() + in.size() || *p != ':') {
        return false;
    }
    std::size_t skip = static_cast<std::size_t>(p - in.data()) + 1;
    if (in.size() - skip < len) {
        return false;
    }
    field = in.substr(skip, len);
    in.remove_prefix(skip + len);
    return true;
}

template <typename T>
bool get_number(std::string_view& in, T& value) {
    std::string_view f;
    if (!get(in, f)) {
        return false;
    }
    auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), value);
    return ec == std::errc() && p == f.data() + f.size();
}

}  // namespace

std::string encode(const PassageRecord& r) {
    std::string out;
    out.reserve(r.path.size() + r.text.size() + 32);
    const bool first = r.passage <= 1;
    put(out, first ? std::string_view(r.path) : std::string_view());
    put(out, std::to_string(r.passage));
    put(out, std::to_string(r.start));
    put(out, std::to_string(r.end));
    if (first) {
        put(out, r.article == r.path ? std::string_view() : std::string_view(r.article));  // most articles are files
        put(out, r.title);
        put(out, r.date);
        put(out, r.source);
        put(out, r.url);
    } else {
        put(out, article_ref(r.article));
        for (int i = 0; i < 4; ++i) {
            put(out, {});
        }
    }
    put(out, r.text);
    return compress(out);
}

void store(Xapian::Document& doc, const PassageRecord& r) { doc.add_value(slot_record, encode(r)); }

std::optional<PassageRecord> load(const Xapian::Document& doc) { return decode(doc.get_value(slot_record)); }

void with_article(PassageRecord& r, const PassageRecord& first) {
    r.path = first.path;
    r.article = first.article;
    r.title = first.title;
    r.date = first.date;
    r.source = first.source;
    r.url = first.url;
}

std::optional<PassageRecord> decode(std::string_view in) {
    thread_local std::string plain;
    if (is_frame(in)) {
        if (!decompress(in, plain)) {
            return std::nullopt;
        }
        in = plain;
    }
    PassageRecord r;
    std::string_view f;
    if (!get(in, f)) {
        return std::nullopt;
    }
    r.path = f;
    if (!get_number(in, r.passage) || !get_number(in, r.start) || !get_number(in, r.end)) {
        return std::nullopt;
    }
    for (std::string* field : {&r.article, &r.title, &r.date, &r.source, &r.url, &r.text}) {
        if (!get(in, f)) {
            return std::nullopt;
        }
        field->assign(f);
    }
    if (r.article.empty()) {
        r.article = r.path;
    }
    if (r.path.empty() && r.article.empty()) {
        return std::nullopt;
    }
    return r;
}

}  // namespace lede::index
