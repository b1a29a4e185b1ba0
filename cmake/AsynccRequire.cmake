# asyncc_require_program(<var> NAMES <name>... PACKAGE <debian-package>
#                        [HINTS <dir>...])
#
# Finds a program like find_program (HINTS first, then PATH) and stops the
# configuration, naming the Debian package to install, if it is missing.
function(asyncc_require_program var)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "PACKAGE" "NAMES;HINTS")
  find_program(${var} NAMES ${arg_NAMES} HINTS ${arg_HINTS})
  if(NOT ${var})
    list(JOIN arg_NAMES " or " names)
    message(FATAL_ERROR "${names} not found: install the Debian package "
      "${arg_PACKAGE} (scripts/bootstrap does), or set ${var} to its path")
  endif()
  mark_as_advanced(${var})
endfunction()
