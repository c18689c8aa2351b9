# Called by lede_embed_file: writes IN as a NUL-terminated char array to OUT,
# with its size in bytes (without the NUL) as SYMBOL_size.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" digits)
math(EXPR size "${digits} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," body "${hex}")
file(WRITE "${OUT}" "// Generated from ${IN}; do not edit.\n#include <cstddef>\n"
  "extern const char ${SYMBOL}[];\nconst char ${SYMBOL}[] = {${body}'\\0'};\n"
  "extern const std::size_t ${SYMBOL}_size;\nconst std::size_t ${SYMBOL}_size = ${size};\n")
