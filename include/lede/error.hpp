/// @file lede/error.hpp
/// @brief The one exception hierarchy thrown by the lede library.
///
/// Every failure the library reports is a lede::Error (or a subclass). Xapian
/// and ICU exceptions never cross the API: they are caught at the boundary and
/// rethrown with context ("opening index at PATH: ...").
#pragma once

#include <lede/export.hpp>

#include <stdexcept>
#include <string>

namespace lede {

/// What went wrong, coarse enough for a caller to decide what to do.
enum class ErrorKind {
    invalid_argument,  ///< the caller passed something invalid (bad option value)
    query_syntax,      ///< the query string cannot be parsed
    index_not_found,   ///< no index at the given location
    index_locked,      ///< another writer holds the index lock
    index_corrupt,     ///< the index files are damaged
    index_version,     ///< built by an incompatible version of lede (or not by lede)
    io,                ///< reading or writing a file failed (disk full, permissions)
    network,           ///< a remote shard did not answer
    internal,          ///< a bug in lede: please report it
};

/// Base class of all lede errors. what() is a complete, user-facing sentence.
class LEDE_API Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    /// The category of the failure.
    [[nodiscard]] ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

/// A query that cannot be parsed; column() is the 1-based byte column of the problem.
class LEDE_API QuerySyntaxError : public Error {
public:
    QuerySyntaxError(const std::string& message, std::size_t column)
        : Error(ErrorKind::query_syntax, message), column_(column) {}
    [[nodiscard]] std::size_t column() const noexcept { return column_; }

private:
    std::size_t column_;
};

}  // namespace lede
