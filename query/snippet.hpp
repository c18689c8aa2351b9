// Snippets: a window of a passage around its highlighted words.
#pragma once

#include <lede/search.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace lede::query {

struct Snippet {
    std::string text;              ///< the window, with "…" where text was cut
    std::vector<Span> highlights;  ///< byte ranges within text
};

/// The window of about @p target bytes of @p text that holds the most
/// highlights, cut at spaces, with "…" marking cuts. Short texts are returned whole.
Snippet make_snippet(std::string_view text, const std::vector<Span>& highlights, std::size_t target);

}  // namespace lede::query
