#include "query/expand.hpp"

#include "index/schema.hpp"

#include <algorithm>
#include <filesystem>
#include <unordered_map>

namespace lede::query {
namespace {

struct Word {
    std::string text;    // as typed
    std::size_t at = 0;  // byte offset in the query
};

// The positive plain words of the query, where they stand in the query text.
void collect_words(const Node& n, std::string_view q, bool positive, std::vector<Word>& out) {
    if (n.kind == NodeKind::word && positive && !n.exact && n.mark != Mark::minus) {
        std::size_t at = q.find(n.text, n.column > 0 ? n.column - 1 : 0);
        if (at != std::string_view::npos) {
            out.push_back({n.text, at});
        }
        return;
    }
    for (std::size_t i = 0; i < n.children.size(); ++i) {
        bool pos = positive;
        if (n.kind == NodeKind::and_not && i >= 1) {
            pos = !positive;
        }
        if (n.children[i].mark == Mark::minus) {
            pos = !positive;
        }
        collect_words(n.children[i], q, pos, out);
    }
}

// Whether the index has the word or its stem. (Not its spelling variants:
// Witkof finds Witkoff through its variant key, and still deserves a
// "did you mean: Witkoff?".)
bool known(const Xapian::Database& db, const analysis::Token& t, analysis::TermMaker& terms) {
    if (db.term_exists(t.term)) {
        return true;
    }
    std::string stem = terms.stem(t.term);
    return db.term_exists(stem) || db.term_exists(index::stem_term(stem));
}

}  // namespace

std::vector<std::string> expand_prefix(const Xapian::Database& db, const std::string& prefix, std::size_t limit) {
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
        found.emplace_back(it.get_termfreq(), *it);
    }
    if (found.size() > limit) {
        std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(limit), found.end(),
                          [](const auto& a, const auto& b) {
                              return a.first > b.first || (a.first == b.first && a.second < b.second);
                          });
        found.resize(limit);
    }
    std::vector<std::string> out;
    out.reserve(found.size());
    for (auto& f : found) {
        out.push_back(std::move(f.second));
    }
    return out;
}

std::vector<std::string> files_under(const Xapian::Database& db, const std::string& path) {
    std::vector<std::string> out;
    const std::string t = index::path_term_prefix(path);
    for (auto it = db.allterms_begin(t); it != db.allterms_end(t); ++it) {
        if (path.ends_with('/') || *it == t) {
            out.push_back(index::file_term_of_path_term(*it));
        }
    }
    return out;
}

std::vector<std::string> files_under_resolved(const Xapian::Database& db, const std::string& real,
                                              std::size_t max_files) {
    std::vector<std::string> out;
    std::unordered_map<std::string, std::string> folders;  // stored folder → with its links resolved
    const std::string t = index::path_term_prefix("/");
    std::size_t seen = 0;
    for (auto it = db.allterms_begin(t); it != db.allterms_end(t) && seen < max_files; ++it, ++seen) {
        const std::string term = *it;
        const std::string_view path = std::string_view(term).substr(index::prefix::path.size());
        const std::size_t slash = path.rfind('/');
        std::string folder(path.substr(0, slash + 1));
        auto [f, fresh] = folders.try_emplace(folder);
        if (fresh) {
            std::error_code ec;
            std::filesystem::path c = std::filesystem::weakly_canonical(folder, ec);
            f->second = ec ? std::string() : c.string();
            if (!f->second.empty() && !f->second.ends_with('/')) {
                f->second += '/';
            }
        }
        if (f->second.empty()) {
            continue;
        }
        const std::string resolved = f->second + std::string(path.substr(slash + 1));
        if (real.ends_with('/') ? resolved.starts_with(real) : resolved == real) {
            out.push_back(index::file_term_of_path_term(term));
        }
    }
    return out;
}

std::string correct_spelling(const Xapian::Database& db, const Node& ast, std::string_view q,
                             analysis::Analyzer& analyzer, analysis::TermMaker& terms, bool& confident) {
    confident = true;
    std::vector<Word> words;
    collect_words(ast, q, true, words);
    std::string out(q);
    bool changed = false;
    for (auto it = words.rbegin(); it != words.rend(); ++it) {
        std::vector<analysis::Token> toks;
        analyzer.tokenize(it->text, toks);
        if (toks.size() != 1 || toks[0].numeric || known(db, toks[0], terms)) {
            continue;
        }
        // Short words tolerate one edit: two would turn junk (TFWP) into a word (top).
        unsigned edits = toks[0].term.size() <= 4 ? 1 : 2;
        std::string s = db.get_spelling_suggestion(toks[0].term, edits);
        if (s.empty()) {
            continue;
        }
        if (s[0] != toks[0].term[0]) {
            confident = false;  // Crimea → Prime: suggest it, never search it unasked
        }
        if (toks[0].capitalized && s[0] >= 'a' && s[0] <= 'z') {
            s[0] = static_cast<char>(s[0] - 'a' + 'A');
        }
        out.replace(it->at, it->text.size(), s);
        changed = true;
    }
    return changed ? out : std::string();
}

}  // namespace lede::query
