// A minimal program embedding lede: open an index, search, print the
// highlighted passages the way `lede search` does.
//
//   build:  cmake -S examples -B build-example -DCMAKE_PREFIX_PATH=/your/prefix && cmake --build build-example
//      or:  g++ -std=c++20 examples/search.cpp $(pkg-config --cflags --libs lede) -o lede-example
//   run:    ./lede-example INDEX_DIR QUERY...
#include <lede/lede.hpp>

#include <iostream>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: " << argv[0] << " INDEX_DIR QUERY...\n";
        return 2;
    }
    std::string query;
    for (int i = 2; i < argc; ++i) {
        query += (i > 2 ? " " : "") + std::string(argv[i]);
    }
    try {
        lede::Searcher searcher(argv[1]);
        lede::SearchOptions options;
        options.limit = 5;
        lede::SearchResults results = searcher.search(query, options);
        for (const lede::Hit& hit : results.hits) {
            std::cout << hit.rank << ". " << hit.path << " #" << hit.passage << " (score " << hit.score << ")\n   ";
            // Mark the highlights with [brackets] by hand; lede::print_text does colour.
            std::size_t pos = 0;
            for (const lede::Span& s : hit.snippet_highlights) {
                std::cout << hit.snippet.substr(pos, s.begin - pos) << '['
                          << hit.snippet.substr(s.begin, s.end - s.begin) << ']';
                pos = s.end;
            }
            std::cout << hit.snippet.substr(pos) << '\n';
        }
        std::cout << results.hits.size() << " of about " << results.total << " passages (lede " << lede::version()
                  << ")\n";
        return results.hits.empty() ? 1 : 0;
    } catch (const lede::QuerySyntaxError& e) {
        std::cerr << "bad query: " << e.what() << '\n';
        return 2;
    } catch (const lede::Error& e) {
        std::cerr << e.what() << '\n';
        return 2;
    }
}
