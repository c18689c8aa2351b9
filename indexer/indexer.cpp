// lede::Indexer: the batch driver. Walks sources, skips unchanged files
// (size + mtime, confirmed by a content hash), re-indexes changed ones in
// place (all passages of an article share one article term), and commits.
#include <lede/index.hpp>

#include "analysis/sentences.hpp"
#include "indexer/builder.hpp"
#include "indexer/database.hpp"
#include "indexer/passages.hpp"
#include "indexer/record.hpp"
#include "indexer/source.hpp"


#include <chrono>
#include <charconv>
#include <filesystem>
#include <map>
#include <sstream>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace lede {
namespace {

// Per-file bookkeeping kept in the index metadata under "F" + path, so a
// re-run knows what it has already indexed (written in the same commit as
// the passages, so a crash can never leave them out of step).
struct FileStamp {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint64_t hash = 0;

    std::string str() const {
        std::ostringstream o;
        o << size << ' ' << mtime_ns << ' ' << hash;
        return o.str();
    }
    static FileStamp parse(const std::string& s) {
        FileStamp f;
        std::istringstream in(s);
        in >> f.size >> f.mtime_ns >> f.hash;
        return f;
    }
};

constexpr const char* stamp_prefix = "F";
constexpr std::size_t commit_every_passages = 50000;

}  // namespace

struct Indexer::Impl {
    std::string path;
    Xapian::WritableDatabase db;
    analysis::SentenceSplitter sentences;
    indexer::DocumentBuilder builder;
    std::size_t uncommitted = 0;

    explicit Impl(const std::string& p) : path(p), db(indexer::open_for_writing(p)) {}

    void index_file(const indexer::SourceFile& f, IndexReport& rep) {
        std::string key = stamp_prefix + f.path;
        std::string old = db.get_metadata(key.size() > 240 ? key.substr(0, 240) : key);
        FileStamp stamp{f.size, f.mtime_ns, 0};
        FileStamp prev = old.empty() ? FileStamp{} : FileStamp::parse(old);
        if (!old.empty() && prev.size == f.size && prev.mtime_ns == f.mtime_ns) {
            ++rep.unchanged;
            return;
        }
        indexer::LoadedText loaded;
        std::string reason;
        if (!indexer::load_text(f.path, loaded, reason)) {
            ++rep.failed;
            rep.errors.push_back({f.path, reason});
            return;
        }
        rep.bytes += loaded.text.size();
        stamp.hash = XXH3_64bits(loaded.text.data(), loaded.text.size());
        std::string meta_key = key.size() > 240 ? key.substr(0, 240) : key;
        if (!old.empty() && prev.hash == stamp.hash) {
            db.set_metadata(meta_key, stamp.str());  // touched, same content
            ++rep.unchanged;
            return;
        }
        std::string aterm = indexer::article_term(f.path);
        if (!old.empty()) {
            db.delete_document(aterm);
        }
        auto seg = indexer::segment(loaded.text, sentences);
        rep.non_prose += seg.non_prose;
        std::map<std::string, unsigned> spell;
        std::vector<std::string> words;
        int n = 0;
        for (const auto& span : seg.passages) {
            indexer::PassageRecord rec;
            rec.path = f.path;
            rec.passage = ++n;
            rec.start = span.begin;
            rec.end = span.end;
            rec.text = loaded.text.substr(span.begin, span.end - span.begin);
            words.clear();
            db.add_document(builder.build(rec, aterm, words));
            for (auto& w : words) {
                ++spell[w];
            }
        }
        for (const auto& [w, c] : spell) {
            db.add_spelling(w, c);
        }
        db.set_metadata(meta_key, stamp.str());
        rep.passages += seg.passages.size();
        uncommitted += seg.passages.size();
        if (old.empty()) {
            ++rep.added;
        } else {
            ++rep.updated;
        }
        if (seg.passages.empty()) {
            rep.warnings.push_back({f.path, loaded.text.empty() ? "empty file (nothing to index)"
                                                              : "no prose passages found"});
        }
        if (loaded.repaired > 0) {
            rep.warnings.push_back({f.path, "invalid UTF-8: " + std::to_string(loaded.repaired)
                                              + " bytes replaced by '?' (indexed)"});
        }
        if (uncommitted >= commit_every_passages) {
            db.commit();
            uncommitted = 0;
        }
    }

    void prune(const std::vector<std::string>& roots, IndexReport& rep) {
        std::vector<std::string> gone;
        for (auto it = db.metadata_keys_begin(stamp_prefix); it != db.metadata_keys_end(stamp_prefix); ++it) {
            std::string p = (*it).substr(1);
            bool under = false;
            for (const std::string& r : roots) {
                std::error_code ec;
                std::string abs = std::filesystem::absolute(r, ec).lexically_normal().string();
                if (p == abs || (p.starts_with(abs) && (abs.ends_with('/') || p[abs.size()] == '/'))) {
                    under = true;
                }
            }
            std::error_code ec;
            if (under && !std::filesystem::exists(p, ec)) {
                gone.push_back(*it);
            }
        }
        for (const std::string& k : gone) {
            db.delete_document(indexer::article_term(k.substr(1)));
            db.set_metadata(k, "");
            ++rep.removed;
        }
    }
};

Indexer::Indexer(const std::string& db_path) : impl_(std::make_unique<Impl>(db_path)) {}
Indexer::~Indexer() {
    if (impl_) {
        try {
            impl_->db.commit();
        } catch (...) {  // NOLINT(bugprone-empty-catch): destructors must not throw
        }
    }
}
Indexer::Indexer(Indexer&&) noexcept = default;
Indexer& Indexer::operator=(Indexer&&) noexcept = default;

IndexReport Indexer::index_paths(const std::vector<std::string>& paths, const IndexOptions& options) {
    auto t0 = std::chrono::steady_clock::now();
    IndexReport rep;
    auto files = indexer::collect_files(paths, rep.errors);
    rep.failed += rep.errors.size();
    for (const auto& f : files) {
        try {
            impl_->index_file(f, rep);
        } catch (const Error&) {
            throw;
        } catch (...) {
            indexer::rethrow_as_lede("indexing " + f.path + " into " + impl_->path);
        }
    }
    try {
        if (options.prune) {
            impl_->prune(paths, rep);
        }
        impl_->db.commit();
        impl_->uncommitted = 0;
    } catch (...) {
        indexer::rethrow_as_lede("committing index at " + impl_->path);
    }
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return rep;
}

void Indexer::commit() {
    try {
        impl_->db.commit();
    } catch (...) {
        indexer::rethrow_as_lede("committing index at " + impl_->path);
    }
}

}  // namespace lede
