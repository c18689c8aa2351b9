#include "indexer/worker.hpp"

#include "index/record.hpp"
#include "index/schema.hpp"
#include "indexer/passages.hpp"
#include "indexer/path_date.hpp"

#include <algorithm>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace lede::indexer {

std::size_t Worker::build_article(const SourceArticle& a, const std::string& file_path, ArticleDocs& out,
                                  std::map<std::string, unsigned>& spell, std::size_t& non_prose) {
    std::string_view body(a.text);
    body.remove_prefix(a.body_begin);
    auto seg = segment(body, sentences);
    non_prose += seg.non_prose;
    out.key = a.key;
    std::string aterm = index::article_term(a.key);
    // The file term finds all passages of a file (JSON Lines: of all its
    // articles) for updates and path: filters.
    std::string fterm = index::file_term(file_path);
    int n = 0;
    for (const auto& span : seg.passages) {
        index::PassageRecord rec;
        rec.path = file_path;
        rec.passage = ++n;
        // start/end: where the passage came from in the file; text: the (decoded, extracted) text.
        rec.start = a.origin.begin_of(a.body_begin + span.begin);
        rec.end = std::max(rec.start, a.origin.end_of(a.body_begin + span.end));
        rec.text = a.text.substr(a.body_begin + span.begin, span.end - span.begin);
        rec.article = a.key;
        rec.title = a.title;
        rec.date = a.date;
        rec.source = a.source;
        rec.url = a.url;
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
        out.docs.push_back(std::move(doc));
        for (auto& w : words) {
            ++spell[w];
        }
    }
    return seg.passages.size();
}

void add_path_dates(const std::string& path, std::vector<SourceArticle>& arts, std::vector<FileError>& warnings) {
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

JobResult Worker::run(const Job& job, const IndexOptions& opt) {
    JobResult r;
    LoadedText loaded;
    std::string reason;
    bool ok = false;
    if (!job.stdin_input) {
        ok = load_text(job.file.path, loaded, reason);
    } else if (opt.stdin_input != nullptr) {
        ok = load_stream(*opt.stdin_input, loaded, reason);
    } else {
        reason = "standard input is not available here (IndexOptions::stdin_input is not set)";
    }
    if (!ok) {
        r.failure = reason;
        return r;
    }
    r.bytes = loaded.text.size();
    r.repaired = loaded.repaired;
    r.stamp = {job.file.size, job.file.mtime_ns, XXH3_64bits(loaded.text.data(), loaded.text.size()), 0};
    if (job.had_stamp && job.old.hash == r.stamp.hash) {
        r.same_content = true;
        r.stamp.articles = job.old.articles;
        return r;
    }
    if (loaded.repaired > 0) {
        r.warnings.push_back(
            {job.file.path, "invalid UTF-8: " + std::to_string(loaded.repaired) + " bytes replaced by '?' (indexed)"});
    }
    std::vector<SourceArticle> arts;
    const std::size_t warned = r.warnings.size();
    r.feed = read_articles(job.file.path, std::move(loaded.text), opt.format, opt.json, arts, r.errors, r.warnings,
                           loaded.origin)
             == InputFormat::feed;
    if (opt.path_dates && !job.stdin_input) {
        add_path_dates(job.file.path, arts, r.warnings);
    }
    std::size_t passages = 0;
    for (const auto& a : arts) {
        ArticleDocs ad;
        passages += build_article(a, job.file.path, ad, r.spellings, r.non_prose);
        r.articles.push_back(std::move(ad));
    }
    r.stamp.articles = arts.size();
    if (passages == 0 && r.errors.empty() && r.warnings.size() == warned) {  // (unless the reader said why)
        r.warnings.push_back({job.file.path, r.bytes == 0 ? "empty file (nothing to index)"
                                                          : "no prose passages found (nothing to index)"});
    }
    return r;
}

}  // namespace lede::indexer
