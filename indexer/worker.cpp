#include "indexer/worker.hpp"

#include "index/record.hpp"
#include "index/schema.hpp"
#include "indexer/html.hpp"
#include "indexer/passages.hpp"
#include "indexer/path_date.hpp"
#include "indexer/reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace lede::indexer {

std::size_t Worker::build_article(const SourceArticle& a, const std::string& file_path, int passage,
                                  const DocSink& sink, std::map<std::string, unsigned>& spell, std::size_t& non_prose) {
    std::string_view body(a.text);
    body.remove_prefix(a.body_begin);
    auto seg = segment(body, sentences);
    non_prose += seg.non_prose;
    std::string aterm = index::article_term(a.key);
    // The file term finds all passages of a file (JSON Lines: of all its
    // articles) for updates and path: filters.
    std::string fterm = index::file_term(file_path);
    int n = passage;
    // The article's fields once; each passage sets its own number, place and text.
    index::PassageRecord rec;
    rec.path = file_path;
    rec.article = a.key;
    rec.title = a.title;
    rec.date = a.date;
    rec.source = a.source;
    rec.url = a.url;
    for (const auto& span : seg.passages) {
        rec.passage = ++n;
        // start/end: where the passage came from in the file; text: the (decoded, extracted) text.
        rec.start = a.origin.begin_of(a.body_begin + span.begin);
        rec.end = std::max(rec.start, a.origin.end_of(a.body_begin + span.end));
        rec.text.assign(a.text, a.body_begin + span.begin, span.end - span.begin);
        words.clear();
        Xapian::Document doc = builder.build(rec, aterm, words);
        doc.add_boolean_term(fterm);
        if (n == 1) {
            if (!a.date_from.empty()) {
                doc.add_boolean_term(index::date_origin_term(a.date_from));  // lede stats: dated, and from where
            }
            // path: expands these (over every shard, local or remote) to file terms.
            if (std::string pterm = index::path_term(file_path); !pterm.empty()) {
                doc.add_boolean_term(pterm);
            }
        }
        for (auto& w : words) {
            ++spell[w];
        }
        sink(std::move(doc));
    }
    return seg.passages.size();
}

void add_path_dates(const std::string& path, std::span<SourceArticle> arts, std::vector<FileError>& warnings) {
    if (std::none_of(arts.begin(), arts.end(), [](const SourceArticle& a) { return a.date.empty(); })) {
        return;
    }
    PathDate d = path_date(path);
    if (!d.impossible.empty()) {
        warnings.push_back({path, "the date in the path, " + d.impossible
                                      + ", is not a day of the calendar; the file is indexed undated"});
    }
    if (!d.date) {
        return;
    }
    for (auto& a : arts) {
        if (a.date.empty()) {
            a.date = d.date->str();
            a.date_from = "path";
        }
    }
}

std::size_t Worker::build_article(const SourceArticle& a, const std::string& file_path, ArticleDocs& out,
                                  std::map<std::string, unsigned>& spell, std::size_t& non_prose) {
    out.key = a.key;
    return build_article(
        a, file_path, 0, [&](Xapian::Document&& d) { out.docs.push_back(std::move(d)); }, spell, non_prose);
}

namespace {

// A file's documents gathered into parts of at most part_passages, each
// handed over when full; the last part carries the stamp and the counts.
class Parts {
public:
    explicit Parts(const Emit& emit) : emit_(emit) {}

    JobResult& cur() { return cur_; }
    FileStamp stamp;
    std::uint64_t bytes = 0;
    std::size_t repaired = 0;
    std::size_t non_prose = 0;
    std::size_t passages = 0;

    void begin_article(const std::string& key) { cur_.articles.push_back({key, {}, true}); }

    void add(Xapian::Document&& d) {
        cur_.articles.back().docs.push_back(std::move(d));
        ++passages;
        if (++cur_.passages >= part_passages) {
            hand_over(false);
        }
    }

    // Errors and warnings reported so far.
    std::size_t reported() const { return reported_ + cur_.errors.size() + cur_.warnings.size(); }

    void finish() {
        cur_.stamp = stamp;
        cur_.bytes = bytes;
        cur_.repaired = repaired;
        cur_.non_prose = non_prose;
        hand_over(true);
    }

    void fail(std::string reason) {
        const bool feed = cur_.feed;
        cur_ = JobResult{};
        cur_.feed = feed;
        cur_.failure = std::move(reason);
        hand_over(true);
    }

    void same_content(std::size_t articles) {
        stamp.articles = articles;
        cur_.same_content = true;
        finish();
    }

private:
    void hand_over(bool last) {
        const bool feed = cur_.feed;
        std::string key = !last && !cur_.articles.empty() ? cur_.articles.back().key : std::string();
        reported_ += cur_.errors.size() + cur_.warnings.size();
        cur_.first = first_;
        cur_.last = last;
        emit_(std::move(cur_));
        cur_ = JobResult{};
        cur_.feed = feed;
        first_ = false;
        if (!key.empty()) {
            cur_.articles.push_back({std::move(key), {}, false});  // the article goes on
        }
    }

