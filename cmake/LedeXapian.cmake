# Debian's xapian-config.cmake sets only variables (XAPIAN_LIBRARIES,
# XAPIAN_INCLUDE_DIR); wrap them in an imported target so the rest of the
# build links Xapian::Xapian like any other dependency.
if(NOT TARGET Xapian::Xapian)
  find_package(xapian 1.4 REQUIRED CONFIG)
  add_library(Xapian::Xapian INTERFACE IMPORTED)
  set_target_properties(Xapian::Xapian PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${XAPIAN_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${XAPIAN_LIBRARIES}")
endif()
