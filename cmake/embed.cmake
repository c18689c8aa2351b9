# Called by lede_embed_file: writes IN as a NUL-terminated char array to OUT.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," body "${hex}")
file(WRITE "${OUT}" "// Generated from ${IN}; do not edit.\n"
  "extern const char ${SYMBOL}[];\nconst char ${SYMBOL}[] = {${body}'\\0'};\n")
