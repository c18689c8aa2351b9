// `lede search` end to end on corpus/: the checks of the slice issue.
#include "tests/e2e/support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

using namespace e2e;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string base(const std::string& p) { return std::filesystem::path(p).filename().string(); }

// Every result: [start, end) of the file is exactly "text"; highlights lie inside text.
void check_offsets(const nlohmann::json& j) {
    for (const auto& r : j["results"]) {
        std::string file = read_file(r["path"].get<std::string>());
        auto s = r["start"].get<std::size_t>();
        auto e = r["end"].get<std::size_t>();
        REQUIRE(e <= file.size());
        CHECK(file.substr(s, e - s) == r["text"].get<std::string>());
        for (const auto& h : r["highlights"]) {
            CHECK(h[0].get<std::size_t>() < h[1].get<std::size_t>());
            CHECK(h[1].get<std::size_t>() <= (e - s));
        }
    }
}

}  // namespace

TEST_CASE("search: Witkoff is found in each article naming him, every highlight on the name") {
    auto j = search_json(corpus_index(), "--per-article 0 -n 20 Witkoff");
    std::set<std::string> files;
    for (const auto& r : j["results"]) {
        files.insert(base(r["path"]));
        std::string text = r["text"];
        REQUIRE(!r["highlights"].empty());
        for (const auto& h : r["highlights"]) {
            CHECK(text.substr(h[0], h[1].get<std::size_t>() - h[0].get<std::size_t>()) == "Witkoff");
        }
    }
    CHECK(files
          == std::set<std::string>{"001_e788bcaf52f473d4.txt", "002_a5e1cc536860f0f3.txt", "003_8e836bdb987be50c.txt",
                                   "004_374b27152c928110.txt"});
    check_offsets(j);
}

TEST_CASE("search: a phrase returns only passages holding the phrase") {
    auto j = search_json(corpus_index(), "--per-article 0 -n 50 '\"security guarantees\"'");
    REQUIRE(j["results"].size() >= 5);
    std::regex phrase("security\\s+guarantees", std::regex::icase);
    for (const auto& r : j["results"]) {
        CHECK(std::regex_search(r["text"].get<std::string>(), phrase));
        for (const auto& h : r["highlights"]) {
            std::string t = r["text"];
            CHECK(lower(t.substr(h[0], h[1].get<std::size_t>() - h[0].get<std::size_t>())) == "security guarantees");
        }
    }
    check_offsets(j);
}

TEST_CASE("search: Donbas ranks passages about the Donbas demands first") {
    auto j = search_json(corpus_index(), "Donbas");
    REQUIRE(j["results"].size() >= 3);
    // The first hits talk about Russia's demand for the Donbas region.
    std::string top = lower(j["results"][0]["text"]);
    CHECK(top.find("donbas") != std::string::npos);
    bool demands = false;
    for (std::size_t i = 0; i < 3; ++i) {
        std::string t = lower(j["results"][i]["text"]);
        demands = demands || t.find("demand") != std::string::npos || t.find("cede") != std::string::npos;
    }
    CHECK(demands);
    check_offsets(j);
}

TEST_CASE("search: stemmed matches are highlighted (talk → talks)") {
    auto j = search_json(corpus_index(), "talk");
    REQUIRE(!j["results"].empty());
    std::string text = j["results"][0]["text"];
    bool talks = false;
    for (const auto& h : j["results"][0]["highlights"]) {
        talks = talks || lower(text.substr(h[0], h[1].get<std::size_t>() - h[0].get<std::size_t>())) == "talks";
    }
    CHECK(talks);
}

TEST_CASE("search: --expand weighs terms of the best passages, and matches the same passages") {
    auto plain = search_json(corpus_index(), "-n 100 --per-article 0 --no-expand prisoner exchange");
    auto expanded = search_json(corpus_index(), "-n 100 --per-article 0 --expand --explain prisoner exchange");
    REQUIRE(!plain["results"].empty());
    CHECK(expanded["total"] == plain["total"]);
    std::set<std::string> a;
    std::set<std::string> b;
    for (const auto& r : plain["results"]) {
        a.insert(r["path"].get<std::string>() + "#" + std::to_string(r["start"].get<std::size_t>()));
    }
    for (const auto& r : expanded["results"]) {
        b.insert(r["path"].get<std::string>() + "#" + std::to_string(r["start"].get<std::size_t>()));
    }
    CHECK(a == b);
    // The added terms are listed, and are none of the query's own words.
    std::string e = expanded["explanation"];
    auto at = e.find("expanded: ");
    REQUIRE(at != std::string::npos);
    std::string line = e.substr(at, e.find('\n', at) - at);
    CHECK(line.find("prison") == std::string::npos);
    CHECK(line.find("exchang") == std::string::npos);
    // Each result's explanation shows every feature of its score.
    for (const char* f : {"bm25", "coverage", "proximity", "article", "form"}) {
        CHECK(expanded["results"][0]["explain"].get<std::string>().find(f) != std::string::npos);
    }
    check_offsets(expanded);
}

