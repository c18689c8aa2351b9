#include "query/alerts.hpp"

#include <lede/alerts.hpp>
#include <lede/error.hpp>

#include "index/schema.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace lede {
namespace query {

namespace {

constexpr std::string_view checkpoint_tag = "lede-alert-1";

std::string stored(std::int64_t ms) { return Xapian::sortable_serialise(static_cast<double>(ms)); }

std::int64_t parse_int(std::string_view s, bool& ok) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    ok = ec == std::errc() && p == s.data() + s.size() && !s.empty();
    return v;
}

}  // namespace

std::int64_t to_ms(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::chrono::system_clock::time_point from_ms(std::int64_t ms) {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

std::string format_checkpoint(const Checkpoint& c) {
    std::string s(checkpoint_tag);
    for (const auto& [key, ms] : c) {
        s += ' ' + key + '=' + std::to_string(ms);
    }
    return s;
}

Checkpoint parse_checkpoint(const std::string& text) {
    Checkpoint c;
    if (text.empty()) {
        return c;
    }
    std::istringstream in(text);
    std::string word;
    auto bad = [&] {
        return Error(ErrorKind::invalid_argument,
                     "not an alert checkpoint: '" + text.substr(0, 80) + "' (expected " + std::string(checkpoint_tag)
                         + " KEY=MILLISECONDS ...)");
    };
    if (!(in >> word) || word != checkpoint_tag) {
        throw bad();
    }
    while (in >> word) {
        auto eq = word.rfind('=');
        bool ok = false;
        std::int64_t ms = eq == std::string::npos ? 0 : parse_int(std::string_view(word).substr(eq + 1), ok);
        if (!ok || eq == 0) {
            throw bad();
        }
        c[word.substr(0, eq)] = ms;
    }
    return c;
}

TimeFilter::TimeFilter(const std::vector<Xapian::Database>& parts, std::optional<std::int64_t> since,
                       const std::optional<std::string>& after) {
    active_ = since.has_value() || after.has_value();
    if (!after) {
        if (since) {
            query_ = Xapian::Query(Xapian::Query::OP_VALUE_GE, index::slot_indexed, stored(*since));
        }
        return;
    }
    Checkpoint prev = parse_checkpoint(*after);
    Checkpoint next = prev;
    // Per part: [low, high] in milliseconds; low > high is an empty window.
    std::vector<std::pair<std::int64_t, std::int64_t>> ms(parts.size());
    for (std::size_t i = 0; i < parts.size(); ++i) {
        std::string key = parts[i].get_metadata(index::meta::id);
        if (key.empty()) {
            key = parts[i].get_uuid();
        }
        if (key.empty()) {
            key = "#" + std::to_string(i + 1);
        }
        bool ok = false;
        std::int64_t now = parse_int(parts[i].get_metadata(index::meta::indexed), ok);
        if (!ok) {
            now = 0;  // nothing committed with a time yet
        }
        auto p = prev.find(key);
        // No time is before 1970: a first run's window starts at 0.
        std::int64_t low = p == prev.end() ? 0 : std::max<std::int64_t>(p->second + 1, 0);
        if (since) {
            low = std::max(low, *since);
        }
        ms[i] = {low, now};
        next[key] = p == prev.end() ? now : std::max(now, p->second);
    }
    next_ = format_checkpoint(next);
    std::int64_t lo = std::numeric_limits<std::int64_t>::max();
    std::int64_t hi = std::numeric_limits<std::int64_t>::min();
    for (const auto& [l, h] : ms) {
        if (l <= h) {
            lo = std::min(lo, l);
            hi = std::max(hi, h);
        }
    }
    if (lo > hi) {
        // Nothing new. (Not Query::MatchNothing: that is the empty query,
        // which a filter turns the whole query into.)
        query_ = Xapian::Query(std::string(index::no_match_term));
        return;
    }
    query_ = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, index::slot_indexed, stored(lo), stored(hi));
    for (const auto& [l, h] : ms) {
        per_part_ = per_part_ || l != lo || h != hi;
        if (l <= h) {
            windows_.emplace_back(stored(l), stored(h));
        } else {
            windows_.emplace_back("\xff", "");  // empty: admits nothing
        }
    }
}

bool TimeFilter::admits(Xapian::docid id, const std::string& value) const {
    if (!per_part_ || windows_.empty()) {
        return true;
    }
    const auto& [low, high] = windows_[(id - 1) % windows_.size()];
    return !value.empty() && low <= value && value <= high;
}

}  // namespace query

