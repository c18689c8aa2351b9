// Term weighting and the rerank: each occurrence of a word counts once
// whatever its form, the form as typed only breaks ties between forms of one
// word, and feedback terms come from the passages' own text.
#include "query/rank.hpp"
#include "indexer/builder.hpp"
#include "query/build.hpp"
#include "query/parse.hpp"

#include <doctest/doctest.h>
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace {

using lede::query::Candidate;
using lede::query::RankParams;

// An in-memory index built by the indexer's own DocumentBuilder, one passage
// per text (document ids from 1, in order).
Xapian::WritableDatabase passages(const std::vector<std::string>& texts) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    lede::indexer::DocumentBuilder builder;
    std::vector<std::string> spellings;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        lede::index::PassageRecord rec;
        rec.path = "/t/" + std::to_string(i) + ".txt";
        rec.article = rec.path;
        rec.passage = 1;
        rec.text = texts[i];
        db.add_document(builder.build(rec, "A" + std::to_string(i), spellings));
    }
    return db;
}

// The BM25 weight of each passage of passages(@p texts) for a query built by
// the query builder.
std::map<std::string, double> weights(const std::vector<std::string>& texts, const std::string& query,
                                      double exact = lede::query::WordWeights{}.exact, double exact_min = -1) {
    Xapian::WritableDatabase db = passages(texts);
    lede::analysis::Analyzer analyzer;
    lede::analysis::TermMaker terms;
    lede::query::BuildOptions opt;
    opt.weights.exact = exact;
    if (exact_min >= 0) {
        opt.weights.exact_min = exact_min;
        opt.termfreq = [&db](const std::string& t) { return db.get_termfreq(t); };
    }
    auto built = lede::query::build(lede::query::parse(query), analyzer, terms, opt);
    Xapian::Enquire enq(db);
    enq.set_query(built.query);
    enq.set_weighting_scheme(Xapian::BM25Weight(1.0, 0, 1, 0.5, 0.5));
    std::map<std::string, double> out;
    Xapian::MSet m = enq.get_mset(0, 100);
    for (auto it = m.begin(); it != m.end(); ++it) {
        out[texts[*it - 1]] = it.get_weight();
    }
    return out;
}

std::vector<lede::analysis::Token> tokens(const std::string& text) {
    lede::analysis::Analyzer analyzer;
    std::vector<lede::analysis::Token> toks;
    analyzer.tokenize(text, toks);
    return toks;
}

}  // namespace

TEST_CASE("rank: one occurrence counts once, whatever the form (pirates = pirate)") {
    const std::string a = "The pirates sailed from the coast.";
    const std::string b = "The pirate sailed from the coast.";
    const std::string c = "The ship sailed from the coast.";
    const std::vector<std::string> texts{a, b, c, "Nothing here at all today."};
    auto w = weights(texts, "pirates", 0.0);
    REQUIRE(w.count(a) == 1);
    REQUIRE(w.count(b) == 1);
    CHECK(w.count(c) == 0);
    CHECK(w[a] == doctest::Approx(w[b]));
    // The word typed in another form weighs the same again.
    auto w2 = weights(texts, "pirate", 0.0);
    CHECK(w2[a] == doctest::Approx(w2[b]));
    CHECK(w2[a] == doctest::Approx(w[a]));
    // The form as typed adds only a small bonus (it brings a rare form of a
    // common stem into the candidates; the rerank's form feature decides).
    auto with = weights(texts, "pirates");
    CHECK(with[a] > with[b]);
    CHECK(with[a] < 1.1 * w[a]);
    CHECK(with[b] == doctest::Approx(w[b]));
}

