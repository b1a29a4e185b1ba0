# Checks that the code between "/* [docs/runtime.md: tick] */" and
# "/* [end] */" in SOURCE appears verbatim in DOC.
# Usage: cmake -DSOURCE=test-leaf.c -DDOC=runtime.md -P check-doc-example.cmake
file(READ "${SOURCE}" src)
file(READ "${DOC}" doc)
string(FIND "${src}" "/* [docs/runtime.md: tick] */\n" begin)
string(FIND "${src}" "/* [end] */" end)
if(begin EQUAL -1 OR end EQUAL -1)
  message(FATAL_ERROR "${SOURCE}: example markers not found")
endif()
string(LENGTH "/* [docs/runtime.md: tick] */\n" marker_len)
math(EXPR begin "${begin} + ${marker_len}")
math(EXPR len "${end} - ${begin}")
string(SUBSTRING "${src}" ${begin} ${len} example)
string(FIND "${doc}" "${example}" found)
if(found EQUAL -1)
  message(FATAL_ERROR "${DOC} does not contain the example of ${SOURCE}")
endif()
