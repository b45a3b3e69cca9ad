# Fuzz targets for the ID card reader's parsers of outside bytes. They are
# placed in <build>/tests/fuzz/ where tests/fuzz/run.sh looks for fuzz_*.
foreach(target fuzz_sam_frame fuzz_idcard_text)
  kiosk_fuzz(${target} ${CMAKE_CURRENT_LIST_DIR}/${target}.c LIBS kiosk_drv_idcard
             CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/${target})
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                        ${CMAKE_BINARY_DIR}/tests/fuzz)
endforeach()
