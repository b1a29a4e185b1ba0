# asyncc_transpile(<out_var> <source>... [TARGET <target>] [FLAGS <flag>...])
#
# Adds one custom command per source that runs the asyncc tool on it and
# writes ${CMAKE_CURRENT_BINARY_DIR}/asyncc/<path>.c, where <path> is the
# source's path below the current source directory (its file name if it lies
# elsewhere).  Sets <out_var> to the list of generated files, to be compiled
# in place of the sources:
#
#   asyncc_transpile(hello_c hello.c)
#   add_executable(hello ${hello_c})
#
# The tool always gets -I for asyncc's include directory and -std=c11 (or
# the C standard the project sets).  TARGET adds that target's include
# directories and compile definitions, so the tool parses a source as the
# compiler will; FLAGS are passed through (-I, -D, -std=, --no-line, ...).
#
# Each generated file keeps its source's directory on its include path, so
# `#include "local.h"` still resolves when the output is compiled.  A command
# re-runs when its source or the tool changes; headers it includes are not
# tracked yet.

set(ASYNCC_INCLUDE_DIR ${CMAKE_CURRENT_LIST_DIR}/../include)
get_filename_component(ASYNCC_INCLUDE_DIR ${ASYNCC_INCLUDE_DIR} ABSOLUTE)

function(asyncc_transpile out_var)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TARGET" "FLAGS")
  if(NOT arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "asyncc_transpile: no sources given")
  endif()

  set(flags -I${ASYNCC_INCLUDE_DIR})
  if(NOT arg_FLAGS MATCHES "(^|;)-std=" AND CMAKE_C_STANDARD)
    if(CMAKE_C_EXTENSIONS)
      list(APPEND flags -std=gnu${CMAKE_C_STANDARD})
    else()
      list(APPEND flags -std=c${CMAKE_C_STANDARD})
    endif()
  endif()
  if(arg_TARGET)
    set(incs "$<TARGET_PROPERTY:${arg_TARGET},INCLUDE_DIRECTORIES>")
    set(defs "$<TARGET_PROPERTY:${arg_TARGET},COMPILE_DEFINITIONS>")
    # $<SEMICOLON> keeps each of these one element of `flags` until the
    # generator expands it into one argument per directory or definition.
    list(APPEND flags "$<$<BOOL:${incs}>:-I$<JOIN:${incs},$<SEMICOLON>-I>>"
      "$<$<BOOL:${defs}>:-D$<JOIN:${defs},$<SEMICOLON>-D>>")
  endif()
  list(APPEND flags ${arg_FLAGS})

  set(outputs)
  foreach(src IN LISTS arg_UNPARSED_ARGUMENTS)
    get_filename_component(src ${src} ABSOLUTE
      BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    file(RELATIVE_PATH rel ${CMAKE_CURRENT_SOURCE_DIR} ${src})
    if(rel MATCHES "^\\.\\./")
      get_filename_component(rel ${src} NAME)
    endif()
    string(REGEX REPLACE "\\.[^./]*$" "" stem ${rel})
    set(out ${CMAKE_CURRENT_BINARY_DIR}/asyncc/${stem}.c)
    get_property(taken DIRECTORY PROPERTY ASYNCC_TRANSPILE_OUTPUTS)
    if(out IN_LIST taken)
      message(FATAL_ERROR "asyncc_transpile: ${out} is already generated in "
        "this directory (one source transpiled twice, or two sources with "
        "the same name)")
    endif()
    set_property(DIRECTORY APPEND PROPERTY ASYNCC_TRANSPILE_OUTPUTS ${out})
    get_filename_component(out_dir ${out} DIRECTORY)
    get_filename_component(src_dir ${src} DIRECTORY)
    file(MAKE_DIRECTORY ${out_dir})

    add_custom_command(OUTPUT ${out}
      COMMAND asyncc ${flags} ${src} -o ${out}
      DEPENDS ${src} asyncc
      COMMENT "Transpiling ${rel} with asyncc"
      COMMAND_EXPAND_LISTS VERBATIM)
    set_property(SOURCE ${out} APPEND PROPERTY INCLUDE_DIRECTORIES ${src_dir})
    list(APPEND outputs ${out})
  endforeach()
  set(${out_var} ${outputs} PARENT_SCOPE)
endfunction()