// ---- times -------------------------------------------------------------------------------------

namespace {

Error bad_time(std::string_view text, const std::string& why) {
    return {ErrorKind::invalid_argument,
            "'" + std::string(text.substr(0, 80)) + "' is not a time" + (why.empty() ? "" : " (" + why + ")")
                + "; give a duration before now (90s, 30m, 2h, 3d, 1w), a date (2026-11-30) or a timestamp"
                  " (2026-11-30T08:00Z, 2026-11-30T08:00:00+01:00)"};
}

// Reads exactly @p n digits at @p pos.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
    if (pos + n > s.size()) {
        return false;
    }
    out = 0;
    for (std::size_t i = 0; i < n; ++i) {
        char c = s[pos + i];
        if (c < '0' || c > '9') {
            return false;
        }
        out = out * 10 + (c - '0');
    }
    pos += n;
    return true;
}

}  // namespace

std::chrono::system_clock::time_point parse_time(std::string_view text, std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    std::string_view s = text;
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) {
        s.remove_suffix(1);
    }
    if (s.empty()) {
        throw bad_time(text, "empty");
    }
    // A duration: digits, then a unit.
    std::size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
        ++n;
    }
    if (n > 0 && n < s.size() && s[n] != '-') {
        std::string_view unit = s.substr(n);
        std::int64_t count = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + n, count);
        std::int64_t seconds = unit == "s" ? 1
                               : unit == "m" || unit == "min" ? 60
                               : unit == "h"                  ? 3600
                               : unit == "d"                  ? 86400
                               : unit == "w"                  ? 7 * 86400
                                                              : 0;
        if (seconds == 0) {
            throw bad_time(text, "unknown unit '" + std::string(unit.substr(0, 20)) + "'");
        }
        // Up to 100 years back: more is a typo (and a time_point of
        // nanoseconds spans 292 years).
        if (ec != std::errc() || count > 100LL * 366 * 86400 / seconds) {
            throw bad_time(text, "too far back");
        }
        return now - std::chrono::seconds(count * seconds);
    }
    // A date, then an optional time and zone.
    std::size_t pos = 0;
    int y = 0;
    int mo = 0;
    int d = 0;
    if (!digits(s, pos, 4, y) || pos >= s.size() || s[pos++] != '-' || !digits(s, pos, 2, mo) || pos >= s.size()
        || s[pos++] != '-' || !digits(s, pos, 2, d)) {
        throw bad_time(text, "");
    }
    if (y < 1900 || y > 2200) {  // (a time_point holds nanoseconds: up to 2262)
        throw bad_time(text, "the year must be from 1900 to 2200");
    }
    year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) {
        throw bad_time(text, "no such date");
    }
    system_clock::time_point t = sys_days{ymd};
    if (pos == s.size()) {
        return t;
    }
    int hh = 0;
    int mm = 0;
    int ss = 0;
    if ((s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') || !digits(s, ++pos, 2, hh) || pos >= s.size()
        || s[pos++] != ':' || !digits(s, pos, 2, mm)) {
        throw bad_time(text, "");
    }
    std::int64_t ms = 0;
    if (pos < s.size() && s[pos] == ':') {
        if (!digits(s, ++pos, 2, ss)) {
            throw bad_time(text, "");
        }
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            std::int64_t scale = 100;
            std::size_t frac = 0;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                ms += (s[pos] - '0') * scale;
                scale /= 10;
                ++pos;
                ++frac;
            }
            if (frac == 0) {
                throw bad_time(text, "");
            }
        }
    }
    if (hh > 23 || mm > 59 || ss > 60) {
        throw bad_time(text, "no such time of day");
    }
    t += hours(hh) + minutes(mm) + seconds(ss) + milliseconds(ms);
    if (pos == s.size() || ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size())) {
        return t;
    }
    if (s[pos] != '+' && s[pos] != '-') {
        throw bad_time(text, "");
    }
    const int sign = s[pos++] == '-' ? -1 : 1;
    int zh = 0;
    int zm = 0;
    bool zone = digits(s, pos, 2, zh);
    if (zone && pos < s.size() && s[pos] == ':') {
        ++pos;
    }
    zone = zone && digits(s, pos, 2, zm);
    if (!zone || pos != s.size() || zh > 23 || zm > 59) {
        throw bad_time(text, "a zone is Z, +HH:MM or -HH:MM");
    }
    return t - sign * (hours(zh) + minutes(zm));  // 08:00+01:00 is 07:00Z
}

