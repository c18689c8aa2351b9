# Debian packages with CPack. In a build folder:  cpack -G DEB  makes
#   lede_VERSION-1_ARCH.deb         the command, its man page, bash/zsh/fish completions
#   liblede0_VERSION-1_ARCH.deb     the shared library (liblede.so.0)
#   liblede-dev_VERSION-1_ARCH.deb  headers, static library, CMake package, lede.pc
# the split of Debian's policy for libraries (§8). Depends are computed from
# the binaries by dpkg-shlibdeps; liblede0 ships a shlibs file and activates
# the ldconfig trigger. Configure with -DCMAKE_INSTALL_PREFIX=/usr to get
# Debian's multiarch library folder (lib/x86_64-linux-gnu); cpack installs
# into /usr either way. tests/package/deb.sh builds, installs, checks and
# removes the packages.
#
# The command links liblede statically (and ICU, when LEDE_STATIC_ICU found
# Debian's static archives: tools/CMakeLists.txt), so `lede` does not depend on
# liblede0 and, with static ICU, not on libicu72 either: dpkg-shlibdeps sees
# what the binary really loads.

set(LEDE_PACKAGE_MAINTAINER "lede maintainers <maintainers@users.noreply.h-seed-5880a735.example>"
  CACHE STRING "Maintainer field of the Debian packages")
set(LEDE_PACKAGE_RELEASE 1 CACHE STRING "Debian revision of the packages")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lede)
set(CPACK_PACKAGE_VENDOR "lede")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${LEDE_PACKAGE_MAINTAINER}")
# Each package's description starts with its own synopsis line. CPack would
# put the project's DESCRIPTION in front of all three unless the summary is
# its built-in default.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_THREADS 0)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL cli lib dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${LEDE_PACKAGE_RELEASE})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${LEDE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(lede_deb_version "${PROJECT_VERSION}-${LEDE_PACKAGE_RELEASE}")
set(lede_lib_package liblede${PROJECT_VERSION_MAJOR})

set(CPACK_DEBIAN_CLI_PACKAGE_NAME lede)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION text)
set(CPACK_DEBIAN_CLI_DESCRIPTION "passage search for news archives, from the shell
lede indexes news articles (plain text, Markdown, JSON Lines) as passages into
a Xapian database and searches them: ranked passages with the matching words
highlighted, stems and spelling variants of names included (Umerov finds
Umyrov, Zelensky finds Zelenskyy and the Cyrillic spelling).
.
Indexing is incremental, parallel and crash-safe; several indexes and remote
shards search as one. Output as text, JSON or JSON Lines.
.
This package holds the lede command, its manual page and completions for
bash, zsh and fish.")

set(CPACK_DEBIAN_LIB_PACKAGE_NAME ${lede_lib_package})
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIB_DESCRIPTION "passage search for news archives - shared library
liblede indexes news articles as passages into a Xapian database and searches
them: ranked passages with highlights, stems and spelling variants of names.
.
This package holds the shared library.")
# The ldconfig trigger for the shared library (instead of maintainer scripts).
file(WRITE "${PROJECT_BINARY_DIR}/debian/lib/triggers" "activate-noawait ldconfig\n")
set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA "${PROJECT_BINARY_DIR}/debian/lib/triggers")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME liblede-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The static library and the CMake/pkg-config files bring Xapian and ICU to
# the final link: their -dev packages are needed to use this one.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${lede_lib_package} (= ${lede_deb_version}), libxapian-dev, libicu-dev, libxml2-dev, libzstd-dev")
set(CPACK_DEBIAN_DEV_DESCRIPTION "passage search for news archives - development files
liblede indexes news articles as passages into a Xapian database and searches
them: ranked passages with highlights, stems and spelling variants of names.
.
This package holds the C++ headers, the static library, the CMake package
(find_package(lede)) and the pkg-config file (lede.pc).")

# /usr/share/doc/PACKAGE/{copyright,changelog.Debian.gz} for each package.
# EXCLUDE_FROM_ALL: only the packages install them, not `cmake --install`.
configure_file("${PROJECT_SOURCE_DIR}/cmake/debian/changelog.in" "${PROJECT_BINARY_DIR}/debian/changelog.Debian" @ONLY)
add_custom_command(OUTPUT "${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz"
  COMMAND "${LEDE_GZIP}" -9n -c "${PROJECT_BINARY_DIR}/debian/changelog.Debian"
          > "${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz"
  DEPENDS "${PROJECT_BINARY_DIR}/debian/changelog.Debian" VERBATIM)
add_custom_target(lede_deb_changelog ALL DEPENDS "${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz")
# The command embeds libxml2 with ICU on purpose (tools/CMakeLists.txt: a
# shared libxml2 would load Debian's shared ICU beside the static one), and
# says so to lintian.
file(WRITE "${PROJECT_BINARY_DIR}/debian/lede.lintian-overrides"
  "# libxml2 is linked statically together with ICU so that one ICU is loaded (tools/CMakeLists.txt)\n"
  "lede: embedded-library libxml2 [usr/bin/lede]\n")
install(FILES "${PROJECT_BINARY_DIR}/debian/lede.lintian-overrides"
  DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME lede COMPONENT cli EXCLUDE_FROM_ALL)
foreach(comp cli lib dev)
  string(TOUPPER ${comp} COMP)
  install(FILES "${PROJECT_SOURCE_DIR}/cmake/debian/copyright" "${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz"
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${CPACK_DEBIAN_${COMP}_PACKAGE_NAME}
    COMPONENT ${comp} EXCLUDE_FROM_ALL)
endforeach()

# CPACK_STRIP_FILES strips the command and the shared library; the static
# library loses its debug sections here (as dh_strip does), 34 MB -> 1.5 MB.
install(CODE "
  if(CMAKE_INSTALL_DO_STRIP)
    execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-debug --remove-section=.comment
      --remove-section=.note --enable-deterministic-archives
      \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/$<TARGET_FILE_NAME:lede_static>\"
      COMMAND_ERROR_IS_FATAL ANY)
  endif()" COMPONENT dev)

include(CPack)
