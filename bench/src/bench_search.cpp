// lede-bench-search: in-process search latency through the library, the way an
// embedding program searches (one Searcher kept open). Every query of the mix
// is searched REPEAT times after one untimed warm-up pass; each search
// includes parsing, matching, reranking, highlights and snippets of the top N.
//
//   lede-bench-search --db DIR --queries FILE [--repeat N] [-n 10] [--all-copies] [--expand|--no-expand]
//                     [--no-count] [--no-map]
//
// --all-copies shows every copy of a passage (SearchOptions::all_copies), as
// bench/run.sh does so that xl (large ten times) stays comparable. --expand
// gives every query pseudo-relevance feedback (SearchOptions::expand), and
// --no-expand none; by default, as the CLI, the queries no candidate holds whole.
// --no-count leaves total to the ranked match's estimate (SearchOptions::
// count_total off, as the CLI's text output does; the peers count nothing).
// --no-map reads the index with pread(2) as the lede command does
// (OpenOptions::map_files off; docs/ARCHITECTURE.md "Reads from memory maps").
//
// Prints one JSON line: {"p50_ms", "p99_ms", "mean_ms", "searches"}.
#include <lede/lede.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    std::string db;
    std::string queries_file;
    int repeat = 20;
    std::size_t n = 10;
    bool all_copies = false;
    auto expand = lede::SearchOptions::Expand::automatic;
    bool count = true;
    bool map = true;
    for (int i = 1; i < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--all-copies") {
            all_copies = true;
            --i;
        } else if (a == "--expand") {
            expand = lede::SearchOptions::Expand::always;
            --i;
        } else if (a == "--no-expand") {
            expand = lede::SearchOptions::Expand::never;
            --i;
        } else if (a == "--no-count") {
            count = false;
            --i;
        } else if (a == "--no-map") {
            map = false;
            --i;
        } else if (i + 1 >= argc) {
            break;
        } else if (a == "--db") {
            db = argv[i + 1];
        } else if (a == "--queries") {
            queries_file = argv[i + 1];
        } else if (a == "--repeat") {
            repeat = std::atoi(argv[i + 1]);
        } else if (a == "-n") {
            n = static_cast<std::size_t>(std::atoi(argv[i + 1]));
        }
    }
    if (db.empty() || queries_file.empty() || repeat < 1) {
        std::cerr << "usage: lede-bench-search --db DIR --queries FILE [--repeat N] [-n 10] [--all-copies]"
                     " [--expand|--no-expand] [--no-count] [--no-map]\n";
        return 2;
    }
    std::vector<std::string> queries;
    std::ifstream in(queries_file);
    for (std::string q; std::getline(in, q);) {
        if (!q.empty()) {
            queries.push_back(q);
        }
    }
    if (queries.empty()) {
        std::cerr << "lede-bench-search: no query in " << queries_file << '\n';
        return 2;
    }
    try {
        lede::OpenOptions open;
        open.map_files = map;
        if (const char* r = std::getenv("LEDE_RANK"); r != nullptr) {
            open.ranking = r;  // tuning runs, as the lede command
        }
        lede::Searcher s(std::vector<std::string>{db}, open);
        lede::SearchOptions opt;
        opt.limit = n;
        opt.per_article = 3;
        opt.all_copies = all_copies;
        opt.expand = expand;
        opt.count_total = count;
        for (const auto& q : queries) {
            (void)s.search(q, opt);  // warm-up
        }
        std::vector<double> ms;
        for (int r = 0; r < repeat; ++r) {
            for (const auto& q : queries) {
                auto t0 = std::chrono::steady_clock::now();
                lede::SearchResults res = s.search(q, opt);
                auto t1 = std::chrono::steady_clock::now();
                ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
            }
        }
        std::sort(ms.begin(), ms.end());
        auto pct = [&](double p) {
            std::size_t k = static_cast<std::size_t>(std::max(0.0, std::ceil(p / 100.0 * ms.size()) - 1));
            return ms[std::min(k, ms.size() - 1)];
        };
        double mean = 0;
        for (double v : ms) {
            mean += v;
        }
        mean /= static_cast<double>(ms.size());
        std::printf("{\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"mean_ms\": %.3f, \"searches\": %zu}\n", pct(50), pct(99),
                    mean, ms.size());
    } catch (const lede::Error& e) {
        std::cerr << "lede-bench-search: " << e.what() << '\n';
        return 2;
    }
    return 0;
}
