# discover-tests.cmake: registers every Catch2 test case of a test binary as a CTest test under
# its whole name (cmake -P, after each build of the binary; tests/CMakeLists.txt).
#
#   -D TEST_EXECUTABLE=FILE -D TEST_WORKING_DIR=DIR -D TEST_PREFIX=unit. -D CTEST_FILE=OUT.cmake
#
# Catch's own catch_discover_tests (Catch2 2.13) splits the binary's list of names at every ';'
# (it reads the list as a CMake list), so a name holding one became two names that select no
# test, and Catch2 exits 0 when a filter selects nothing: the case never ran, and CTest said it
# passed. Here the names are read line by line without CMake lists, passed to the binary with
# every character Catch2's test-spec parser treats specially escaped, and every command line
# carries `--warn NoTests`, which makes a filter that selects nothing exit 2 (a failure).
# tests/unit/check-discovery.cmake checks the result from CTest's side.
include(${CMAKE_CURRENT_LIST_DIR}/lines.cmake)
foreach(variable TEST_EXECUTABLE TEST_WORKING_DIR TEST_PREFIX CTEST_FILE)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "discover-tests.cmake: ${variable} is not set")
  endif()
endforeach()

execute_process(COMMAND "${TEST_EXECUTABLE}" --list-test-names-only
  OUTPUT_VARIABLE output RESULT_VARIABLE result WORKING_DIRECTORY "${TEST_WORKING_DIR}")
# --list-test-names-only exits with the number of names (at most 255), so 0 means none.
if(NOT result MATCHES "^[0-9]+$" OR result EQUAL 0)
  message(FATAL_ERROR "discover-tests.cmake: ${TEST_EXECUTABLE} --list-test-names-only: ${result}\n${output}")
endif()

set(script "")
set(count 0)
while(NOT "${output}" STREQUAL "")
  pop_line(output name)
  if("${name}" STREQUAL "")
    continue()
  endif()
  # Catch2 takes an argument that starts with '-' for an option, and a '*' at either end of a
  # name for a wildcard, even escaped; a name must not have them.
  if("${name}" MATCHES "^[- ]|^\\*|\\*$| $")
    message(FATAL_ERROR "discover-tests.cmake: the test name '${name}' cannot be selected exactly "
                        "(a leading '-' or blank, or a '*' or blank at either end): rename it")
  endif()
  # The test spec parser (TestSpecParser::visitChar): '\' escapes the next character; ',' ends a
  # pattern, '[' and ']' delimit tags, '"' quotes, '~' excludes.
  set(spec "${name}")
  foreach(special "\\" "," "[" "]" "\"" "~")
    string(REPLACE "${special}" "\\${special}" spec "${spec}")
  endforeach()
  # Bracket arguments keep every character, ';' included; the level of '=' that no name holds.
  set(equals "=")
  while("${name}" MATCHES "]${equals}]" OR "${spec}" MATCHES "]${equals}]")
    string(APPEND equals "=")
  endwhile()
  set(test "[${equals}[${TEST_PREFIX}${name}]${equals}]")
  string(APPEND script
    "add_test(${test} [==[${TEST_EXECUTABLE}]==] [${equals}[${spec}]${equals}] --warn NoTests)\n"
    "set_tests_properties(${test} PROPERTIES WORKING_DIRECTORY [==[${TEST_WORKING_DIR}]==])\n")
  math(EXPR count "${count} + 1")
endwhile()
file(WRITE "${CTEST_FILE}" "# ${count} test cases of ${TEST_EXECUTABLE} (tests/unit/discover-tests.cmake)\n${script}")
