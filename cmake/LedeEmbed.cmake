# lede_embed_file(OUT_CPP SYMBOL FILE): turn a data file (e.g. the curated
# alias table) into a .cpp defining `extern const char SYMBOL[]`, so the
# library carries its data and needs nothing at run time.
function(lede_embed_file out_cpp symbol file)
  set(script "${PROJECT_SOURCE_DIR}/cmake/embed.cmake")
  add_custom_command(OUTPUT "${out_cpp}"
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out_cpp} -DSYMBOL=${symbol} -P "${script}"
    DEPENDS "${file}" "${script}"
    COMMENT "Embedding ${file}")
endfunction()
