# The Debian packages (cpack -G DEB): files, dependencies, conffiles,
# maintainer scripts, lintian without errors. slow: the ASan stage leaves
# it out (it would package sanitized binaries).
add_test(NAME package_deb COMMAND ${CMAKE_CURRENT_LIST_DIR}/package.sh ${CMAKE_BINARY_DIR})
set_tests_properties(package_deb PROPERTIES LABELS "package;slow" TIMEOUT 300)
