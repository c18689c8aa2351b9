#include "query/parse.hpp"

#include <lede/error.hpp>

#include <algorithm>
#include <charconv>

namespace lede::query {
namespace {

enum class Tok { word, quoted, lparen, rparen, and_, or_, not_, near, end };

struct Token {
    Tok kind = Tok::end;
    std::string text;
    std::size_t column = 0;
    bool exact = false;      // '=' prefix
    Mark mark = Mark::none;  // '+' / '-' prefix
    unsigned window = 0;     // NEAR/n, ADJ/n
    bool ordered = false;    // ADJ
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

class Lexer {
public:
    explicit Lexer(std::string_view q) : q_(q) {}

    Token next() {
        while (i_ < q_.size() && is_space(q_[i_])) {
            ++i_;
        }
        Token t;
        t.column = i_ + 1;
        if (i_ >= q_.size()) {
            return t;
        }
        // Prefix marks attach to the item that follows without a space.
        while (i_ + 1 < q_.size() && (q_[i_] == '+' || q_[i_] == '-' || q_[i_] == '=') && !is_space(q_[i_ + 1])) {
            char c = q_[i_];
            if (c == '=') {
                t.exact = true;
            } else {
                t.mark = c == '+' ? Mark::plus : Mark::minus;
            }
            ++i_;
        }
        char c = q_[i_];
        if (c == '(' || c == ')') {
            ++i_;
            t.kind = c == '(' ? Tok::lparen : Tok::rparen;
            return t;
        }
        if (std::size_t qlen = open_quote_len(); qlen > 0) {
            std::size_t start = i_ + qlen;
            std::size_t j = start;
            std::size_t close_len = 0;
            while (j < q_.size() && (close_len = close_quote_len(j)) == 0) {
                ++j;
            }
            if (j >= q_.size()) {
                throw QuerySyntaxError(
                    "unbalanced quote at column " + std::to_string(t.column) + ": add the closing \"", t.column);
            }
            t.kind = Tok::quoted;
            t.text = std::string(q_.substr(start, j - start));
            i_ = j + close_len;
            return t;
        }
        std::size_t start = i_;
        while (i_ < q_.size() && !is_space(q_[i_]) && q_[i_] != '(' && q_[i_] != ')' && open_quote_len() == 0) {
            ++i_;
        }
        t.text = std::string(q_.substr(start, i_ - start));
        if (t.mark == Mark::none && !t.exact) {
            if (t.text == "AND") {
                t.kind = Tok::and_;
                return t;
            }
            if (t.text == "OR") {
                t.kind = Tok::or_;
                return t;
            }
            if (t.text == "NOT") {
                t.kind = Tok::not_;
                return t;
            }
            if (near_op(t)) {
                return t;
            }
        }
        t.kind = Tok::word;
        return t;
    }

private:
    // ASCII " or typographic “ ” (U+201C/U+201D, as pasted from articles).
    std::size_t open_quote_len() const {
        if (q_[i_] == '"') {
            return 1;
        }
        if (q_.substr(i_, 3) == "\xE2\x80\x9C" || q_.substr(i_, 3) == "\xE2\x80\x9D") {
            return 3;
        }
        return 0;
    }
    std::size_t close_quote_len(std::size_t j) const {
        if (q_[j] == '"') {
            return 1;
        }
        if (q_.substr(j, 3) == "\xE2\x80\x9D" || q_.substr(j, 3) == "\xE2\x80\x9C") {
            return 3;
        }
        return 0;
    }

    static bool near_op(Token& t) {
        std::string_view s = t.text;
        bool adj = s.starts_with("ADJ");
        if (!adj && !s.starts_with("NEAR")) {
            return false;
        }
        std::string_view rest = s.substr(adj ? 3 : 4);
        unsigned n = 10;
        if (!rest.empty()) {
            if (rest[0] != '/') {
                return false;
            }
            rest.remove_prefix(1);
            auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
            if (ec != std::errc() || p != rest.data() + rest.size() || n == 0 || n > 1000) {
                throw QuerySyntaxError("bad distance in '" + t.text + "' at column " + std::to_string(t.column)
                                           + ": use " + (adj ? "ADJ" : "NEAR") + "/n with n from 1 to 1000",
                                       t.column);
            }
        }
        t.kind = Tok::near;
        t.window = n;
        t.ordered = adj;
        return true;
    }