TEST_CASE("rank: the typed form's term is left out where it is common and most of its stem") {
    const std::string a = "The pirates sailed from the coast.";
    const std::string b = "The pirate sailed from the coast.";
    std::vector<std::string> texts{a, b, "Nothing here at all today."};
    for (int i = 0; i < 8; ++i) {
        texts.push_back("Pirates " + std::to_string(i) + " sailed on.");
    }
    const auto without = weights(texts, "pirates", 0.0);
    // 9 of the stem's 10 passages hold the form as typed: over 0.8, and over
    // 5 passages: its term is not worth reading.
    const auto common = weights(texts, "pirates", lede::query::WordWeights{}.exact, 5);
    CHECK(common.at(a) == doctest::Approx(without.at(a)));
    CHECK(common.at(b) == doctest::Approx(without.at(b)));
    // In 9 passages, not over 10: kept.
    const auto few = weights(texts, "pirates", lede::query::WordWeights{}.exact, 10);
    CHECK(few.at(a) > without.at(a));
    // A rare form of the stem (1 of 10): kept, however common the stem.
    const auto rare = weights(texts, "pirate", lede::query::WordWeights{}.exact, 0);
    const auto rare0 = weights(texts, "pirate", 0.0);
    CHECK(rare.at(b) > rare0.at(b));
    CHECK(rare.at(a) == doctest::Approx(rare0.at(a)));
}

TEST_CASE("rank: a spelling variant counts once, below the name itself") {
    const std::string exact = "Rustem Umerov spoke first.";
    const std::string variant = "Rustem Umyrov spoke first.";
    auto w = weights({exact, variant, "Someone else spoke."}, "Umerov");
    REQUIRE(w.count(exact) == 1);
    REQUIRE(w.count(variant) == 1);
    CHECK(w[variant] < w[exact]);
    // The name with its variant key too weighs as one occurrence, not two.
    auto plain = weights({exact, variant, "Someone else spoke."}, "=Umerov");
    CHECK(w[exact] == doctest::Approx(plain[exact]));
}

TEST_CASE("rank: the form as typed decides between forms of one word") {
    lede::analysis::Analyzer analyzer;
    lede::analysis::TermMaker terms;
    auto built = lede::query::build(lede::query::parse("pirates Tripoli"), analyzer, terms);
    auto exact = built.matcher.match(tokens("pirates of Tripoli"), terms);
    auto other = built.matcher.match(tokens("a pirate of Tripoli"), terms);
    CHECK(exact.exact == 2);
    CHECK(other.exact == 1);

    RankParams p;
    std::vector<Candidate> cands(2);
    cands[0].bm25 = cands[1].bm25 = 5.0;
    cands[0].article = "b";
    cands[1].article = "a";
    cands[0].matches = exact;
    cands[1].matches = other;
    cands[0].matched = cands[1].matched = true;
    cands[1].order = 1;
    lede::query::rerank(cands, built.matcher.leaves(), p);
    CHECK(cands[0].article == "b");  // despite the tie-break by article
    CHECK(cands[0].form == doctest::Approx(1.0));
    CHECK(cands[1].form == doctest::Approx(0.5));
    // Never between words: covering both words beats the exact form of one.
    std::vector<Candidate> two(2);
    two[0].bm25 = two[1].bm25 = 5.0;
    two[0].article = "x";
    two[1].article = "y";
    two[0].matches = built.matcher.match(tokens("pirates only"), terms);
    two[1].matches = built.matcher.match(tokens("a pirate near Tripoli"), terms);
    two[0].matched = two[1].matched = true;
    lede::query::rerank(two, built.matcher.leaves(), p);
    CHECK(two[0].article == "y");
}

