# Runs the asyncc tool on C sources as build steps.  Included by asyncc's own
# build and by asyncc-config.cmake, so both `add_subdirectory(asyncc)` and
# `find_package(asyncc)` provide these two functions (docs/cmake.md):
#
# asyncc_target_sources(<target> [PRIVATE|PUBLIC|INTERFACE] <source>...
#                       [FLAGS <flag>...] [RUNTIME <library>|NONE])
#
#   Transpiles each source and adds the result to <target> in its place, as
#   target_sources() would add the source.  The tool parses a source as the
#   compiler will compile it: with the target's include directories, compile
#   definitions and C standard (usage requirements of linked libraries
#   included).  FLAGS are passed through (-I, -D, -std=, --no-line, ...).
#   Links <target> PUBLIC (INTERFACE for INTERFACE) to the runtime:
#   asyncc::asyncc, the shared libasyncc, unless RUNTIME names another
#   library (asyncc::asyncc_static, asyncc::sync) or NONE.  The target's
#   other target_link_libraries() calls must use the keyword form too.
#
# asyncc_transpile(<out_var> <source>... [TARGET <target>] [FLAGS <flag>...])
#
#   The older form: sets <out_var> to the generated files, to be compiled in
#   place of the sources (`add_executable(hello ${out_var})`), and links
#   nothing.  TARGET takes include directories and definitions from that
#   target, as above; without it, the C standard is the project's
#   CMAKE_C_STANDARD.
#
# asyncc_transpile writes ${CMAKE_CURRENT_BINARY_DIR}/asyncc/<path>.c and
# asyncc_target_sources writes .../asyncc/<target>/<path>.c, where <path> is
# the source's path below the current source directory without its
# extension (its file name if it lies elsewhere).  Each generated file keeps
# its source's directory on its include path, so `#include "local.h"` still
# resolves when the output is compiled.
#
# Each command also writes a depfile (asyncc -MF) that lists every header
# the source includes: touching a header re-runs asyncc for the sources that
# include it, and for no other.  A command re-runs as well when its source or
# the tool changes.

# The functions record this file's policies; CMP0116 makes the Ninja
# generator read depfiles relative to the build directory whatever
# cmake_minimum_required() the calling project has.
if(POLICY CMP0116)
  cmake_policy(SET CMP0116 NEW)
endif()

if(NOT ASYNCC_INCLUDE_DIR)
  set(ASYNCC_INCLUDE_DIR ${CMAKE_CURRENT_LIST_DIR}/../include)
endif()
get_filename_component(ASYNCC_INCLUDE_DIR ${ASYNCC_INCLUDE_DIR} ABSOLUTE)
# A global property, because add_subdirectory(asyncc) keeps asyncc's
# variables out of the parent project, where the functions are called.
set_property(GLOBAL PROPERTY ASYNCC_INCLUDE_DIR ${ASYNCC_INCLUDE_DIR})

