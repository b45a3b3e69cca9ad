# Face detector timings, with OpenCV's CascadeClassifier beside ours where
# pkg-config finds opencv4 (then a C++ anchor source joins the bench).
add_executable(bench_face ${CMAKE_CURRENT_LIST_DIR}/bench_face.c
               ${PROJECT_SOURCE_DIR}/tests/unit/face_fixture.c)
set_target_properties(bench_face PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
target_include_directories(bench_face PRIVATE ${PROJECT_SOURCE_DIR}/tests/unit)
target_link_libraries(bench_face PRIVATE kiosk_face m)
pkg_check_modules(OPENCV4 QUIET IMPORTED_TARGET opencv4)
if(OPENCV4_FOUND AND NOT KIOSK_FUZZ)
  include(CheckLanguage)
  check_language(CXX)
  if(CMAKE_CXX_COMPILER)
    enable_language(CXX)
    target_sources(bench_face PRIVATE ${CMAKE_CURRENT_LIST_DIR}/bench_face_opencv.cpp)
    target_compile_definitions(bench_face PRIVATE KIOSK_HAVE_OPENCV)
    target_link_libraries(bench_face PRIVATE PkgConfig::OPENCV4)
    set_target_properties(bench_face PROPERTIES LINKER_LANGUAGE CXX)
  endif()
endif()
