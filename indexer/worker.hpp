// One file's analysis, on a worker thread: read it, hash it, split it into
// articles and passages, and build the Xapian documents of its passages. Pure
// CPU work with no database access (the batch writer writes the results).
#pragma once

#include <lede/index.hpp>

#include "analysis/sentences.hpp"
#include "indexer/articles.hpp"
#include "indexer/builder.hpp"
#include "indexer/source.hpp"
#include "indexer/stamps.hpp"

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lede::indexer {

/// One file to index, with its stamp from the index (if any).
struct Job {
    SourceFile file;
    bool had_stamp = false;
    FileStamp old;
    bool stdin_input = false;
};

/// The documents of one article's passages (or of the next ones, when the
/// article began in an earlier part).
struct ArticleDocs {
    std::string key;
    std::vector<Xapian::Document> docs;
    bool begins = true;  ///< false: the article's first passages came in an earlier part
};

/// At most this many passages in one part of a file's result: the documents
/// of a large file reach the writer part by part, never all at once.
inline constexpr std::size_t part_passages = 1000;

/// What a worker made of a Job, or one part of it: a file's result comes in
/// one or more parts, in order, the last one with `last` set (and the stamp).
struct JobResult {
    bool first = true;         ///< the file's first part: its old passages are removed before it
    bool last = true;          ///< the file's last part: its stamp is written with it
    std::size_t passages = 0;  ///< documents in this part
    std::optional<std::string> failure;
    bool same_content = false;
    FileStamp stamp;
    std::uint64_t bytes = 0;
    std::size_t repaired = 0;
    std::size_t non_prose = 0;
    std::vector<ArticleDocs> articles;
    bool feed = false;  // items replace their own articles only: those that left the feed stay
    std::map<std::string, unsigned> spellings;
    std::vector<FileError> errors;  // line errors (JSON Lines)
    std::vector<FileError> warnings;
};

/// Date the articles of the file at @p path that have no date of their own
/// from the path (indexer/path_date.hpp); an impossible date in the path is a
/// warning.
void add_path_dates(const std::string& path, std::span<SourceArticle> arts, std::vector<FileError>& warnings);

/// Where a worker hands over each part of a file's result.
using Emit = std::function<void(JobResult&&)>;

/// Analysis state of one worker thread.
struct Worker {
    analysis::SentenceSplitter sentences;
    DocumentBuilder builder;
    std::vector<std::string> words;

    /// Called with each document as it is built (see build_article).
    using DocSink = std::function<void(Xapian::Document&&)>;

    /// The documents of article @p a of the file at @p file_path, numbered
    /// after @p passage (0: from the first), each given to @p sink; spelling
    /// words counted into @p spell. Returns the number of passages.
    std::size_t build_article(const SourceArticle& a, const std::string& file_path, int passage, const DocSink& sink,
                              std::map<std::string, unsigned>& spell, std::size_t& non_prose);

    /// The documents of article @p a into @p out (one article, all at once: add_article).
    std::size_t build_article(const SourceArticle& a, const std::string& file_path, ArticleDocs& out,
                              std::map<std::string, unsigned>& spell, std::size_t& non_prose);

    /// Read and analyse one file, handing its result to @p emit in parts of
    /// at most part_passages passages; a file larger than piece_bytes is read
    /// in pieces (indexer/reader.hpp). Never throws: a failure is the last part.
    void run(const Job& job, const IndexOptions& opt, const Emit& emit);
};

}  // namespace lede::indexer
