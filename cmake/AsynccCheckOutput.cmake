# Runs PROGRAM and fails unless it exits with status 0 and its standard
# output equals the file EXPECTED byte for byte.  On a mismatch it prints a
# unified diff and leaves the output in <program name>.actual in the working
# directory.
#
#   cmake -DPROGRAM=<exe> -DEXPECTED=<file> -P AsynccCheckOutput.cmake
foreach(var PROGRAM EXPECTED)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "AsynccCheckOutput: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND ${PROGRAM} OUTPUT_VARIABLE actual
  RESULT_VARIABLE status)
if(NOT status STREQUAL "0")
  message("${actual}")
  message(FATAL_ERROR "${PROGRAM} failed (${status}); its output is above")
endif()

get_filename_component(name ${PROGRAM} NAME)
set(actual_file ${CMAKE_CURRENT_BINARY_DIR}/${name}.actual)
file(REMOVE ${actual_file})
file(READ ${EXPECTED} expected)
if(NOT actual STREQUAL expected)
  file(WRITE ${actual_file} "${actual}")
  find_program(DIFF_EXECUTABLE diff)
  if(DIFF_EXECUTABLE)
    execute_process(COMMAND ${DIFF_EXECUTABLE} -u ${EXPECTED} ${actual_file})
  else()
    message("--- expected\n${expected}--- actual\n${actual}")
  endif()
  message(FATAL_ERROR "${PROGRAM}: output differs from ${EXPECTED}")
endif()
