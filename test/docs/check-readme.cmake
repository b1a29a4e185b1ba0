# Checks that README.md's example is samples/readme/readme.c, verbatim:
# the README shows the code that ctest builds and runs.
#   cmake -DREADME=... -DSAMPLE=... -P check-readme.cmake
file(READ ${README} readme)
file(READ ${SAMPLE} sample)
string(FIND "${readme}" "```c\n${sample}```" at)
if(at EQUAL -1)
  message(FATAL_ERROR "README.md's example differs from ${SAMPLE}: "
    "paste the sample into the README's first c block")
endif()