    std::string_view q_;
    std::size_t i_ = 0;
};

Node make(NodeKind kind, std::size_t column) {
    Node n;
    n.kind = kind;
    n.column = column;
    return n;
}

class Parser {
public:
    explicit Parser(std::string_view q) : lex_(q) { advance(); }

    Node parse_all() {
        if (cur_.kind == Tok::end) {
            throw QuerySyntaxError("empty query: give at least one word to search for", 1);
        }
        Node n = or_expr();
        if (cur_.kind != Tok::end) {
            throw error("unexpected ')'");
        }
        return n;
    }

private:
    void advance() { cur_ = lex_.next(); }

    QuerySyntaxError error(const std::string& what) const {
        return QuerySyntaxError(what + " at column " + std::to_string(cur_.column), cur_.column);
    }

    bool starts_item() const {
        return cur_.kind == Tok::word || cur_.kind == Tok::quoted || cur_.kind == Tok::lparen || cur_.kind == Tok::not_;
    }

    Node or_expr() {
        Node left = seq();
        while (cur_.kind == Tok::or_) {
            advance();
            if (!starts_item()) {
                throw error("OR needs a word after it");
            }
            Node right = seq();
            if (left.kind == NodeKind::or_ && left.mark == Mark::none) {
                left.children.push_back(std::move(right));
            } else {
                Node n = make(NodeKind::or_, left.column);
                n.children.push_back(std::move(left));
                n.children.push_back(std::move(right));
                left = std::move(n);
            }
        }
        return left;
    }

    Node seq() {
        Node g = make(NodeKind::group, cur_.column);
        while (starts_item()) {
            g.children.push_back(and_expr());
        }
        if (g.children.empty()) {
            throw error(cur_.kind == Tok::end ? "query ends where a word was expected"
                                              : "expected a word, phrase or '('");
        }
        if (g.children.size() == 1 && g.children[0].mark == Mark::none) {
            return std::move(g.children[0]);
        }
        return g;
    }

    Node and_expr() {
        Node left = unary();
        for (;;) {
            if (cur_.kind == Tok::near) {
                throw error("NEAR/ADJ join single words (write a NEAR/3 b), not phrases or groups");
            }
            if (cur_.kind == Tok::and_) {
                advance();
                bool negate = false;
                if (cur_.kind == Tok::not_) {
                    negate = true;
                    advance();
                }
                if (!starts_item() || cur_.kind == Tok::not_) {
                    throw error("AND needs a word after it");
                }
                left = binary(negate ? NodeKind::and_not : NodeKind::and_, std::move(left), unary());
            } else if (cur_.kind == Tok::not_) {
                advance();
                if (!starts_item() || cur_.kind == Tok::not_) {
                    throw error("NOT needs a word after it");
                }
                left = binary(NodeKind::and_not, std::move(left), unary());
            } else {
                return left;
            }
        }
    }

    // Chains stay flat: a AND b AND c is one node with three children, and
    // a NOT b NOT c is AND_NOT(a, b, c), so a 100 KB query is wide, not deep.
    // Mixed chains too: ((a AND b) NOT c) AND d == (a AND b AND d) NOT c, so
    // a AND/NOT chain is at most AND_NOT(AND(...), ...) two levels deep.
    static Node binary(NodeKind k, Node a, Node b) {
        if (a.kind == k && a.mark == Mark::none && (k == NodeKind::and_ || k == NodeKind::and_not)) {
            a.children.push_back(std::move(b));
            return a;
        }
        if (k == NodeKind::and_ && a.kind == NodeKind::and_not && a.mark == Mark::none) {
            Node& pos = a.children[0];
            if (pos.kind != NodeKind::and_ || pos.mark != Mark::none) {
                Node wrapped = make(NodeKind::and_, pos.column);
                wrapped.children.push_back(std::move(pos));
                pos = std::move(wrapped);
            }
            pos.children.push_back(std::move(b));
            return a;
        }
        Node n = make(k, a.column);
        n.children.push_back(std::move(a));
        n.children.push_back(std::move(b));
        return n;
    }

    Node unary() {
        if (cur_.kind == Tok::not_) {
            std::size_t col = cur_.column;
            advance();
            if (!starts_item() || cur_.kind == Tok::not_) {
                throw error("NOT needs a word after it");
            }
            Node all = make(NodeKind::all, col);
            return binary(NodeKind::and_not, std::move(all), primary());
        }
        return primary();
    }