TEST_CASE("search: --expand keeps the query's own two best passages first, and the feedback orders the rest") {
    auto plain = search_json(corpus_index(), "-n 6 --per-article 0 --no-expand security guarantees");
    auto expanded = search_json(corpus_index(), "-n 6 --per-article 0 --expand --explain security guarantees");
    auto at = [](const nlohmann::json& j, std::size_t i) {
        return j["results"][i]["path"].get<std::string>() + "#"
               + std::to_string(j["results"][i]["start"].get<std::size_t>());
    };
    REQUIRE(plain["results"].size() == 6);
    REQUIRE(expanded["results"].size() == 6);
    std::vector<std::string> rest_plain;
    std::vector<std::string> rest_expanded;
    for (std::size_t i = 0; i < 6; ++i) {
        const std::string e = expanded["results"][i]["explain"];
        if (i < 2) {
            CHECK(at(expanded, i) == at(plain, i));
            CHECK(e.find("kept in place " + std::to_string(i + 1)) != std::string::npos);
        } else {
            CHECK(e.find("kept") == std::string::npos);
            rest_plain.push_back(at(plain, i));
            rest_expanded.push_back(at(expanded, i));
        }
    }
    CHECK(rest_expanded != rest_plain);  // the feedback still orders the others
}

TEST_CASE("search: --expand's second run takes the first run's passages without analysing them again, alike") {
    // fbreuse=0 (LEDE_RANK, docs/RELEVANCE.md) reads and analyses every
    // candidate of the second run again: the ranks, scores, features,
    // highlights, snippets and copies must be the same either way.
    for (const std::string args : {"--expand --explain -n 20 --per-article 0 prisoner exchange",
                                   "--expand --explain -n 10 security guarantees Kyiv",
                                   "--expand --explain -n 10 '\"security guarantees\" OR Witkoff'",
                                   "--expand --explain -n 10 --sort newest security guarantees",
                                   "--expand --explain -n 10 --all-copies prisoner exchange"}) {
        INFO(args);
        Result again =
            sh("LEDE_RANK=fbreuse=0 " + q(LEDE_BIN) + " search --json --db " + q(corpus_index()) + " " + args);
        REQUIRE(again.exit == 0);
        auto reread = nlohmann::json::parse(again.out);
        auto reused = search_json(corpus_index(), args);
        REQUIRE(!reused["results"].empty());
        CHECK(reused["explanation"].get<std::string>().find("expanded: ") != std::string::npos);
        CHECK(reused["results"] == reread["results"]);
        CHECK(reused["total"] == reread["total"]);
    }
}

