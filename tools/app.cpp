#include "tools/app.hpp"

#include <lede/error.hpp>

#include <lede/output.hpp>

#include <cstdlib>
#include <iostream>

namespace lede::tools {

std::string resolve_db(const std::string& flag) {
    if (!flag.empty()) {
        return flag;
    }
    if (const char* env = std::getenv("LEDE_DB"); env != nullptr && *env != '\0') {
        return env;
    }
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
        return std::string(xdg) + "/lede/index";
    }
    const char* home = std::getenv("HOME");
    return std::string(home != nullptr ? home : ".") + "/.local/share/lede/index";
}

void report(const std::string& message) {
    std::cerr << "lede: ";
    lede::write_safe(std::cerr, message);
    std::cerr << '\n';
}

int handle_exception() {
    try {
        throw;
    } catch (const Error& e) {
        report(e.what());
        return e.kind() == ErrorKind::index_locked ? Exit::locked : Exit::error;
    } catch (const std::exception& e) {
        report(std::string("unexpected error: ") + e.what());
        return Exit::error;
    }
}

}  // namespace lede::tools