    Node primary() {
        Token t = cur_;
        if (t.kind == Tok::lparen) {
            if (++depth_ > max_depth) {
                throw QuerySyntaxError("parentheses nested more than " + std::to_string(max_depth) + " deep at column "
                                           + std::to_string(t.column),
                                       t.column);
            }
            advance();
            if (cur_.kind == Tok::rparen) {
                throw error("empty parentheses");
            }
            Node inner = or_expr();
            if (cur_.kind != Tok::rparen) {
                throw QuerySyntaxError("unbalanced '(' at column " + std::to_string(t.column) + ": add the closing ')'",
                                       t.column);
            }
            advance();
            --depth_;
            inner.mark = t.mark;
            return inner;
        }
        if (t.kind == Tok::quoted) {
            advance();
            Node n = make(NodeKind::phrase, t.column);
            n.text = t.text;
            n.exact = t.exact;
            n.mark = t.mark;
            return n;
        }
        if (t.kind != Tok::word) {
            throw error("expected a word, phrase or '('");
        }
        advance();
        if (t.text.size() > 1 && t.text.back() == ':' && cur_.kind == Tok::quoted
            && cur_.column == t.column + t.text.size() + (t.mark != Mark::none ? 1 : 0) + (t.exact ? 1 : 0)) {
            // field:"a phrase"
            Token joined = t;
            joined.text += cur_.text;
            advance();
            Node f = word(joined);
            if (f.kind == NodeKind::field) {
                return f;
            }
        }
        Node n = word(t);
        if (cur_.kind == Tok::near && n.kind == NodeKind::word) {
            Node near = make(NodeKind::near, n.column);
            near.mark = n.mark;
            near.words.push_back(n.text);
            near.window = cur_.window;
            near.ordered = cur_.ordered;
            while (cur_.kind == Tok::near) {
                near.window = std::max(near.window, cur_.window);
                near.ordered = near.ordered && cur_.ordered;
                advance();
                if (cur_.kind != Tok::word) {
                    throw error("NEAR/ADJ needs a word after it");
                }
                near.words.push_back(cur_.text);
                advance();
            }
            return near;
        }
        return n;
    }

    static Node word(const Token& t) {
        Node n = make(NodeKind::word, t.column);
        n.text = t.text;
        n.exact = t.exact;
        n.mark = t.mark;
        // A known field with nothing after the colon is a mistake, not a word.
        if (t.text.size() > 1 && t.text.back() == ':') {
            std::string name = t.text.substr(0, t.text.size() - 1);
            const auto& known = known_fields();
            if (std::find(known.begin(), known.end(), name) != known.end()) {
                throw QuerySyntaxError("'" + t.text + "' at column " + std::to_string(t.column)
                                           + " needs a value right after the colon (" + name + ":VALUE, or " + name
                                           + ":\"two words\")",
                                       t.column);
            }
        }
        // field:value (a lower-case name, a non-empty value; "x://" is a URL, not a field)
        if (auto colon = t.text.find(':'); colon != std::string::npos && colon > 0 && colon + 1 < t.text.size()
                                           && t.text.compare(colon + 1, 2, "//") != 0) {
            std::string name = t.text.substr(0, colon);
            if (std::all_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
                const auto& known = known_fields();
                if (std::find(known.begin(), known.end(), name) == known.end()) {
                    std::string list;
                    for (const auto& k : known) {
                        list += (list.empty() ? "" : ", ") + k + ":";
                    }
                    throw QuerySyntaxError("unknown field '" + name + ":' at column " + std::to_string(t.column)
                                               + " (known: " + list + ")",
                                           t.column);
                }
                n.kind = NodeKind::field;
                n.field = name;
                n.text = t.text.substr(colon + 1);
                return n;
            }
        }
        if (t.text.size() > 1 && t.text.back() == '*') {
            n.kind = NodeKind::wildcard;
            n.text.pop_back();
        }
        return n;
    }