TEST_CASE("search: by default a query no passage holds whole gets feedback, one that passages hold does not") {
    auto at = [](const nlohmann::json& j) {
        std::vector<std::string> v;
        for (const auto& r : j["results"]) {
            v.push_back(r["path"].get<std::string>() + "#" + std::to_string(r["start"].get<std::size_t>()));
        }
        return v;
    };
    // A subject said in other words: no passage holds all three words; the
    // default is --expand.
    const std::string subject = "--explain -n 10 --per-article 0 territorial concessions Donbas";
    auto spread = search_json(corpus_index(), subject);
    auto forced = search_json(corpus_index(), "--expand " + subject);
    auto none = search_json(corpus_index(), "--no-expand " + subject);
    REQUIRE(spread["results"].size() == 10);
    CHECK(spread["results"] == forced["results"]);
    CHECK(spread["explanation"].get<std::string>().find("\nexpanded: ") != std::string::npos);
    CHECK(none["explanation"].get<std::string>().find("expanded") == std::string::npos);
    CHECK(at(none) != at(spread));  // --no-expand ranks by the query's own words
    // Passages that hold the whole query, two for a sentence remembered:
    // ranked by its own words unless asked.
    {
        const std::string args = "--explain -n 10 --per-article 0 Rustem Umerov Dmitriev";
        auto plain_default = search_json(corpus_index(), args);
        auto plain = search_json(corpus_index(), "--no-expand " + args);
        auto asked = search_json(corpus_index(), "--expand " + args);
        REQUIRE(plain_default["results"].size() >= 3);
        CHECK(plain_default["explanation"].get<std::string>().find(
                  "\nnot expanded: 2 of the candidates hold the whole query, 2 with two of its words side by side")
              != std::string::npos);
        CHECK(at(plain_default) == at(plain));
        CHECK(asked["explanation"].get<std::string>().find("\nexpanded: ") != std::string::npos);
    }
    // A subject that passages name, its words side by side in five of them
    // ("prisoner exchange"): feedback weighs the candidates in place. The
    // passages are the query's own, the two it ranks first keep their places,
    // and the rest are in another order; --expand runs the query again.
    {
        const std::string args = "--explain -n 40 --per-article 0 prisoner exchange";
        auto named = search_json(corpus_index(), args);
        auto plain = search_json(corpus_index(), "--no-expand " + args);
        auto asked = search_json(corpus_index(), "--expand " + args);
        const std::string e = named["explanation"].get<std::string>();
        CHECK(e.find("\nexpanded: ") != std::string::npos);
        CHECK(e.find("(on the candidates: a subject 5 of them name") != std::string::npos);
        CHECK(asked["explanation"].get<std::string>().find("(on the candidates") == std::string::npos);
        REQUIRE(named["results"].size() >= 3);
        auto mine = at(named);
        auto own = at(plain);
        CHECK(mine.size() == own.size());
        CHECK(std::vector<std::string>(mine.begin(), mine.begin() + 2)
              == std::vector<std::string>(own.begin(), own.begin() + 2));
        CHECK(mine != own);
        std::sort(mine.begin(), mine.end());
        std::sort(own.begin(), own.end());
        CHECK(mine == own);
        CHECK(named["total"] == plain["total"]);
        std::size_t weighed = 0;
        for (const auto& r : named["results"]) {
            weighed +=
                r["explain"].get<std::string>().find("its weight holds the feedback terms'") != std::string::npos;
        }
        CHECK(weighed >= 3);
    }
    // -l and -c: feedback would change only the order of the files; only
    // --expand gives it. Their JSON lists every match, in the order of
    // --no-expand.
    for (const std::string mode : {"-l", "-c"}) {
        CAPTURE(mode);
        const std::string args = mode + " --explain " + subject.substr(subject.find("territorial"));
        auto listed = search_json(corpus_index(), args);
        auto asked = search_json(corpus_index(), "--expand " + args);
        auto own = search_json(corpus_index(), "--no-expand " + args);
        REQUIRE(listed["results"].size() >= 5);
        CHECK(listed["explanation"].get<std::string>().find("expanded") == std::string::npos);
        CHECK(asked["explanation"].get<std::string>().find("\nexpanded: ") != std::string::npos);
        CHECK(at(listed) == at(own));
        CHECK(listed["total"] == asked["total"]);
    }
    // Both at once is a usage error.
    Result both = sh(q(LEDE_BIN) + " search --db " + q(corpus_index()) + " --expand --no-expand Umerov");
    CHECK(both.exit == 2);
    CHECK(both.err.find("--no-expand") != std::string::npos);
}

TEST_CASE("search: JSON follows the contract") {
    auto j = search_json(corpus_index(), "-n 3 Umerov");
    CHECK(j["query"] == "Umerov");
    CHECK(j["total"].is_number_integer());
    REQUIRE(j["results"].size() == 3);
    int rank = 0;
    for (const auto& r : j["results"]) {
        CHECK(r["rank"] == ++rank);
        CHECK(r["score"].is_number());
        CHECK(r["passage"].is_number_integer());
        CHECK(r["snippet"].is_string());
        CHECK(r["highlights"].is_array());
    }
    check_offsets(j);
}