    const Emit& emit_;
    JobResult cur_;
    bool first_ = true;
    std::size_t reported_ = 0;
};

// One article over a piece is read, decoded and extracted at a time in the
// whole process (across the workers and the parallel writers): its memory is
// several times its size. Held only while no part is handed over, so that a
// worker holding it never waits for the writer.
std::mutex& whole_read() {
    static std::mutex m;
    return m;
}

bool binary(std::string_view head) {
    head = head.substr(0, 8192);  // a NUL in the first 8 KiB (the grep/ripgrep heuristic)
    return head.find('\0') != std::string_view::npos && !wide_unicode(head);
}

// The analysis of one file, its result handed to @p parts.
class FileRun {
public:
    FileRun(Worker& w, const Job& job, const IndexOptions& opt, Parts& parts)
        : w_(w), job_(job), opt_(opt), parts_(parts), path_(job.file.path) {}

    void run() {
        std::ifstream file;
        std::istream* in = nullptr;
        if (!job_.stdin_input) {
            file.open(path_, std::ios::binary);
            if (!file) {
                return parts_.fail(std::strerror(errno));
            }
            in = &file;
        } else if (opt_.stdin_input != nullptr) {
            in = opt_.stdin_input;
        } else {
            return parts_.fail("standard input is not available here (IndexOptions::stdin_input is not set)");
        }
        std::string head;
        head.reserve(std::min<std::uint64_t>(job_.file.size, piece_bytes) + 1);
        if (!read_some(*in, head, piece_bytes + 1)) {
            return parts_.fail("read error");
        }
        if (head.size() <= piece_bytes) {
            return whole(std::move(head));  // as files were always read
        }
        if (binary(head)) {
            return parts_.fail("binary file (NUL bytes)");
        }
        InputFormat f = format_for(path_, opt_.format);
        if (f == InputFormat::text && opt_.format == InputFormat::auto_detect && looks_like_html(head)) {
            f = InputFormat::html;
        }
        if ((f == InputFormat::text || f == InputFormat::jsonl) && !wide_unicode(head) && utf8_head(head)) {
            return stream(*in, std::move(head), f == InputFormat::jsonl ? Cut::line : Cut::paragraph);
        }
        // Read whole: one article (a page, a feed) or a file to decode.
        if (!job_.stdin_input && job_.file.size > max_article_bytes) {
            return parts_.fail(too_large_message());
        }
        std::unique_lock one_at_a_time(whole_read());
        while (head.size() <= max_article_bytes && !in->eof()) {
            if (!read_some(*in, head, std::min(piece_bytes, max_article_bytes + 1 - head.size()))) {
                one_at_a_time.unlock();
                return parts_.fail("read error");
            }
        }
        if (head.size() > max_article_bytes) {
            one_at_a_time.unlock();
            return parts_.fail(too_large_message());
        }
        whole(std::move(head), &one_at_a_time);
    }

private:
    void build(const SourceArticle& a, int passage = 0) {
        w_.build_article(
            a, path_, passage, [this](Xapian::Document&& d) { parts_.add(std::move(d)); }, parts_.cur().spellings,
            parts_.non_prose);
    }

    void no_passages_warning(std::size_t reported_before) {
        if (parts_.passages == 0 && parts_.reported() == reported_before) {  // (unless the reader said why)
            parts_.cur().warnings.push_back({path_, parts_.bytes == 0 ? "empty file (nothing to index)"
                                                                      : "no prose passages found (nothing to index)"});
        }
    }

    void repaired_warning(std::size_t repaired) {
        parts_.repaired = repaired;
        if (repaired > 0) {
            parts_.cur().warnings.push_back(
                {path_, "invalid UTF-8: " + std::to_string(repaired) + " bytes replaced by '?' (indexed)"});
        }
    }

    // A file read whole (up to piece_bytes, or an article up to
    // max_article_bytes, with @p big held until its articles are extracted).
    void whole(std::string bytes, std::unique_lock<std::mutex>* big = nullptr) {
        auto release = [big] {
            if (big != nullptr && big->owns_lock()) {
                big->unlock();  // what stays is the text; parts may now wait for the writer
            }
        };
        LoadedText loaded;
        std::string reason;
        if (!load_bytes(std::move(bytes), loaded, reason)) {
            release();
            return parts_.fail(reason);
        }
        parts_.bytes = loaded.text.size();
        parts_.repaired = loaded.repaired;
        parts_.stamp = {job_.file.size, job_.file.mtime_ns, XXH3_64bits(loaded.text.data(), loaded.text.size()), 0};
        if (job_.had_stamp && job_.old.hash == parts_.stamp.hash) {
            release();
            return parts_.same_content(job_.old.articles);
        }
        repaired_warning(loaded.repaired);
        std::vector<SourceArticle> arts;
        const std::size_t reported = parts_.reported();
        parts_.cur().feed = read_articles(path_, std::move(loaded.text), opt_.format, opt_.json, arts,
                                          parts_.cur().errors, parts_.cur().warnings, loaded.origin)
                            == InputFormat::feed;
        release();
        if (opt_.path_dates && !job_.stdin_input) {
            add_path_dates(path_, arts, parts_.cur().warnings);
        }
        for (const auto& a : arts) {
            parts_.begin_article(a.key);
            build(a);
        }
        parts_.stamp.articles = arts.size();
        no_passages_warning(reported);
        parts_.finish();
    }

