#include "indexer/source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace fs = std::filesystem;

namespace lede::indexer {
namespace {

std::string lower_ext(const fs::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

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

// Length of the valid UTF-8 sequence at s[i], or 0 when invalid.
std::size_t utf8_len(const std::string& s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = s.size() - i;
    auto cont = [&](std::size_t k) { return k < n && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80; };
    if (c < 0x80) {
        return c == 0 ? 0 : 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        return cont(1) ? 2 : 0;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2)) {
            return 0;
        }
        auto c1 = static_cast<unsigned char>(s[i + 1]);
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) {
            return 0;  // overlong or surrogate
        }
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) {
            return 0;
        }
        auto c1 = static_cast<unsigned char>(s[i + 1]);
        if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) {
            return 0;
        }
        return 4;
    }
    return 0;
}

}  // namespace

bool is_article_file(const std::string& name) {
    std::string e = lower_ext(name);
    return e == ".txt" || e == ".md" || e == ".markdown" || e == ".text";
}

std::vector<SourceFile> collect_files(const std::vector<std::string>& roots,
                                      std::vector<FileError>& errors) {
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
            if (it.depth() > 64) {
                it.disable_recursion_pending();  // symlink loops end here
            }
            std::error_code sec;
            if (it->is_symlink(sec) && !fs::exists(p, sec)) {
                errors.push_back({p.string(), "broken symbolic link"});
                continue;
            }
            if (it->is_directory(sec)) {
                continue;
            }
            if (!is_article_file(p.filename().string())) {
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
    out.erase(std::unique(out.begin(), out.end(), [](const SourceFile& a, const SourceFile& b) { return a.path == b.path; }),
              out.end());
    return out;
}

std::size_t repair_utf8(std::string& s) {
    std::size_t bad = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = utf8_len(s, i);
        if (n == 0) {
            s[i] = '?';
            ++bad;
            n = 1;
        }
        i += n;
    }
    return bad;
}

bool load_text(const std::string& path, LoadedText& out, std::string& reason) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        reason = std::strerror(errno);
        return false;
    }
    out.text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) {
        reason = "read error";
        return false;
    }
    // A NUL in the first 8 KiB marks a binary file (the grep/ripgrep heuristic).
    std::string_view head(out.text.data(), std::min<std::size_t>(out.text.size(), 8192));
    if (head.find('\0') != std::string_view::npos) {
        reason = "binary file (NUL bytes)";
        return false;
    }
    out.repaired = repair_utf8(out.text);
    return true;
}

}  // namespace lede::indexer