TEST_CASE("search: text output is path:passage: snippet, colour only when asked") {
    Result r = lede("search --db " + q(corpus_index()) + " -n 2 Witkoff");
    CHECK(r.exit == 0);
    CHECK(r.out.find("\x1b[") == std::string::npos);  // piped: no colour
    std::regex line(R"(^\S+\.txt:\d+: .*Witkoff.*$)");
    std::string first = r.out.substr(0, r.out.find('\n'));
    CHECK(std::regex_match(first, line));
    Result c = lede("search --color=always --db " + q(corpus_index()) + " -n 2 Witkoff");
    CHECK(c.out.find("\x1b[1;31mWitkoff\x1b[0m") != std::string::npos);
    Result nc = sh("NO_COLOR=1 " + q(LEDE_BIN) + " search --db " + q(corpus_index()) + " -n 2 Witkoff");
    CHECK(nc.out.find("\x1b[") == std::string::npos);
}

TEST_CASE("search: no match exits 1 and says so, stdout stays empty") {
    Result r = lede("search --db " + q(corpus_index()) + " zzzqqqxxx");
    CHECK(r.exit == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("no passage matches") != std::string::npos);
}

TEST_CASE("search: a missing index says how to build one, exit 2") {
    TempDir d;
    Result r = lede("search --db " + q(d / "nothing") + " Witkoff");
    CHECK(r.exit == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("lede index") != std::string::npos);
}

TEST_CASE("search: LEDE_DB names the index when --db is absent") {
    Result r = sh("LEDE_DB=" + q(corpus_index()) + " " + q(LEDE_BIN) + " search -n 1 Umerov");
    CHECK(r.exit == 0);
    CHECK(r.out.find("Umerov") != std::string::npos);
}

TEST_CASE("search: bad query syntax exits 2 with the column") {
    Result r = lede("search --db " + q(corpus_index()) + " '\"open phrase'");
    CHECK(r.exit == 2);
    CHECK(r.err.find("column 1") != std::string::npos);
}

TEST_CASE("search: booleans") {
    auto j = search_json(corpus_index(), "-n 50 'Witkoff AND Kushner'");
    REQUIRE(!j["results"].empty());
    for (const auto& r : j["results"]) {
        std::string t = lower(r["text"]);
        CHECK(t.find("witkoff") != std::string::npos);
        CHECK(t.find("kushner") != std::string::npos);
    }
    j = search_json(corpus_index(), "-n 50 'prisoners NOT Istanbul'");
    REQUIRE(!j["results"].empty());
    for (const auto& r : j["results"]) {
        CHECK(lower(r["text"]).find("istanbul") == std::string::npos);
    }
}

TEST_CASE("search: spelling variants and Cyrillic find the same person") {
    auto has_file = [](const nlohmann::json& j, const std::string& needle) {
        for (const auto& r : j["results"]) {
            if (r["text"].get<std::string>().find(needle) != std::string::npos) {
                return true;
            }
        }
        return false;
    };
    auto j = search_json(corpus_index(), "Umerov");
    CHECK(has_file(j, "Umyrov"));
    CHECK(j["results"][0]["text"].get<std::string>().find("Umerov") != std::string::npos);  // exact first
    CHECK(has_file(search_json(corpus_index(), "Dmitriev"), "Dmitriyev"));
    CHECK(has_file(search_json(corpus_index(), "Luhansk"), "Lugansk"));
    CHECK(has_file(search_json(corpus_index(), "-n 20 Zelensky"), "Zelenskyy"));
    CHECK(has_file(search_json(corpus_index(), "Зеленский"), "Zelensky"));
    CHECK(has_file(search_json(corpus_index(), "Умеров"), "Umerov"));
    CHECK(has_file(search_json(corpus_index(), "Донбас"), "Donbas"));
    CHECK(has_file(search_json(corpus_index(), "Уиткофф"), "Witkoff"));
}

