#include "indexer/reader.hpp"

#include "analysis/utf8.hpp"
#include "indexer/encoding.hpp"

#include <algorithm>
#include <utility>

namespace lede::indexer {
namespace {

bool blank_byte(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// After the last blank line (a line of only spaces, as the segmentation sees
// it), so that both pieces are segmented as the whole would be; 0 if none.
std::size_t after_blank_line(std::string_view buf) {
    std::size_t end = buf.rfind('\n');
    while (end != std::string_view::npos && end > 0) {
        std::size_t prev = buf.rfind('\n', end - 1);
        std::size_t b = prev == std::string_view::npos ? 0 : prev + 1;
        if (prev != std::string_view::npos
            && std::all_of(buf.begin() + static_cast<std::ptrdiff_t>(b), buf.begin() + static_cast<std::ptrdiff_t>(end),
                           blank_byte)) {
            return end + 1;
        }
        end = prev;
    }
    return 0;
}

}  // namespace

std::string too_large_message() {
    return "article larger than " + std::to_string(max_article_bytes >> 20)
           + " MB (an HTML page, a feed, a JSON line or a file not in UTF-8 is read whole; not indexed)";
}

std::size_t cut_point(std::string_view buf, Cut cut) {
    if (cut == Cut::line) {
        std::size_t nl = buf.rfind('\n');
        return nl == std::string_view::npos ? 0 : nl + 1;
    }
    if (std::size_t b = after_blank_line(buf); b > 0) {
        return b;
    }
    if (std::size_t nl = buf.rfind('\n'); nl != std::string_view::npos) {
        return nl + 1;
    }
    // One long line: after a sentence's end, else after a space, else
    // before a character (never inside one).
    for (std::size_t p = buf.rfind(' '); p != std::string_view::npos && p > 0; p = buf.rfind(' ', p - 1)) {
        char c = buf[p - 1];
        if (c == '.' || c == '!' || c == '?') {
            return p + 1;
        }
        if (buf.size() - p > (std::size_t{1} << 20)) {
            break;  // no sentence end in the last MB: a space will do
        }
    }
    if (std::size_t sp = buf.rfind(' '); sp != std::string_view::npos) {
        return sp + 1;
    }
    std::size_t p = buf.size() - 1;
    while (p > 0 && (static_cast<unsigned char>(buf[p]) & 0xC0) == 0x80) {
        --p;
    }
    return p > 0 ? p : buf.size();
}

bool utf8_head(std::string_view head) {
    if (head.starts_with("\xEF\xBB\xBF")) {
        head.remove_prefix(3);
    }
    // Up to the last character's first byte: the head may end inside one.
    std::size_t end = head.size();
    while (end > 0 && (static_cast<unsigned char>(head[end - 1]) & 0xC0) == 0x80) {
        --end;
    }
    end = end > 0 ? end - 1 : 0;
    for (std::size_t i = 0; i < end;) {
        std::size_t n = analysis::utf8_sequence(head, i);
        if (n == 0) {
            return false;
        }
        i += n;
    }
    return true;
}

bool read_some(std::istream& in, std::string& out, std::size_t n) {
    // Grow in steps (64 KiB, then doubling) rather than by n at once: resize()
    // zero-fills, and n is often 8 MiB for a file of a few kilobytes.
    while (n > 0) {
        const std::size_t step = std::min(n, std::max<std::size_t>(std::size_t{64} << 10, out.size()));
        const std::size_t old = out.size();
        out.resize(old + step);
        in.read(out.data() + old, static_cast<std::streamsize>(step));
        const auto got = static_cast<std::size_t>(in.gcount());
        out.resize(old + got);
        if (got < step) {
            break;
        }
        n -= step;
    }
    return !in.bad();
}

PieceReader::PieceReader(std::istream& in, std::string buf, Cut cut, std::size_t piece, std::size_t max_line)
    : in_(in), buf_(std::move(buf)), cut_(cut), piece_(std::max<std::size_t>(piece, 1)), max_line_(max_line) {}

bool PieceReader::fill(std::size_t want) {
    while (!eof_ && buf_.size() < want) {
        if (!read_some(in_, buf_, want - buf_.size())) {
            error_ = true;
            return false;
        }
        if (in_.eof()) {
            eof_ = true;
        }
    }
    return true;
}

std::vector<std::size_t> PieceReader::take_skipped() { return std::exchange(skipped_, {}); }

bool PieceReader::next(std::string& text, std::size_t& offset, std::size_t& lines_before) {
    if (first_) {
        first_ = false;
        if (!fill(3)) {
            return false;
        }
        if (buf_.starts_with("\xEF\xBB\xBF")) {
            buf_.erase(0, 3);
            offset_ = 3;
        }
    }
    for (;;) {
        if (!fill(piece_)) {
            return false;
        }
        if (buf_.empty()) {
            return false;
        }
        std::size_t cut = eof_ ? buf_.size() : cut_point(buf_, cut_);
        if (cut == 0) {
            // A JSON line longer than a piece: read on to its end, up to
            // the longest line taken; a longer one is skipped, never held whole.
            std::size_t nl = std::string::npos;
            for (std::size_t from = 0;;) {
                nl = buf_.find('\n', from);
                if (nl != std::string::npos || eof_ || buf_.size() > max_line_) {
                    break;
                }
                from = buf_.size();
                if (!fill(std::min(buf_.size() + piece_, max_line_ + 1))) {
                    return false;
                }
            }
            const std::size_t line_end = nl == std::string::npos ? buf_.size() : nl;
            if (line_end <= max_line_) {
                cut = nl == std::string::npos ? buf_.size() : nl + 1;
            } else {
                skipped_.push_back(lines_ + 1);
                // Drop the line: what was read, then up to its line break.
                for (;;) {
                    nl = buf_.find('\n');
                    if (nl != std::string::npos) {
                        offset_ += nl + 1;
                        buf_.erase(0, nl + 1);
                        ++lines_;
                        break;
                    }
                    offset_ += buf_.size();
                    buf_.clear();
                    if (eof_) {
                        break;
                    }
                    if (!fill(piece_)) {
                        return false;
                    }
                }
                continue;
            }
        }
        text.assign(buf_, 0, cut);
        buf_.erase(0, cut);
        if (buf_.capacity() > 2 * piece_ && buf_.size() < piece_) {
            buf_.shrink_to_fit();  // after a long JSON line
        }
        offset = offset_;
        lines_before = lines_;
        offset_ += cut;
        lines_ += static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
        repaired_ += repair_utf8(text);
        return true;
    }
}

}  // namespace lede::indexer
