# Install rules: libraries, headers, the lede binary, man page, bash, zsh and
# fish completions, a CMake package (find_package(lede CONFIG) → lede::lede,
# lede::lede_static) and lede.pc for pkg-config.
# Components, one per Debian package (cmake/LedePackage.cmake): cli (the
# command, its man page and completions), lib (the shared library), dev
# (headers, static library, CMake package, lede.pc, the liblede.so link).
include(CMakePackageConfigHelpers)

install(TARGETS lede EXPORT ledeTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT lib NAMELINK_COMPONENT dev
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT lib
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS lede_static EXPORT ledeTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/lede DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
  FILES_MATCHING PATTERN "*.hpp")
install(FILES "${PROJECT_BINARY_DIR}/include/lede/version.hpp" "${PROJECT_BINARY_DIR}/include/lede/export.hpp"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/lede COMPONENT dev)
if(TARGET lede_cli)
  install(TARGETS lede_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT cli)
endif()

# The man page, compressed as Debian wants it (man reads .gz everywhere).
find_program(LEDE_GZIP gzip REQUIRED)
add_custom_command(OUTPUT "${PROJECT_BINARY_DIR}/lede.1.gz"
  COMMAND "${LEDE_GZIP}" -9n -c "${PROJECT_SOURCE_DIR}/docs/lede.1" > "${PROJECT_BINARY_DIR}/lede.1.gz"
  DEPENDS "${PROJECT_SOURCE_DIR}/docs/lede.1" VERBATIM)
add_custom_target(lede_man ALL DEPENDS "${PROJECT_BINARY_DIR}/lede.1.gz")
install(FILES "${PROJECT_BINARY_DIR}/lede.1.gz" DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT cli)

# Completions where each shell looks. zsh: Debian's zsh reads
# /usr/share/zsh/vendor-completions, and /usr/local/share/zsh/site-functions
# for local installs; the prefix is known only at install time (cpack installs
# into /usr whatever the build was configured with).
install(FILES completions/lede.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
  RENAME lede COMPONENT cli)
install(FILES completions/lede.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d COMPONENT cli)
install(CODE "
  if(CMAKE_INSTALL_PREFIX MATCHES \"^/usr/?$\")
    set(lede_zsh_dir vendor-completions)
  else()
    set(lede_zsh_dir site-functions)
  endif()
  file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/zsh/\${lede_zsh_dir}\"
       TYPE FILE FILES \"${PROJECT_SOURCE_DIR}/completions/_lede\")" COMPONENT cli)

set(cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/lede)
install(EXPORT ledeTargets NAMESPACE lede:: DESTINATION ${cmake_dir} COMPONENT dev)
configure_package_config_file(cmake/ledeConfig.cmake.in "${PROJECT_BINARY_DIR}/ledeConfig.cmake"
  INSTALL_DESTINATION ${cmake_dir})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/ledeConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/ledeConfig.cmake" "${PROJECT_BINARY_DIR}/ledeConfigVersion.cmake"
  cmake/LedeXapian.cmake DESTINATION ${cmake_dir} COMPONENT dev)

# Relocatable: the prefix is found relative to the .pc file itself.
file(RELATIVE_PATH LEDE_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
configure_file(cmake/lede.pc.in "${PROJECT_BINARY_DIR}/lede.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/lede.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