std::string format_time(std::chrono::system_clock::time_point t) {
    std::int64_t ms = query::to_ms(t);
    std::int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    auto rest = static_cast<int>(ms - secs * 1000);
    std::time_t tt = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, rest);
    return buf;
}

// ---- the state file ----------------------------------------------------------------------------

struct AlertState::Impl {
    std::string path;
    int lock_fd = -1;
    std::map<std::string, std::string> alerts;

    ~Impl() {
        if (lock_fd >= 0) {
            ::close(lock_fd);  // releases the lock
        }
    }
};

namespace {

Error io_error(const std::string& path, const std::string& what) {
    return {ErrorKind::io, path + ": " + what + ": " + std::strerror(errno)};
}

constexpr const char* state_header =
    "# lede alert checkpoints (lede search --since-last NAME): one alert a line, NAME<tab>CHECKPOINT\n";

}  // namespace

AlertState::AlertState(const std::string& path) : impl_(std::make_unique<Impl>()) {
    namespace fs = std::filesystem;
    impl_->path = path;
    std::error_code ec;
    fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) {
        fs::create_directories(parent, ec);
        if (ec) {
            throw Error(ErrorKind::io, path + ": cannot create its folder: " + ec.message());
        }
    }
    const std::string lock = path + ".lock";
    impl_->lock_fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (impl_->lock_fd < 0) {
        throw io_error(lock, "cannot open the lock file");
    }
    int rc = 0;
    while ((rc = ::flock(impl_->lock_fd, LOCK_EX)) != 0 && errno == EINTR) {
    }
    if (rc != 0) {
        throw io_error(lock, "cannot lock");
    }
    std::ifstream in(path);
    if (!in) {
        if (fs::exists(path, ec)) {
            throw io_error(path, "cannot read");
        }
        return;  // no alert has run yet
    }
    std::string line;
    std::size_t no = 0;
    while (std::getline(in, line)) {
        ++no;
        if (line.empty() || line[0] == '#') {
            continue;
        }
        auto tab = line.find('\t');
        std::string name = line.substr(0, tab);
        if (tab == std::string::npos || !valid_name(name)) {
            throw Error(ErrorKind::invalid_argument, path + ":" + std::to_string(no)
                                                         + ": not an alert state line (NAME<tab>CHECKPOINT); is "
                                                           "this a lede alert state file?");
        }
        impl_->alerts[name] = line.substr(tab + 1);
    }
    if (in.bad()) {
        throw io_error(path, "cannot read");
    }
}

AlertState::~AlertState() = default;
AlertState::AlertState(AlertState&&) noexcept = default;
AlertState& AlertState::operator=(AlertState&&) noexcept = default;

bool AlertState::known(const std::string& name) const { return impl_->alerts.count(name) > 0; }

std::string AlertState::checkpoint(const std::string& name) const {
    auto it = impl_->alerts.find(name);
    return it == impl_->alerts.end() ? std::string() : it->second;
}

void AlertState::save(const std::string& name, const std::string& checkpoint) {
    if (!valid_name(name)) {
        throw Error(ErrorKind::invalid_argument, "'" + name.substr(0, 80) + "' is not an alert name");
    }
    if (checkpoint.find_first_of("\n\r") != std::string::npos) {
        throw Error(ErrorKind::invalid_argument, "alert " + name + ": a checkpoint is one line");
    }
    impl_->alerts[name] = checkpoint;
    std::string text = state_header;
    for (const auto& [n, c] : impl_->alerts) {
        text += n + '\t' + c + '\n';
    }
    const std::string tmp = impl_->path + ".tmp";  // ours: we hold the lock
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw io_error(tmp, "cannot write");
    }
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t w = ::write(fd, text.data() + done, text.size() - done);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            Error e = io_error(tmp, "cannot write");
            ::close(fd);
            ::unlink(tmp.c_str());
            throw e;
        }
        done += static_cast<std::size_t>(w);
    }
    const bool synced = ::fsync(fd) == 0;
    if (::close(fd) != 0 || !synced) {
        Error e = io_error(tmp, "cannot write");
        ::unlink(tmp.c_str());
        throw e;
    }
    if (std::rename(tmp.c_str(), impl_->path.c_str()) != 0) {
        Error e = io_error(impl_->path, "cannot replace");
        ::unlink(tmp.c_str());
        throw e;
    }
}

bool AlertState::valid_name(std::string_view name) {
    if (name.empty() || name.size() > 64 || name[0] == '.' || name[0] == '-') {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
               || c == '-';
    });
}

}  // namespace lede
