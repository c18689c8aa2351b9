// lede-bench-copies: the near-copy rule (query/copies.hpp) measured on pairs of
// passages, and pairs mined from an index for labelling (bench/copies/README.md).
//
//   lede-bench-copies pairs FILE.tsv [--max-distance D] [--min-resemblance J]
//                                    [--min-containment C] [--min-own O]
//                                    [--min-common N] [--numbers 0|1]
//       FILE.tsv: id, label, kind, how, text_a, text_b (tab-separated, a header
//       line first; \n, \t and \\ escaped in the texts). Prints per pair: id,
//       label, kind, shingles of a and b, sketch distance, resemblance,
//       containment, own-word overlap, the sketch stage's verdict and the
//       whole rule's (1 = copies).
//   lede-bench-copies mine --db DIR [--mine-distance D] [--probes P] [--passages N] [rule options]
//       Pairs of passages of different articles whose sketches differ in at
//       most D bits (default 28; read from value slot 6; of the first N
//       passages): P probes spread evenly over them (default 3000), each
//       against all the others, at most 3 pairs per probe; with the same
//       measures and the rule's verdict, where each is (path:passage) and both texts.
//   lede-bench-copies strip --db DIR
//       Remove the sketches (value slot 6) from a copy of an index, to measure
//       what they cost in size (compact both, compare).
#include <xapian.h>

#include "analysis/analyzer.hpp"
#include "analysis/sketch.hpp"
#include "index/record.hpp"
#include "index/schema.hpp"
#include "query/copies.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

std::string unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            char c = s[++i];
            out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\n' || c == '\r') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\\') {
            out += "\\\\";
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> f;
    std::size_t p = 0;
    for (;;) {
        std::size_t t = line.find('\t', p);
        f.push_back(line.substr(p, t == std::string::npos ? std::string::npos : t - p));
        if (t == std::string::npos) {
            return f;
        }
        p = t + 1;
    }
}

int pairs(const std::string& file, const lede::query::CopyRule& rule) {
    std::ifstream in(file);
    if (!in) {
        std::cerr << "lede-bench-copies: " << file << ": cannot read\n";
        return 2;
    }
    lede::analysis::Analyzer an;
    std::string line;
    std::getline(in, line);  // header
    std::printf(
        "id\tlabel\tkind\tshingles_a\tshingles_b\tdistance\tresemblance\tcontainment\town\tcommon\tnumbers_changed\tnear\tcopies\n");
    while (std::getline(in, line)) {
        auto f = split_tabs(line);
        if (f.size() < 6) {
            continue;
        }
        std::vector<lede::analysis::Token> ta;
        std::vector<lede::analysis::Token> tb;
        an.tokenize(unescape(f[4]), ta);
        an.tokenize(unescape(f[5]), tb);
        std::string xa = unescape(f[4]);
        std::string xb = unescape(f[5]);
        auto sa = lede::analysis::sketch(ta);
        auto sb = lede::analysis::sketch(tb);
        auto sim = lede::query::similarity(lede::query::profile(xa, ta), lede::query::profile(xb, tb));
        std::printf("%s\t%s\t%s\t%u\t%u\t%d\t%.3f\t%.3f\t%.3f\t%zu\t%d\t%d\t%d\n", f[0].c_str(), f[1].c_str(),
                    f[2].c_str(), sa.shingles, sb.shingles, lede::analysis::distance(sa, sb), sim.resemblance,
                    sim.containment, sim.own, sim.common, sim.numbers_changed ? 1 : 0,
                    lede::query::sketches_near(sa, sb, rule) ? 1 : 0,
                    lede::query::are_copies(xa, ta, sa, xb, tb, sb, rule) ? 1 : 0);
    }
    return 0;
}

