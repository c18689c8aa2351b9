#include "indexer/source.hpp"

#include "analysis/utf8.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>

namespace fs = std::filesystem;

namespace lede::indexer {
namespace {

bool stat_file(const fs::path& p, SourceFile& f, std::string& reason) {
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (ec) {
        reason = ec.message();
        return false;
    }
    if (!fs::is_regular_file(st)) {
        reason = "not a regular file";
        return false;
    }
    f.size = fs::file_size(p, ec);
    auto t = fs::last_write_time(p, ec);
    if (ec) {
        reason = ec.message();
        return false;
    }
    f.mtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    return true;
}

}  // namespace

const std::vector<std::string>& default_includes() {
    static const std::vector<std::string> globs{"*.txt",  "*.text", "*.md",  "*.markdown", "*.jsonl", "*.ndjson",
                                                "*.html", "*.htm",  "*.rss", "*.atom",     "*.xml"};
    return globs;
}

namespace {

// Folders below a root that are walked; each level holds a directory open.
constexpr int max_folder_depth = 256;

bool matches_any(const std::vector<std::string>& globs, const std::string& name) {
    return std::any_of(globs.begin(), globs.end(),
                       [&](const std::string& g) { return fnmatch(g.c_str(), name.c_str(), FNM_CASEFOLD) == 0; });
}

}  // namespace

std::vector<SourceFile> collect_files(const std::vector<std::string>& roots,
                                      const std::vector<std::string>& include_globs,
                                      const std::vector<std::string>& exclude, std::vector<FileError>& errors) {
    const std::vector<std::string>& include = include_globs.empty() ? default_includes() : include_globs;
    std::vector<SourceFile> out;
    for (const std::string& root : roots) {
        std::error_code ec;
        fs::path abs = fs::absolute(root, ec).lexically_normal();
        auto st = fs::status(abs, ec);
        if (ec || !fs::exists(st)) {
            errors.push_back({root, fs::is_symlink(fs::symlink_status(abs, ec)) ? "broken symbolic link"
                                                                                : "no such file or directory"});
            continue;
        }
        if (!fs::is_directory(st)) {
            SourceFile f;
            f.path = abs.string();
            std::string reason;
            if (stat_file(abs, f, reason)) {
                out.push_back(std::move(f));  // named explicitly: indexed whatever its extension
            } else {
                errors.push_back({root, reason});
            }
            continue;
        }
        std::set<std::string> visited;
        // The root as the file system sees it (its own path may pass through links).
        const fs::path real_root = fs::canonical(abs, ec);
        ec.clear();
        fs::recursive_directory_iterator it(abs, fs::directory_options::follow_directory_symlink, ec);
        if (ec) {
            errors.push_back({root, ec.message()});
            continue;
        }
        for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (ec) {
                errors.push_back({it->path().string(), ec.message()});
                ec.clear();
                continue;
            }
            const fs::path& p = it->path();
            std::error_code sec;
            if (it->is_symlink(sec) && !fs::exists(p, sec)) {
                // exists() fails with ELOOP on a link that resolves to itself.
                errors.push_back({p.string(), sec == std::errc::too_many_symbolic_link_levels
                                                  ? "symbolic link loop"
                                                  : "broken symbolic link"});
                continue;
            }
            std::string name = p.filename().string();
            if (it->is_directory(sec)) {
                if (matches_any(exclude, name)) {
                    it.disable_recursion_pending();
                } else if (it.depth() >= max_folder_depth) {
                    // Each level holds a directory handle open: deeper trees
                    // are reported, never skipped without a word.
                    it.disable_recursion_pending();
                    errors.push_back({p.string(), "folder nested more than " + std::to_string(max_folder_depth)
                                                      + " levels deep (not walked; index it as a root of its own)"});
                } else if (it->is_symlink(sec)) {
                    // A linked folder is walked once. Not followed, and
                    // reported: a link to the folder holding it or to any
                    // folder above (a loop, also above the root), to a folder
                    // inside the root (walked anyway), or to a folder already
                    // walked through another link.
                    fs::path real = fs::canonical(p, sec);
                    fs::path real_parent = fs::canonical(p.parent_path(), sec);
                    auto within = [](const fs::path& inner, const fs::path& outer) {
                        return inner == outer || inner.string().starts_with(outer.string() + "/");
                    };
                    if (sec || within(real_parent, real)) {
                        it.disable_recursion_pending();
                        errors.push_back({p.string(), "symbolic link loop (not followed)"});
                    } else if (within(real, real_root) || !visited.insert(real.string()).second) {
                        it.disable_recursion_pending();
                        errors.push_back({p.string(), "link to a folder indexed already (not followed)"});
                    }
                }
                continue;
            }
            if (!matches_any(include, name) || matches_any(exclude, name)) {
                continue;
            }
            SourceFile f;
            f.path = p.lexically_normal().string();
            std::string reason;
            if (stat_file(p, f, reason)) {
                out.push_back(std::move(f));
            } else {
                errors.push_back({p.string(), reason});
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    out.erase(
        std::unique(out.begin(), out.end(), [](const SourceFile& a, const SourceFile& b) { return a.path == b.path; }),
        out.end());
    return out;
}

bool load_stream(std::istream& in, LoadedText& out, std::string& reason) {
    out.text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) {
        reason = "read error";
        return false;
    }
    return load_bytes(std::move(out.text), out, reason);
}

bool load_bytes(std::string bytes, LoadedText& out, std::string& reason) {
    out.text = std::move(bytes);
    // A NUL in the first 8 KiB marks a binary file (the grep/ripgrep heuristic).
    std::string_view head(out.text.data(), std::min<std::size_t>(out.text.size(), 8192));
    if (head.find('\0') != std::string_view::npos && !wide_unicode(head)) {
        reason = "binary file (NUL bytes)";
        return false;
    }
    Decoded d = decode(std::move(out.text));
    out.text = std::move(d.text);
    out.repaired = d.repaired;
    out.charset = std::move(d.charset);
    out.how = d.how;
    out.origin = std::move(d.origin);
    return true;
}

bool load_text(const std::string& path, LoadedText& out, std::string& reason) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        reason = std::strerror(errno);
        return false;
    }
    return load_stream(in, out, reason);
}

}  // namespace lede::indexer