    // The hash of the text a stream reads as (to skip a file touched but
    // not changed): a first read, before anything is written.
    std::uint64_t stream_hash(Cut cut, bool& ok) {
        std::ifstream again(path_, std::ios::binary);
        PieceReader pieces(again, {}, cut);
        XXH3_state_t st;
        XXH3_64bits_reset(&st);
        std::string text;
        std::size_t offset = 0;
        std::size_t lines = 0;
        while (pieces.next(text, offset, lines)) {
            XXH3_64bits_update(&st, text.data(), text.size());
        }
        ok = static_cast<bool>(again) || again.eof();
        ok = ok && !pieces.error();
        return XXH3_64bits_digest(&st);
    }

    // A plain text, Markdown or JSON Lines file larger than a piece, read
    // and analysed piece by piece (one article of text goes on from piece
    // to piece, its passages numbered on).
    void stream(std::istream& in, std::string head, Cut cut) {
        if (job_.had_stamp && !job_.stdin_input) {
            bool ok = false;
            std::uint64_t h = stream_hash(cut, ok);
            if (ok && h == job_.old.hash) {
                parts_.stamp = {job_.file.size, job_.file.mtime_ns, h, 0};
                return parts_.same_content(job_.old.articles);
            }
        }
        PieceReader pieces(in, std::move(head), cut);
        XXH3_state_t st;
        XXH3_64bits_reset(&st);
        const std::size_t reported = parts_.reported();
        std::string text;
        std::size_t offset = 0;
        std::size_t lines = 0;
        std::set<std::string> ids;
        std::size_t articles = 0;
        SourceArticle first;  // the text article's fields, from its first piece
        int passage = 0;
        auto skipped = [&] {
            for (std::size_t line : pieces.take_skipped()) {
                parts_.cur().errors.push_back({path_, "line " + std::to_string(line) + ": " + too_large_message()});
            }
        };
        while (pieces.next(text, offset, lines)) {
            skipped();
            XXH3_64bits_update(&st, text.data(), text.size());
            parts_.bytes += text.size();
            OriginMap origin;
            origin.add(0, text.size(), offset, offset + text.size());
            if (cut == Cut::line) {
                std::vector<SourceArticle> arts;
                read_jsonl(path_, text, opt_.json, arts, parts_.cur().errors, parts_.cur().warnings, lines, ids);
                if (opt_.path_dates && !job_.stdin_input) {
                    // The path's warning, if any, once for the file.
                    std::vector<FileError> again;
                    add_path_dates(path_, arts, articles == 0 ? parts_.cur().warnings : again);
                }
                for (const auto& a : arts) {
                    parts_.begin_article(a.key);
                    build(a);
                }
                articles += arts.size();
                continue;
            }
            if (articles == 0) {
                SourceArticle a = text_article(path_, std::move(text), origin, parts_.cur().warnings);
                if (opt_.path_dates && !job_.stdin_input) {
                    add_path_dates(path_, std::span<SourceArticle>(&a, 1), parts_.cur().warnings);
                }
                parts_.begin_article(a.key);
                passage += static_cast<int>(w_.build_article(
                    a, path_, passage, [this](Xapian::Document&& d) { parts_.add(std::move(d)); },
                    parts_.cur().spellings, parts_.non_prose));
                first.key = std::move(a.key);
                first.title = std::move(a.title);
                first.date = std::move(a.date);
                first.date_from = std::move(a.date_from);
                first.source = std::move(a.source);
                first.url = std::move(a.url);
                articles = 1;
            } else {
                first.text = std::move(text);
                first.origin = std::move(origin);
                passage += static_cast<int>(w_.build_article(
                    first, path_, passage, [this](Xapian::Document&& d) { parts_.add(std::move(d)); },
                    parts_.cur().spellings, parts_.non_prose));
            }
        }
        skipped();
        if (pieces.error()) {
            return parts_.fail("read error");
        }
        repaired_warning(pieces.repaired());
        parts_.stamp = {job_.file.size, job_.file.mtime_ns, XXH3_64bits_digest(&st), articles};
        no_passages_warning(reported);
        parts_.finish();
    }

    Worker& w_;
    const Job& job_;
    const IndexOptions& opt_;
    Parts& parts_;
    const std::string& path_;
};

}  // namespace

void Worker::run(const Job& job, const IndexOptions& opt, const Emit& emit) {
    Parts parts(emit);
    try {
        FileRun(*this, job, opt, parts).run();
    } catch (const std::exception& e) {
        parts.fail(std::string("analysis failed: ") + e.what());
    }
}

}  // namespace lede::indexer
