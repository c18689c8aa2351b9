#include "index/mapped.hpp"

#include "index/segments.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <utility>

// The C library's own entry points (glibc exports them): where the
// interposed pread() and close() below go when nothing else defines them
// after this program or library (dlsym's RTLD_NEXT: a preloaded library's or
// a sanitizer's come first, as they would without lede); posix_fadvise()
// falls back on libc's other name, posix_fadvise64().
extern "C" {
ssize_t __pread64(int fd, void* buf, size_t n, off_t offset);  // NOLINT(bugprone-reserved-identifier)
int __close(int fd);                                           // NOLINT(bugprone-reserved-identifier)
}

namespace lede::index::mapped {
namespace {

// Descriptors below this are looked up in a table; reads of the others go
// to the C library as before.
constexpr int max_fd = 4096;

struct Slot {
    std::atomic<const char*> base{nullptr};  // the map, or nullptr
    std::atomic<std::size_t> size{0};
};
Slot slots[max_fd];
// A descriptor found not to be a registered file (fstat(2) once, until it is closed).
std::atomic<bool> not_ours[max_fd];
// Files registered by live registrations.
std::atomic<long> live{0};
// Whether anything was ever registered: until then the tables are not
// touched (a process that maps nothing, as the lede command, pays no page for them).
std::atomic<bool> used{false};
thread_local unsigned long long served = 0;  // per thread: no cache line shared by searching threads

struct Entry {
    FileId id;
    int count = 0;
};
using Key = std::pair<unsigned long long, unsigned long long>;  // device, inode

std::mutex& lock() {
    static std::mutex m;
    return m;
}

// Never destroyed: a read or close may come after static destructors ran.
std::map<Key, Entry>& registered() {
    static auto* r = new std::map<Key, Entry>;
    return *r;
}

long long mtime_ns(const struct stat& st) {
    return static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

// The map of @p fd when it is a registered file (made now), else nullptr.
const char* map_fd(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        not_ours[fd].store(true, std::memory_order_relaxed);
        return nullptr;
    }
    const std::lock_guard<std::mutex> g(lock());
    if (const char* b = slots[fd].base.load(std::memory_order_acquire); b != nullptr) {
        return b;
    }
    const auto it = registered().find({st.st_dev, st.st_ino});
    if (it == registered().end() || it->second.id.size != st.st_size || it->second.id.mtime_ns != mtime_ns(st)) {
        not_ours[fd].store(true, std::memory_order_relaxed);
        return nullptr;
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        not_ours[fd].store(true, std::memory_order_relaxed);
        return nullptr;
    }
    slots[fd].size.store(size, std::memory_order_relaxed);
    slots[fd].base.store(static_cast<const char*>(p), std::memory_order_release);
    return static_cast<const char*>(p);
}

using pread_fn = ssize_t (*)(int, void*, size_t, off_t);
using close_fn = int (*)(int);
using fadvise_fn = int (*)(int, off_t, off_t, int);
std::atomic<pread_fn> next_pread{nullptr};
std::atomic<close_fn> next_close{nullptr};
std::atomic<fadvise_fn> next_fadvise{nullptr};

// The next definition of @p name after this one (else @p fallback), once.
template <typename F>
F next(std::atomic<F>& cached, const char* name, F fallback) {
    F f = cached.load(std::memory_order_relaxed);
    if (f == nullptr) {
        f = reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
        f = f != nullptr ? f : fallback;
        cached.store(f, std::memory_order_relaxed);
    }
    return f;
}

pread_fn real_pread() { return next(next_pread, "pread", &__pread64); }
close_fn real_close() { return next(next_close, "close", &__close); }
fadvise_fn real_fadvise() {
    return next(next_fadvise, "posix_fadvise", static_cast<fadvise_fn>(&posix_fadvise64));  // libc's other name
}

// Whether @p fd is read from a map.
bool is_mapped(int fd) {
    return used.load(std::memory_order_acquire) && fd >= 0 && fd < max_fd
           && slots[fd].base.load(std::memory_order_acquire) != nullptr;
}

ssize_t read_at(int fd, void* buf, std::size_t n, off_t off) {
    if (used.load(std::memory_order_acquire) && fd >= 0 && fd < max_fd) {
        const char* base = slots[fd].base.load(std::memory_order_acquire);
        if (base == nullptr && live.load(std::memory_order_relaxed) > 0
            && !not_ours[fd].load(std::memory_order_relaxed)) {
            base = map_fd(fd);
        }
        if (base != nullptr) {
            const std::size_t size = slots[fd].size.load(std::memory_order_relaxed);
            if (off >= 0 && n <= size && static_cast<std::size_t>(off) <= size - n) {
                std::memcpy(buf, base + off, n);
                ++served;
                return static_cast<ssize_t>(n);
            }
        }
    }
    return real_pread()(fd, buf, n, off);
}

void forget(const std::vector<FileId>& files) {
    if (files.empty()) {
        return;
    }
    const std::lock_guard<std::mutex> g(lock());
    for (const FileId& f : files) {
        const auto it = registered().find({f.dev, f.ino});
        if (it != registered().end() && --it->second.count == 0) {
            registered().erase(it);
        }
    }
    live.fetch_sub(static_cast<long>(files.size()), std::memory_order_relaxed);
}

}  // namespace

Registration::~Registration() { forget(files_); }

Registration::Registration(Registration&& other) noexcept : files_(std::move(other.files_)) { other.files_.clear(); }

Registration& Registration::operator=(Registration&& other) noexcept {
    if (this != &other) {
        forget(files_);
        files_ = std::move(other.files_);
        other.files_.clear();
    }
    return *this;
}

Registration register_index(const std::string& dir) {
    Registration r;
    if (!segments::is_segmented(dir)) {
        return r;
    }
    segments::Layout layout;
    try {
        layout = segments::read_layout(dir);
    } catch (...) {  // NOLINT(bugprone-empty-catch): opening the index reports it; its files are read as before
        return r;
    }
    std::vector<std::string> names = layout.segments;
    names.push_back(layout.meta);
    for (const auto& name : names) {
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(dir) / name, ec)) {
            struct stat st {};
            if (e.path().extension() != ".glass" || ::stat(e.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
                continue;
            }
            r.files_.push_back({static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino),
                                static_cast<long long>(st.st_size), mtime_ns(st)});
        }
    }
    if (r.files_.empty()) {
        return r;
    }
    // Found now, not in a first close() that a signal handler might make (dlsym is not async-signal-safe).
    (void)real_pread();
    (void)real_close();
    (void)real_fadvise();
    const std::lock_guard<std::mutex> g(lock());
    for (const FileId& f : r.files_) {
        Entry& e = registered()[{f.dev, f.ino}];
        e.id = f;  // the file as it is now
        ++e.count;
    }
    used.store(true, std::memory_order_release);
    // A descriptor found not ours before may be one of these now.
    for (auto& n : not_ours) {
        n.store(false, std::memory_order_relaxed);
    }
    live.fetch_add(static_cast<long>(r.files_.size()), std::memory_order_relaxed);
    return r;
}

