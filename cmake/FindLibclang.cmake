# FindLibclang -- finds libclang 19's C API (clang-c/Index.h, libclang.so).
#
# Looks where llvm-config-19 says, then in /usr/lib/llvm-19 (Debian's layout,
# which works without the llvm-19 package that ships llvm-config-19).  Only
# these places are searched: another libclang on the default paths would be
# another version.  Set Libclang_INCLUDE_DIR and Libclang_LIBRARY to override.
#
# Provides the imported target Libclang::libclang and Libclang_FOUND,
# Libclang_INCLUDE_DIR, Libclang_LIBRARY, Libclang_CINDEX_VERSION.

find_program(LLVM_CONFIG_EXECUTABLE NAMES llvm-config-19
  HINTS /usr/lib/llvm-19/bin
  DOC "llvm-config of LLVM 19, used to locate libclang")
mark_as_advanced(LLVM_CONFIG_EXECUTABLE)

set(_libclang_include_hints /usr/lib/llvm-19/include)
set(_libclang_lib_hints /usr/lib/llvm-19/lib)
if(LLVM_CONFIG_EXECUTABLE)
  execute_process(COMMAND ${LLVM_CONFIG_EXECUTABLE} --includedir
    OUTPUT_VARIABLE _dir OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  list(PREPEND _libclang_include_hints ${_dir})
  execute_process(COMMAND ${LLVM_CONFIG_EXECUTABLE} --libdir
    OUTPUT_VARIABLE _dir OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  list(PREPEND _libclang_lib_hints ${_dir})
  unset(_dir)
endif()

find_path(Libclang_INCLUDE_DIR NAMES clang-c/Index.h
  PATHS ${_libclang_include_hints} NO_DEFAULT_PATH)
find_library(Libclang_LIBRARY NAMES clang clang-19
  PATHS ${_libclang_lib_hints} NO_DEFAULT_PATH)
mark_as_advanced(Libclang_INCLUDE_DIR Libclang_LIBRARY)

if(Libclang_INCLUDE_DIR)
  file(STRINGS "${Libclang_INCLUDE_DIR}/clang-c/Index.h" _minor
    REGEX "^#define CINDEX_VERSION_MINOR [0-9]+")
  string(REGEX REPLACE ".* ([0-9]+)$" "0.\\1" Libclang_CINDEX_VERSION
    "${_minor}")
  unset(_minor)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Libclang
  REQUIRED_VARS Libclang_LIBRARY Libclang_INCLUDE_DIR
  REASON_FAILURE_MESSAGE
    "install the Debian package libclang-19-dev (scripts/bootstrap does)")

if(Libclang_FOUND AND NOT TARGET Libclang::libclang)
  add_library(Libclang::libclang SHARED IMPORTED)
  set_target_properties(Libclang::libclang PROPERTIES
    IMPORTED_LOCATION "${Libclang_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${Libclang_INCLUDE_DIR}")
endif()
unset(_libclang_include_hints)
unset(_libclang_lib_hints)
