# Installation of healthdeck::core for services that link it (issue 14, docs/library.md):
#   include/healthdeck/AREA/*.h             the public headers (every header of core/)
#   LIBDIR/libhealthdeck_core.a             static
#   LIBDIR/libhealthdeck_core.so*           shared (SONAME libhealthdeck_core.so.MAJOR.MINOR)
#   LIBDIR/cmake/healthdeck/                find_package(healthdeck CONFIG): healthdeck::core
#   LIBDIR/pkgconfig/healthdeck.pc          pkg-config --cflags --libs healthdeck
# All of it is the `dev` install component (the healthdeck-dev Debian package); only core is
# installed, the console's client/ and ui/ libraries are not.
include(CMakePackageConfigHelpers)

set(_cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/healthdeck)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/healthdeck
        COMPONENT dev FILES_MATCHING PATTERN "*.h")

install(TARGETS healthdeck_core_shared EXPORT healthdeckSharedTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(TARGETS healthdeck_core EXPORT healthdeckStaticTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(EXPORT healthdeckSharedTargets NAMESPACE healthdeck:: DESTINATION ${_cmakedir}
        FILE healthdeckSharedTargets.cmake COMPONENT dev)
install(EXPORT healthdeckStaticTargets NAMESPACE healthdeck:: DESTINATION ${_cmakedir}
        FILE healthdeckStaticTargets.cmake COMPONENT dev)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/healthdeckConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/cmake/healthdeckConfig.cmake
                              INSTALL_DESTINATION ${_cmakedir})
# 0.x: a consumer asking for 0.1 must not get 0.2 (the ABI may change between minors).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/healthdeckConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/healthdeckConfig.cmake
              ${PROJECT_BINARY_DIR}/cmake/healthdeckConfigVersion.cmake
        DESTINATION ${_cmakedir} COMPONENT dev)

# pkg-config: relocatable (prefix found from the .pc file's own folder), so an install into
# any --prefix works without rewriting it.
file(RELATIVE_PATH _pc_to_prefix /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" _pc_to_prefix "${_pc_to_prefix}")
set(HEALTHDECK_PC_PREFIX "\${pcfiledir}/${_pc_to_prefix}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/healthdeck.pc.in ${PROJECT_BINARY_DIR}/cmake/healthdeck.pc
               @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cmake/healthdeck.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