unsigned long long mapped_reads() { return served; }

}  // namespace lede::index::mapped

// The interposed entry points (default visibility: the shared library's too).
extern "C" {

__attribute__((visibility("default"))) ssize_t pread(int fd, void* buf, size_t n, off_t offset) {
    return lede::index::mapped::read_at(fd, buf, n, offset);
}

__attribute__((visibility("default"))) ssize_t pread64(int fd, void* buf, size_t n, off_t offset) {
    return lede::index::mapped::read_at(fd, buf, n, offset);
}

// Xapian's read-ahead hint (posix_fadvise WILLNEED of one block a query
// term, at every match): a system call that a mapped file does without (a
// page not in memory is read on its fault, with the kernel's own read-ahead).
__attribute__((visibility("default"))) int posix_fadvise(int fd, off_t offset, off_t len, int advice) noexcept {
    if (lede::index::mapped::is_mapped(fd)) {
        return 0;
    }
    return lede::index::mapped::real_fadvise()(fd, offset, len, advice);
}

__attribute__((visibility("default"))) int close(int fd) {
    using lede::index::mapped::max_fd;
    using lede::index::mapped::not_ours;
    using lede::index::mapped::real_close;
    using lede::index::mapped::slots;
    using lede::index::mapped::used;
    if (used.load(std::memory_order_acquire) && fd >= 0 && fd < max_fd) {
        not_ours[fd].store(false, std::memory_order_relaxed);
        if (const char* base = slots[fd].base.exchange(nullptr, std::memory_order_acq_rel); base != nullptr) {
            ::munmap(const_cast<char*>(base), slots[fd].size.load(std::memory_order_relaxed));
        }
    }
    return real_close()(fd);
}
}