    static constexpr int max_depth = 64;
    Lexer lex_;
    Token cur_;
    int depth_ = 0;
};

void describe_into(const Node& n, std::string& out) {
    if (n.mark == Mark::plus) {
        out += '+';
    } else if (n.mark == Mark::minus) {
        out += '-';
    }
    switch (n.kind) {
    case NodeKind::word: out += (n.exact ? "=" : "") + n.text; return;
    case NodeKind::phrase: out += (n.exact ? "=\"" : "\"") + n.text + "\""; return;
    case NodeKind::wildcard: out += n.text + "*"; return;
    case NodeKind::field: out += n.field + ":" + n.text; return;
    case NodeKind::all: out += "<all>"; return;
    case NodeKind::near: {
        out += n.ordered ? "(ADJ/" : "(NEAR/";
        out += std::to_string(n.window);
        for (const auto& w : n.words) {
            out += ' ' + w;
        }
        out += ')';
        return;
    }
    case NodeKind::and_: out += "(AND"; break;
    case NodeKind::or_: out += "(OR"; break;
    case NodeKind::and_not: out += "(AND_NOT"; break;
    case NodeKind::group: out += "(GROUP"; break;
    }
    for (const auto& c : n.children) {
        out += ' ';
        describe_into(c, out);
    }
    out += ')';
}

}  // namespace

const std::vector<std::string>& known_fields() {
    static const std::vector<std::string> fields{"path", "title", "source", "date"};
    return fields;
}

std::string Node::describe() const {
    std::string out;
    describe_into(*this, out);
    return out;
}

namespace {

struct Counts {
    std::size_t terms = 0;  // words, words of phrases and NEAR/ADJ, prefixes, filters
    std::size_t wildcards = 0;
    std::size_t column = 0;  // where the first term beyond a limit stands
};

void count(const Node& n, Counts& c) {
    std::size_t here = 0;
    switch (n.kind) {
    case NodeKind::word:
    case NodeKind::field: here = 1; break;
    case NodeKind::wildcard:
        here = 1;
        if (++c.wildcards > max_wildcards && c.column == 0) {
            c.column = n.column;
        }
        break;
    case NodeKind::phrase: {
        bool in_word = false;
        for (char ch : n.text) {
            here += !in_word && !is_space(ch);
            in_word = !is_space(ch);
        }
        break;
    }
    case NodeKind::near: here = n.words.size(); break;
    default: break;
    }
    c.terms += here;
    if (c.terms > max_query_terms && c.column == 0) {
        c.column = n.column;
    }
    for (const auto& ch : n.children) {
        count(ch, c);
    }
}

// A repeated item says nothing new (`the the the`, `a* a*`): siblings that
// describe alike are kept once, so that time and memory follow the distinct
// items of a query, not its length.
void merge_repeats(Node& n) {
    for (auto& ch : n.children) {
        merge_repeats(ch);
    }
    if (n.kind != NodeKind::and_ && n.kind != NodeKind::or_ && n.kind != NodeKind::group
        && n.kind != NodeKind::and_not) {
        return;
    }
    // In AND_NOT the first child is what is kept; the rest are merged among themselves.
    std::size_t first = n.kind == NodeKind::and_not ? 1 : 0;
    std::vector<std::string> seen;
    std::vector<Node> kept;
    for (std::size_t i = 0; i < n.children.size(); ++i) {
        if (i >= first) {
            std::string d = n.children[i].describe();
            if (std::find(seen.begin(), seen.end(), d) != seen.end()) {
                continue;
            }
            seen.push_back(std::move(d));
        }
        kept.push_back(std::move(n.children[i]));
    }
    n.children = std::move(kept);
    // What was `the the` is now one item: no group around it.
    if (n.kind != NodeKind::and_not && n.children.size() == 1
        && (n.mark == Mark::none || n.children[0].mark == Mark::none)) {
        Mark outer = n.mark;
        Node only = std::move(n.children[0]);
        if (only.mark == Mark::none) {
            only.mark = outer;
        }
        n = std::move(only);
    }
}

}  // namespace

Node parse(std::string_view query) {
    if (query.size() > max_query_bytes) {
        throw QuerySyntaxError("the query is " + std::to_string(query.size()) + " bytes long (at most "
                                   + std::to_string(max_query_bytes) + "); split it into several searches",
                               max_query_bytes + 1);
    }
    Node ast = Parser(query).parse_all();
    merge_repeats(ast);
    Counts c;
    count(ast, c);
    if (c.wildcards > max_wildcards) {
        throw QuerySyntaxError("the query has " + std::to_string(c.wildcards) + " prefix* terms (at most "
                                   + std::to_string(max_wildcards) + "); split it into several searches (from column "
                                   + std::to_string(c.column) + ")",
                               c.column);
    }
    if (c.terms > max_query_terms) {
        throw QuerySyntaxError("the query has " + std::to_string(c.terms) + " search terms (at most "
                                   + std::to_string(max_query_terms) + "); split it into several searches (from column "
                                   + std::to_string(c.column) + ")",
                               c.column);
    }
    return ast;
}

}  // namespace lede::query
