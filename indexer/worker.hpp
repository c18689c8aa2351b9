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
#include <map>
#include <optional>
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

/// The documents of one article's passages.
struct ArticleDocs {
    std::string key;
    std::vector<Xapian::Document> docs;
};

/// What a worker made of a Job.
struct JobResult {
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
void add_path_dates(const std::string& path, std::vector<SourceArticle>& arts, std::vector<FileError>& warnings);

/// Analysis state of one worker thread.
struct Worker {
    analysis::SentenceSplitter sentences;
    DocumentBuilder builder;
    std::vector<std::string> words;

    /// The documents of article @p a of the file at @p file_path; spelling
    /// words counted into @p spell. Returns the number of passages.
    std::size_t build_article(const SourceArticle& a, const std::string& file_path, ArticleDocs& out,
                              std::map<std::string, unsigned>& spell, std::size_t& non_prose);

    /// Read and analyse one file.
    JobResult run(const Job& job, const IndexOptions& opt);
};

}  // namespace lede::indexer
