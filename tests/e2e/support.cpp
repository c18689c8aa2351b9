#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace e2e {

std::string q(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const std::string& path, const std::string& content) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
}

TempDir::TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "lede-e2e-XXXXXX").string();
    char* p = mkdtemp(tmpl.data());
    REQUIRE(p != nullptr);
    path_ = p;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

Result sh(const std::string& cmdline) {
    static TempDir scratch;
    static int n = 0;
    std::string errfile = scratch / ("err" + std::to_string(++n));
    std::string full = "(" + cmdline + ") 2>" + q(errfile);
    Result r;
    FILE* f = popen(full.c_str(), "r");
    REQUIRE(f != nullptr);
    char buf[65536];
    std::size_t got = 0;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        r.out.append(buf, got);
    }
    int status = pclose(f);
    r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.err = read_file(errfile);
    return r;
}

Result lede(const std::string& args) { return sh(q(LEDE_BIN) + " " + args); }

pid_t spawn_lede(const std::vector<std::string>& args, const SpawnIo& io) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(LEDE_BIN));
    for (const auto& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        // Only async-signal-safe calls between fork and exec.
        int in = io.stdin_fd >= 0 ? io.stdin_fd : open("/dev/null", O_RDONLY);
        if (in < 0 || dup2(in, 0) < 0) {
            _exit(127);
        }
        if (!io.out.empty()) {
            int o = open(io.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (o < 0 || dup2(o, 1) < 0) {
                _exit(127);
            }
        }
        if (!io.err.empty()) {
            int e = open(io.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (e < 0 || dup2(e, 2) < 0) {
                _exit(127);
            }
        }
        execv(LEDE_BIN, argv.data());
        _exit(127);
    }
    return pid;
}

int kill_after(pid_t pid, int delay_ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

std::string corpus_dir() { return std::string(LEDE_SOURCE_DIR) + "/corpus"; }
std::string data_dir() { return std::string(LEDE_SOURCE_DIR) + "/tests/data"; }

std::vector<std::string> cut_sotu(const std::string& dir) {
    namespace fs = std::filesystem;
    std::vector<fs::path> sources;
    for (const auto& e : fs::directory_iterator(data_dir() + "/sotu")) {
        sources.push_back(e.path());
    }
    std::sort(sources.begin(), sources.end());
    fs::create_directories(dir);
    std::vector<std::string> files;
    for (std::size_t f = 0; f < sources.size(); ++f) {
        // The sample files are one line each: paragraphs of three sentences.
        const std::string text = read_file(sources[f].string());
        std::vector<std::string> ps;
        std::size_t start = 0;
        int sentences = 0;
        for (std::size_t p = text.find(". "); p != std::string::npos; p = text.find(". ", p + 2)) {
            if (++sentences % 3 == 0) {
                ps.push_back(text.substr(start, p + 1 - start) + "\n\n");
                start = p + 2;
            }
        }
        ps.push_back(text.substr(start) + "\n\n");
        for (std::size_t i = 0, n = 0; i < ps.size(); i += 6, ++n) {
            std::string body;
            for (std::size_t k = i; k < std::min(ps.size(), i + 6); ++k) {
                body += ps[k];
            }
            char name[64];
            std::snprintf(name, sizeof name, "/sotu_%02zu_%02zu.txt", f, n);
            files.push_back(dir + name);
            write_file(files.back(), body);
        }
    }
    return files;
}

const std::string& corpus_index() {
    static TempDir dir;
    static std::string db = dir / "index";
    static bool built = [] {
        Result r = lede("index --db " + q(db) + " " + q(corpus_dir()));
        INFO(r.err);
        REQUIRE(r.exit == 0);
        return true;
    }();
    (void)built;
    return db;
}

std::size_t passages(const std::string& db) {
    Result r = lede("stats --json --db " + q(db));
    REQUIRE(r.exit == 0);
    return nlohmann::json::parse(r.out)["passages"].get<std::size_t>();
}

nlohmann::json search_json(const std::string& db, const std::string& query_args) {
    Result r = lede("search --json --db " + q(db) + " " + query_args);
    INFO("stderr: " << r.err);
    REQUIRE((r.exit == 0 || r.exit == 1));
    nlohmann::json j;
    REQUIRE_NOTHROW(j = nlohmann::json::parse(r.out));
    return j;
}

namespace {

std::vector<std::string> stub_lines(const std::string& db) {
    std::vector<std::string> out;
    std::istringstream in(read_file(db + "/XAPIANDB"));
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("glass ")) {
            out.push_back(db + "/" + line.substr(6));
        }
    }
    return out;
}

}  // namespace

void same_results(const nlohmann::json& a, const nlohmann::json& b, double tolerance) {
    REQUIRE(a["results"].size() == b["results"].size());
    for (std::size_t i = 0; i < a["results"].size(); ++i) {
        const auto& x = a["results"][i];
        const auto& y = b["results"][i];
        CAPTURE(i);
        CHECK(x["path"] == y["path"]);
        CHECK(x["passage"] == y["passage"]);
        CHECK(x["text"] == y["text"]);
        CHECK(x.value("title", "") == y.value("title", ""));
        CHECK(x["snippet"] == y["snippet"]);
        CHECK(x["highlights"] == y["highlights"]);
        CHECK(x.value("copies", nlohmann::json::array()) == y.value("copies", nlohmann::json::array()));
        double sx = x["score"];
        double sy = y["score"];
        CHECK(std::fabs(sx - sy) <= tolerance * std::max(1.0, std::fabs(sx)));
    }
}

std::string meta_db(const std::string& db) {
    auto l = stub_lines(db);
    return l.empty() ? std::string() : l.front();
}

std::vector<std::string> segment_dbs(const std::string& db) {
    auto l = stub_lines(db);
    return l.empty() ? l : std::vector<std::string>(l.begin() + 1, l.end());
}

}  // namespace e2e