TEST_CASE("rank: a name typed with a capital counts only where the passage capitalizes it") {
    // "Marshall Plan": the Obama-era "recovery plan" holds the letters of
    // "Plan", not the name. It is highlighted (Xapian matched it) but does
    // not count for coverage, proximity or form.
    lede::analysis::Analyzer analyzer;
    lede::analysis::TermMaker terms;
    auto built = lede::query::build(lede::query::parse("Plan recovery"), analyzer, terms);
    auto name = built.matcher.match(tokens("The Marshall Plan speeds recovery."), terms);
    auto lower = built.matcher.match(tokens("The recovery plan we passed."), terms);
    auto first = built.matcher.match(tokens("Plan for recovery, they said."), terms);
    CHECK(name.hits.size() == 2);
    CHECK(name.exact == 2);
    CHECK(lower.hits.size() == 1);  // "recovery" only
    CHECK(lower.exact == 1);
    CHECK(lower.spans.size() == 2);  // both highlighted
    CHECK(first.hits.size() == 2);   // a capital at a sentence start counts
    std::size_t d = 0;
    CHECK(lede::query::proximity(lower, d) == doctest::Approx(0.0));
    CHECK(d == 1);
    // Typed in lower case, the word is no name: any case counts.
    auto plain = lede::query::build(lede::query::parse("plan recovery"), analyzer, terms);
    CHECK(plain.matcher.match(tokens("The recovery plan we passed."), terms).hits.size() == 2);
    // LEDE_RANK=names=0 (ablation): the capital is ignored.
    lede::query::BuildOptions off;
    off.weights.names = false;
    auto ablated = lede::query::build(lede::query::parse("Plan recovery"), analyzer, terms, off);
    CHECK(ablated.matcher.match(tokens("The recovery plan we passed."), terms).hits.size() == 2);
    CHECK(RankParams::parse("names=0").words.names == false);
    CHECK(RankParams::parse("").words.names == true);
    // The automatic feedback's gate (docs/RELEVANCE.md): a query no candidate
    // holds whole, and optionally one that many hold whole.
    CHECK(RankParams::parse("").fb_none == true);
    CHECK(RankParams::parse("fbnone=0").fb_none == false);
    CHECK(RankParams::parse("").fb_whole == 0);
    CHECK(RankParams::parse("fbwhole=5,fbkeep=1").fb_whole == 5);
}

TEST_CASE("rank: --explain names every feature and its contribution") {
    RankParams p;
    Candidate c;
    c.bm25 = 4.0;
    c.matched = true;
    c.matches.hits = {{0, 0}, {1, 1}};
    c.matches.exact = 1;
    std::vector<Candidate> cands{c};
    lede::query::rerank(cands, 2, p);
    std::string e = cands[0].explain(p);
    for (const char* f : {"bm25", "coverage", "proximity", "article", "form"}) {
        CHECK(e.find(f) != std::string::npos);
    }
    // The contributions add up to the score.
    const Candidate& r = cands[0];
    CHECK(r.score
          == doctest::Approx(1.0 + p.coverage * r.cov + p.proximity * r.prox * r.cov + p.article * r.art
                             + p.form * r.form));
    CHECK(e.find("score 2.") != std::string::npos);
}

TEST_CASE("rank: feedback terms come from several of the best passages, rare words first") {
    lede::analysis::TermMaker terms;
    lede::query::MatchCache cache;
    std::vector<std::vector<lede::analysis::Token>> docs{
        tokens("The Barbary cruisers off Tripoli took our ships in 1801."),
        tokens("Peace with Tripoli; the cruisers of Algiers remain a danger to our ships."),
        tokens("Our relations with Algiers and Tripoli are friendly; the cruisers are gone."),
    };
    std::map<std::string, double> share{{"tripoli", 0.001}, {"cruiser", 0.002}, {"algier", 0.002},
                                        {"our", 0.5},       {"ship", 0.05},     {"the", 0.9}};
    auto df = [&](const std::string& s) {
        auto it = share.find(s);
        return it == share.end() ? 0.01 : it->second;
    };
    auto fb = lede::query::feedback_terms(docs, {3.0, 2.0, 1.0}, terms, cache, {"barbari"}, df, 3, 0.1);
    REQUIRE(fb.size() == 3);
    CHECK(fb[0].stem == "tripoli");  // in every passage, the rarest
    std::vector<std::string> got;
    for (const auto& t : fb) {
        got.push_back(t.stem);
        CHECK(t.weight > 0);
    }
    CHECK(std::find(got.begin(), got.end(), "cruiser") != got.end());
    // Left out: the query's own stem, a word of one passage, numbers, and
    // words too common (above the share limit).
    for (const char* none : {"barbari", "peac", "1801", "our", "the"}) {
        CHECK(std::find(got.begin(), got.end(), std::string(none)) == got.end());
    }
    CHECK(lede::query::feedback_terms(docs, {0.0, 0.0, 0.0}, terms, cache, {}, df, 3).empty());
}

