# Install rules: libraries, headers, the lede binary, man page, bash
# completion, a CMake package (find_package(lede CONFIG) → lede::lede,
# lede::lede_static) and lede.pc for pkg-config.
include(CMakePackageConfigHelpers)

install(TARGETS lede lede_static EXPORT ledeTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/lede DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(FILES "${PROJECT_BINARY_DIR}/include/lede/version.hpp" "${PROJECT_BINARY_DIR}/include/lede/export.hpp"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/lede)
if(TARGET lede_cli)
  install(TARGETS lede_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(FILES docs/lede.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 OPTIONAL)
install(FILES completions/lede.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
  RENAME lede OPTIONAL)

set(cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/lede)
install(EXPORT ledeTargets NAMESPACE lede:: DESTINATION ${cmake_dir})
configure_package_config_file(cmake/ledeConfig.cmake.in "${PROJECT_BINARY_DIR}/ledeConfig.cmake"
  INSTALL_DESTINATION ${cmake_dir})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/ledeConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/ledeConfig.cmake" "${PROJECT_BINARY_DIR}/ledeConfigVersion.cmake"
  cmake/LedeXapian.cmake DESTINATION ${cmake_dir})

# Relocatable: the prefix is found relative to the .pc file itself.
file(RELATIVE_PATH LEDE_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
configure_file(cmake/lede.pc.in "${PROJECT_BINARY_DIR}/lede.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/lede.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