int mine(const std::string& db_path, int max_distance, std::size_t limit, std::size_t probes,
         const lede::query::CopyRule& rule) {
    Xapian::Database db(db_path);
    struct P {
        lede::analysis::Sketch s;
        std::string where;
        std::string article;
        std::string text;
    };
    std::vector<P> ps;
    std::string last_path;
    for (auto it = db.postlist_begin(""); it != db.postlist_end("") && ps.size() < limit; ++it) {
        Xapian::Document doc = db.get_document(*it);
        auto sk = lede::analysis::decode_sketch(doc.get_value(lede::index::slot_sketch));
        auto rec = lede::index::load(doc);
        if (!sk || !rec) {
            continue;
        }
        if (!rec->path.empty()) {
            last_path = rec->path;
        }
        std::string art = lede::index::needs_article(*rec) ? rec->article : lede::index::article_ref(rec->article);
        ps.push_back(
            P{*sk, (rec->path.empty() ? last_path : rec->path) + ":" + std::to_string(rec->passage), art, rec->text});
    }
    lede::analysis::Analyzer an;
    std::vector<lede::analysis::Token> ta;
    std::vector<lede::analysis::Token> tb;
    std::printf("distance\tresemblance\tcontainment\town\tcopies\twhere_a\twhere_b\ttext_a\ttext_b\n");
    // Probes: every step-th passage, each against all others (at most 3 pairs
    // per probe, so that one spam run repeated a thousand times does not
    // fill the sample).
    const std::size_t step = std::max<std::size_t>(1, ps.size() / std::max<std::size_t>(probes, 1));
    for (std::size_t i = 0; i < ps.size(); i += step) {
        int found = 0;
        for (std::size_t j = 0; j < ps.size() && found < 3; ++j) {
            const P& a = ps[i];
            const P& b = ps[j];
            if (i == j || a.article == b.article || a.s.exact() != b.s.exact()) {
                continue;
            }
            int d = lede::analysis::distance(a.s, b.s);
            if (a.s.exact() ? d != 0 : d > max_distance) {
                continue;
            }
            ++found;
            ta.clear();
            tb.clear();
            an.tokenize(a.text, ta);
            an.tokenize(b.text, tb);
            auto sim = lede::query::similarity(lede::query::profile(a.text, ta), lede::query::profile(b.text, tb));
            std::printf("%d\t%.3f\t%.3f\t%.3f\t%d\t%s\t%s\t%s\t%s\n", d, sim.resemblance, sim.containment, sim.own,
                        lede::query::are_copies(a.text, ta, a.s, b.text, tb, b.s, rule) ? 1 : 0, a.where.c_str(),
                        b.where.c_str(), escape(a.text).c_str(), escape(b.text).c_str());
        }
    }
    return 0;
}

int strip(const std::string& db_path) {
    Xapian::WritableDatabase db(db_path, Xapian::DB_OPEN);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        Xapian::Document doc = db.get_document(*it);
        doc.remove_value(lede::index::slot_sketch);
        db.replace_document(*it, doc);
    }
    db.commit();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: lede-bench-copies pairs FILE.tsv [--max-distance D] [--min-resemblance J]\n"
                     "       lede-bench-copies mine --db DIR [--mine-distance D] [--probes P] [--passages N]\n";
        return 2;
    }
    std::string mode = argv[1];
    lede::query::CopyRule rule;
    std::string db;
    int mine_distance = 28;
    std::string file;
    std::size_t limit = 1000000;
    std::size_t probes = 3000;
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--max-distance" && i + 1 < argc) {
            rule.max_distance = std::atoi(argv[++i]);
        } else if (a == "--mine-distance" && i + 1 < argc) {
            mine_distance = std::atoi(argv[++i]);
        } else if (a == "--min-resemblance" && i + 1 < argc) {
            rule.min_resemblance = std::atof(argv[++i]);
        } else if (a == "--min-containment" && i + 1 < argc) {
            rule.min_containment = std::atof(argv[++i]);
        } else if (a == "--min-own" && i + 1 < argc) {
            rule.min_own = std::atof(argv[++i]);
        } else if (a == "--min-common" && i + 1 < argc) {
            rule.min_common = static_cast<std::size_t>(std::atol(argv[++i]));
        } else if (a == "--numbers" && i + 1 < argc) {
            rule.numbers = std::atoi(argv[++i]) != 0;
        } else if (a == "--db" && i + 1 < argc) {
            db = argv[++i];
        } else if (a == "--probes" && i + 1 < argc) {
            probes = static_cast<std::size_t>(std::atol(argv[++i]));
        } else if (a == "--passages" && i + 1 < argc) {
            limit = static_cast<std::size_t>(std::atol(argv[++i]));
        } else {
            file = a;
        }
    }
    try {
        if (mode == "pairs") {
            return pairs(file, rule);
        }
        if (mode == "strip") {
            return strip(db);
        }
        if (mode == "mine") {
            return mine(db, mine_distance, limit, probes, rule);
        }
    } catch (const Xapian::Error& e) {
        std::cerr << "lede-bench-copies: " << e.get_description() << '\n';
        return 2;
    }
    std::cerr << "lede-bench-copies: unknown mode " << mode << '\n';
    return 2;
}