TEST_CASE("rank: a feedback term in one passage only is left out, also in two forms there") {
    lede::analysis::TermMaker terms;
    lede::query::MatchCache cache;
    // "pirates" and "pirate" (stem pirat) in the first passage only; Tripoli in two.
    std::vector<std::vector<lede::analysis::Token>> docs{
        tokens("The pirates of Tripoli: one pirate held our consul."),
        tokens("A treaty with Tripoli was signed."),
        tokens("Congress was told of the treaty."),
    };
    auto df = [](const std::string&) { return 0.01; };
    auto fb = lede::query::feedback_terms(docs, {3.0, 2.0, 1.0}, terms, cache, {}, df, 10, 0.1);
    std::vector<std::string> got;
    for (const auto& t : fb) {
        got.push_back(t.stem);
    }
    CHECK(std::find(got.begin(), got.end(), "tripoli") != got.end());
    CHECK(std::find(got.begin(), got.end(), "treati") != got.end());
    CHECK(std::find(got.begin(), got.end(), "pirat") == got.end());
}

TEST_CASE("rank: the tie rule's rounding: sums in another order tie, real differences do not") {
    // Ten weights added in two orders differ in the last bits, as Xapian's
    // sums do from one database to another; rounded, they are equal.
    const std::vector<double> w = {0.1, 0.7, 1.3, 0.0123, 2.9, 0.333, 0.5, 1e-3, 0.77, 0.05};
    int differ = 0;
    for (double scale : {1e-3, 0.5, 1.0, 3.7, 17.0, 250.0}) {
        double forward = 0.0;
        double backward = 0.0;
        for (std::size_t i = 0; i < w.size(); ++i) {
            forward += scale * w[i];
            backward += scale * w[w.size() - 1 - i];
        }
        CAPTURE(scale);
        differ += forward != backward ? 1 : 0;
        CHECK(lede::query::tie_weight(forward) == lede::query::tie_weight(backward));
        CHECK(lede::query::tie_weight(std::nextafter(forward, 0.0)) == lede::query::tie_weight(forward));
        CHECK(lede::query::tie_weight(forward * (1 + 1e-8)) > lede::query::tie_weight(forward));
    }
    CHECK(differ > 0);
    CHECK(lede::query::tie_weight(0.0) == 0.0);
    CHECK(lede::query::tie_weight(1.0) == 1.0);
    // The rerank: a weight one bit below another ties with it, and the order
    // key decides (beyond the rerank depth, score = bm25 / best).
    std::vector<lede::query::Candidate> cands(2);
    cands[0].bm25 = 7.25;
    cands[0].key = "b";
    cands[1].bm25 = std::nextafter(7.25, 0.0);
    cands[1].key = "a";
    lede::query::rerank(cands, 1, lede::query::RankParams{});
    CHECK(cands[0].key == "a");
    CHECK(cands[1].key == "b");
}

TEST_CASE("rank: the first stage's scheme and weight are tuning knobs, BM25 and 1 by default") {
    // LEDE_RANK=wt=N picks Xapian's scheme for the candidates (eighth round
    // of docs/RELEVANCE.md measured them); fw weighs the first stage in the rerank.
    CHECK(lede::query::first_stage_weight(RankParams{})->name() == "Xapian::BM25Weight");
    CHECK(lede::query::first_stage_weight(RankParams::parse("wt=1"))->name() == "Xapian::DPHWeight");
    CHECK(lede::query::first_stage_weight(RankParams::parse("wt=4,wtc=3"))->name() == "Xapian::InL2Weight");
    CHECK(RankParams::parse("wt=4,wtc=3").scheme_c == 3.0);
    std::vector<lede::query::Candidate> cands(1);
    cands[0].bm25 = 2.0;
    cands[0].matched = true;
    lede::query::rerank(cands, 1, RankParams::parse("fw=0.5,cov=0,prox=0,art=0,form=0"));
    CHECK(cands[0].score == doctest::Approx(0.5));
    // fr: BM25 by its rank r among the candidates, fr * (K+1)/(K+r).
    cands[0].order = 9;
    lede::query::rerank(cands, 1, RankParams::parse("fw=0,fr=1,fk=10,cov=0,prox=0,art=0,form=0"));
    CHECK(cands[0].score == doctest::Approx(11.0 / 20.0));
    CHECK(cands[0].explain(RankParams::parse("fw=0,fr=1,fk=10")).find("bm25 rank 0.5500") != std::string::npos);
}