# Sets <out_var> to the command line options that make the tool parse a
# source as <target> compiles it.
function(_asyncc_target_flags out_var target)
  set(incs "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(defs "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  set(std "$<TARGET_PROPERTY:${target},C_STANDARD>")
  set(ext "$<TARGET_PROPERTY:${target},C_EXTENSIONS>")
  # An unset C_EXTENSIONS means extensions, as it does for the compiler.
  set(gnu "$<OR:$<STREQUAL:${ext},>,$<BOOL:${ext}>>")
  # $<SEMICOLON> keeps each of these one element of the list until the
  # generator expands it into one argument per directory or definition.
  set(${out_var}
    "$<$<BOOL:${std}>:-std=$<IF:${gnu},gnu,c>${std}>"
    "$<$<BOOL:${incs}>:-I$<JOIN:${incs},$<SEMICOLON>-I>>"
    "$<$<BOOL:${defs}>:-D$<JOIN:${defs},$<SEMICOLON>-D>>"
    PARENT_SCOPE)
endfunction()

# Adds the command that transpiles <src> (absolute) into <out> with <flags>.
# <what> names the source in the build's progress line.
function(_asyncc_add_command src out what)
  if(NOT TARGET asyncc::tool)
    message(FATAL_ERROR "asyncc: the target asyncc::tool does not exist; "
      "use find_package(asyncc) or add_subdirectory() on asyncc's source "
      "tree first")
  endif()
  get_property(taken DIRECTORY PROPERTY ASYNCC_TRANSPILE_OUTPUTS)
  if(out IN_LIST taken)
    message(FATAL_ERROR "asyncc: ${out} is already generated in this "
      "directory (one source transpiled twice, or two sources with the "
      "same name)")
  endif()
  set_property(DIRECTORY APPEND PROPERTY ASYNCC_TRANSPILE_OUTPUTS ${out})

  # Depend on the tool's file, so that a new tool re-runs every command.
  # Naming an in-tree target also orders its build before the command.
  get_target_property(tool asyncc::tool ALIASED_TARGET)
  if(NOT tool)
    set(tool "$<TARGET_FILE:asyncc::tool>")
  endif()
  get_filename_component(out_dir ${out} DIRECTORY)
  get_filename_component(src_dir ${src} DIRECTORY)
  file(MAKE_DIRECTORY ${out_dir})
  add_custom_command(OUTPUT ${out}
    COMMAND "$<TARGET_FILE:asyncc::tool>" ${ARGN}
      ${src} -o ${out} -MF ${out}.d
    DEPENDS ${src} ${tool}
    DEPFILE ${out}.d
    COMMENT "Transpiling ${what} with asyncc"
    COMMAND_EXPAND_LISTS VERBATIM)
  set_property(SOURCE ${out} APPEND PROPERTY INCLUDE_DIRECTORIES ${src_dir})
endfunction()

# Sets <abs_var> to <src> made absolute and <stem_var> to its path below the
# current source directory without the extension (its name if elsewhere).
function(_asyncc_source_stem src abs_var stem_var)
  get_filename_component(src ${src} ABSOLUTE
    BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
  file(RELATIVE_PATH rel ${CMAKE_CURRENT_SOURCE_DIR} ${src})
  if(rel MATCHES "^\\.\\./")
    get_filename_component(rel ${src} NAME)
  endif()
  string(REGEX REPLACE "\\.[^./]*$" "" stem ${rel})
  set(${abs_var} ${src} PARENT_SCOPE)
  set(${stem_var} ${stem} PARENT_SCOPE)
endfunction()

function(asyncc_transpile out_var)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TARGET" "FLAGS")
  if(NOT arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "asyncc_transpile: no sources given")
  endif()

  get_property(inc GLOBAL PROPERTY ASYNCC_INCLUDE_DIR)
  set(flags -I${inc})
  if(NOT arg_FLAGS MATCHES "(^|;)-std=" AND CMAKE_C_STANDARD)
    if(CMAKE_C_EXTENSIONS)
      list(APPEND flags -std=gnu${CMAKE_C_STANDARD})
    else()
      list(APPEND flags -std=c${CMAKE_C_STANDARD})
    endif()
  endif()
  if(arg_TARGET)
    _asyncc_target_flags(target_flags ${arg_TARGET})
    # The project's standard above already stands for the target's.
    list(REMOVE_AT target_flags 0)
    list(APPEND flags ${target_flags})
  endif()
  list(APPEND flags ${arg_FLAGS})

  set(outputs)
  foreach(src IN LISTS arg_UNPARSED_ARGUMENTS)
    _asyncc_source_stem(${src} src stem)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/asyncc/${stem}.c)
    file(RELATIVE_PATH what ${CMAKE_CURRENT_SOURCE_DIR} ${src})
    _asyncc_add_command(${src} ${out} ${what} ${flags})
    list(APPEND outputs ${out})
  endforeach()
  set(${out_var} ${outputs} PARENT_SCOPE)
endfunction()

function(asyncc_target_sources target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "RUNTIME" "FLAGS")
  if(NOT TARGET ${target})
    message(FATAL_ERROR "asyncc_target_sources: '${target}' is not a target")
  endif()
  set(scope PRIVATE)
  set(sources ${arg_UNPARSED_ARGUMENTS})
  list(GET sources 0 first)
  if(first MATCHES "^(PRIVATE|PUBLIC|INTERFACE)$")
    set(scope ${first})
    list(REMOVE_AT sources 0)
  endif()
  if(NOT sources)
    message(FATAL_ERROR "asyncc_target_sources: no sources given")
  endif()
  if(NOT arg_RUNTIME)
    set(arg_RUNTIME asyncc::asyncc)
  endif()

  _asyncc_target_flags(flags ${target})
  list(APPEND flags ${arg_FLAGS})
  set(outputs)
  foreach(src IN LISTS sources)
    _asyncc_source_stem(${src} src stem)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/asyncc/${target}/${stem}.c)
    file(RELATIVE_PATH what ${CMAKE_CURRENT_SOURCE_DIR} ${src})
    _asyncc_add_command(${src} ${out} ${what} ${flags})
    list(APPEND outputs ${out})
  endforeach()
  target_sources(${target} ${scope} ${outputs})
  if(NOT arg_RUNTIME STREQUAL "NONE")
    if(scope STREQUAL "INTERFACE")
      target_link_libraries(${target} INTERFACE ${arg_RUNTIME})
    else()
      target_link_libraries(${target} PUBLIC ${arg_RUNTIME})
    endif()
  endif()
endfunction()
