# A non-exported INTERFACE target carrying lede's warning flags (and the
# optional sanitizers), linked PRIVATE by every lede target.
add_library(lede_warnings INTERFACE)
target_compile_options(lede_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
  -Wunused -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${LEDE_WARNINGS_AS_ERRORS}>:-Werror>)
if(LEDE_SANITIZE)
  target_compile_options(lede_warnings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(lede_warnings INTERFACE -fsanitize=address,undefined)
endif()