TEST_CASE("rank: feedback in place weighs a passage as the second run's BM25 does") {
    // Passages indexed by the indexer's own DocumentBuilder; the feedback
    // terms' query as the second run builds it, SYNONYM(stem, Zstem) scaled;
    // Xapian's weight of each passage against FeedbackWeight from its tokens.
    const std::vector<std::string> texts{
        "The treaty with Tripoli was signed, and Tripoli's cruisers sailed home.",
        "Our cruiser and the frigates kept the Mediterranean open to commerce.",
        "A treaty of peace and amity; the treaties before it had failed.",
        "Congress met in December.",
        "The tariff on imports was lowered.",
    };
    Xapian::WritableDatabase db = passages(texts);
    const auto n = static_cast<double>(db.get_doccount());
    auto share = [&](const std::string& stem) {
        return static_cast<double>(db.get_termfreq(stem) + db.get_termfreq("Z" + stem)) / n;
    };
    // tripoli: one term (stem = word); cruiser, treati: the word and Zstem.
    std::vector<lede::query::FeedbackTerm> fb{
        {"tripoli", 2.0, share("tripoli")}, {"cruiser", 1.5, share("cruiser")}, {"treati", 1.0, share("treati")}};
    RankParams p;
    const lede::query::FeedbackWeight weight(fb, n, p);
    lede::analysis::TermMaker terms;
    lede::query::MatchCache cache;
    for (const auto& t : fb) {
        CAPTURE(t.stem);
        Xapian::Enquire enq(db);
        enq.set_query(
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                          Xapian::Query(Xapian::Query::OP_SYNONYM, Xapian::Query(t.stem), Xapian::Query("Z" + t.stem)),
                          p.fb_weight * t.weight / fb.front().weight));
        enq.set_weighting_scheme(Xapian::BM25Weight(p.k1, 0, 1, p.b, 0.5));
        Xapian::MSet m = enq.get_mset(0, 10);
        REQUIRE(m.size() >= 1);
        for (auto it = m.begin(); it != m.end(); ++it) {
            const std::string& text = texts[*it - 1];
            CAPTURE(text);
            // The term alone: FeedbackWeight scales it by fb_weight (it is
            // its own best), the second run's query by its share of the best.
            const double scale = p.fb_weight * t.weight / fb.front().weight;
            const lede::query::FeedbackWeight only({t}, n, p);
            const double normlen = static_cast<double>(db.get_doclength(*it)) / db.get_avlength();
            const double mine = only(tokens(text), normlen, terms, cache) / p.fb_weight * scale;
            CHECK(mine == doctest::Approx(it.get_weight()).epsilon(1e-9));
        }
    }
    // All three at once: the sum; a passage with none of them weighs 0.
    const double normlen = static_cast<double>(db.get_doclength(4)) / db.get_avlength();
    CHECK(weight(tokens(texts[3]), normlen, terms, cache) == 0.0);
    CHECK(weight(tokens(texts[0]), 1.0, terms, cache) > weight(tokens(texts[2]), 1.0, terms, cache));
}

TEST_CASE("rank: a query's words side by side, in its order, name a subject") {
    lede::query::Matches m;
    // "arms control" (leaves 0, 1) at positions 7, 8.
    m.hits = {{3, 1}, {7, 0}, {8, 1}};
    CHECK(lede::query::collocated(m, 2));
    // "control ... arms": side by side in the other order, or apart.
    m.hits = {{7, 1}, {8, 0}};
    CHECK_FALSE(lede::query::collocated(m, 2));
    m.hits = {{7, 0}, {9, 1}};
    CHECK_FALSE(lede::query::collocated(m, 2));
    // Leaf 1 is a phrase, not a word: no collocation of two words.
    m.hits = {{7, 0}, {8, 1}};
    CHECK_FALSE(lede::query::collocated(m, 1));
    // Two words of three, the first and second (Soviet arms control: "Soviet arms").
    m.hits = {{2, 0}, {3, 1}, {20, 2}};
    CHECK(lede::query::collocated(m, 3));
    m.hits = {};
    CHECK_FALSE(lede::query::collocated(m, 2));
}