// Issue 20, items 2 and 6: -C N prints every hit as a hit (with ':'), also
// when it lies in another hit's window; each passage once; paths as without
// -C (relative, JSON Lines articles as path#id); with --heading every group
// gets its heading. A property over queries × context sizes × layouts.
TEST_CASE("search: -C prints every hit, each passage once, paths and headings as without -C") {
    TempDir d;
    write_file(
        d / "feed.jsonl",
        "{\"id\": \"r1\", \"text\": \"Envoys met in Abu Dhabi.\\n\\nWitkoff said the talks were productive.\\n\\n"
        "Prisoners would be exchanged after the talks.\"}\n");
    std::string db = d / "idx";
    REQUIRE(lede("index -q --db " + q(db) + " " + q(corpus_dir()) + " " + q(d / "feed.jsonl")).exit == 0);
    auto lines_of = [](const std::string& s) {
        std::vector<std::string> out;
        std::size_t b = 0;
        for (std::size_t e; (e = s.find('\n', b)) != std::string::npos; b = e + 1) {
            out.push_back(s.substr(b, e - b));
        }
        return out;
    };
    // path, separator (':' hit, '-' context) and passage number of an output line
    const std::regex line_re(R"(^(.+?)([:\-])(\d+)\2 )");
    for (const std::string query : {"talks", "Witkoff", "Russia", "'security guarantees'", "prisoners"}) {
        Result plain = lede("search --no-heading -n 20 --db " + q(db) + " " + query);
        REQUIRE(plain.exit == 0);
        std::vector<std::string> hits;
        for (const auto& l : lines_of(plain.out)) {
            std::smatch m;
            REQUIRE(std::regex_search(l, m, line_re));
            hits.push_back(m[1].str() + ":" + m[3].str());
        }
        for (int c : {1, 2, 3}) {
            CAPTURE(query);
            CAPTURE(c);
            Result ctx = lede("search --no-heading -n 20 -C " + std::to_string(c) + " --db " + q(db) + " " + query);
            REQUIRE(ctx.exit == 0);
            std::set<std::string> shown_hits, shown_all;
            for (const auto& l : lines_of(ctx.out)) {
                if (l == "--") {
                    continue;
                }
                std::smatch m;
                REQUIRE(std::regex_search(l, m, line_re));
                std::string key = m[1].str() + ":" + m[3].str();
                CHECK(shown_all.insert(key).second);  // a passage once, as hit or as context
                if (m[2].str() == ":") {
                    shown_hits.insert(key);
                }
            }
            for (const auto& h : hits) {
                CHECK(shown_hits.count(h) == 1);
            }
            CHECK(shown_hits.size() == hits.size());
        }
    }
    // JSON Lines articles: the same path#id as without -C.
    Result jl = lede("search -C 1 --no-heading --db " + q(db) + " Witkoff");
    Result jl_plain = lede("search --no-heading --db " + q(db) + " Witkoff");
    std::size_t at = jl_plain.out.find("feed.jsonl#r1:2:");
    REQUIRE(at != std::string::npos);
    std::size_t line_start = jl_plain.out.rfind('\n', at) == std::string::npos ? 0 : jl_plain.out.rfind('\n', at) + 1;
    CHECK(jl.out.find(jl_plain.out.substr(line_start, at + 16 - line_start)) != std::string::npos);
    // --heading: every heading of the plain output heads a group with -C too.
    auto headings = [&](const std::string& out) {
        std::set<std::string> hs;
        for (const auto& l : lines_of(out)) {
            std::smatch m;
            if (!l.empty() && l != "--" && !std::regex_search(l, m, std::regex(R"(^\d+[:\-] )"))) {
                hs.insert(l);
            }
        }
        return hs;
    };
    auto with_context = headings(lede("search -C 1 --heading -n 20 --db " + q(db) + " talks").out);
    for (const auto& h : headings(lede("search --heading -n 20 --db " + q(db) + " talks").out)) {
        CAPTURE(h);
        CHECK(with_context.count(h) == 1);
    }
}

// Issue 20 item 8, issue 14: --offset past the last hit says so (not "no
// passage matches"); several output modes: the first of --json, --jsonl,
// -l, -c wins, as docs/output-format.md says, instead of a usage error.
TEST_CASE("search: --offset past the end, and several output modes at once") {
    const std::string& db = corpus_index();
    Result past = lede("search --db " + q(db) + " --offset 1000 talks");
    CHECK(past.exit == 1);
    CHECK(past.out.empty());
    CHECK(past.err.find("no passages after the first 1000 (") != std::string::npos);
    CHECK(past.err.find("no passage matches") == std::string::npos);
    Result json_count = lede("search --db " + q(db) + " --json -c talks");
    REQUIRE(json_count.exit == 0);
    auto j = nlohmann::json::parse(json_count.out);
    CHECK(j["results"].size() == j["total"].get<std::size_t>());  // every match, as -c counts them
    Result files_count = lede("search --db " + q(db) + " -l -c talks");
    CHECK(files_count.out == lede("search --db " + q(db) + " -l talks").out);
}
