// The seed checks of the relevance development set (tests/data/eval/, copied
// from ../shared/eval): name variants, Cyrillic, phrases, typos, booleans,
// ranking and junk over corpus/, checked the way ../shared/eval/score.py does.
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

using namespace e2e;

namespace {

std::vector<std::string> split(const std::string& s, const std::string& sep) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    for (std::size_t at; (at = s.find(sep, pos)) != std::string::npos; pos = at + sep.size()) {
        out.push_back(s.substr(pos, at - pos));
    }
    out.push_back(s.substr(pos));
    return out;
}

std::string norm_ws(const std::string& s) {
    std::istringstream in(s);
    std::string w;
    std::string out;
    while (in >> w) {
        out += (out.empty() ? "" : " ") + w;
    }
    return out;
}

bool hits(const nlohmann::json& r, const std::string& file, const std::string& sentence) {
    if (std::filesystem::path(r["path"].get<std::string>()).filename() != file) {
        return false;
    }
    std::string data = read_file(corpus_dir() + "/" + file);
    std::size_t s = r["start"];
    std::size_t e = r["end"];
    for (std::size_t at = data.find(sentence); at != std::string::npos; at = data.find(sentence, at + 1)) {
        if (s < at + sentence.size() && e > at) {
            return true;
        }
    }
    return norm_ws(r["text"]).find(norm_ws(sentence.substr(0, 60))) != std::string::npos;
}

bool clause_ok(std::string clause, const nlohmann::json& top) {
    if (clause == "EMPTY") {
        return top.empty();
    }
    for (const char* kind : {"ALL_TEXT ~ ", "NONE_TEXT ~ "}) {
        if (clause.starts_with(kind)) {
            std::string rx = clause.substr(std::string(kind).size());
            if (rx.starts_with("(?s)")) {
                rx = rx.substr(4);  // ECMAScript has no inline flags; passages are one line
            }
            std::regex re(rx, std::regex::icase);
            bool all = true;
            bool any = false;
            for (const auto& r : top) {
                bool m = std::regex_search(r["text"].get<std::string>(), re);
                all = all && m;
                any = any || m;
            }
            return kind[0] == 'A' ? !top.empty() && all : !any;
        }
    }
    bool neg = clause.starts_with("NOT ");
    if (neg) {
        clause = clause.substr(4);
    }
    auto parts = split(clause, " :: ");
    REQUIRE(parts.size() == 2);
    bool found = false;
    for (const auto& r : top) {
        found = found || hits(r, parts[0], parts[1]);
    }
    return neg ? !found : found;
}

}  // namespace

TEST_CASE("eval: the seed checks of the development set pass") {
    std::ifstream in(data_dir() + "/eval/seeds_checks.dev.tsv");
    REQUIRE(in);
    std::string line;
    std::getline(in, line);  // header
    int must = 0;
    while (std::getline(in, line)) {
        auto f = split(line, "\t");
        REQUIRE(f.size() == 6);
        const std::string& id = f[0];
        const std::string& query = f[1];
        std::size_t k = std::stoul(f[4]);
        CAPTURE(id);
        CAPTURE(query);
        Result r = lede("search --json --db " + q(corpus_index()) + " -n "
                        + std::to_string(std::max<std::size_t>(k, 10)) + " " + q(query));
        REQUIRE((r.exit == 0 || r.exit == 1));
        auto j = nlohmann::json::parse(r.out);
        nlohmann::json top = nlohmann::json::array();
        for (std::size_t i = 0; i < j["results"].size() && i < k; ++i) {
            top.push_back(j["results"][i]);
        }
        bool ok = true;
        for (const auto& c : split(f[3], " && ")) {
            ok = ok && clause_ok(c, top);
        }
        CHECK(ok);
        must += f[5] == "must" ? 1 : 0;
    }
    CHECK(must == 17);
}
