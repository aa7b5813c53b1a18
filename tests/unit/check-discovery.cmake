# check-discovery.cmake: the unit tests CTest runs are the test binary's test cases, from CTest's
# side (cmake -P; tests/CMakeLists.txt registers it twice).
#
#   -D CHECK=registered|unmatched-fails -D CTEST_COMMAND=ctest -D BUILD_DIR=DIR
#   -D UNIT_TESTS=FILE -D PREFIX=unit.
#
# registered: the CTest tests of BUILD_DIR named PREFIX* whose command runs UNIT_TESTS are as
# many as the names `UNIT_TESTS --list-test-names-only` prints; each one's command line, with
# --list-test-names-only added, selects exactly one case, the one its name says; every listed
# case has its test. A name cut short (as Catch's catch_discover_tests cut names at ';') fails it.
# unmatched-fails: the first such command line with its name made to select nothing fails
# (--warn NoTests): a test whose name selects no case cannot pass without running.
include(${CMAKE_CURRENT_LIST_DIR}/lines.cmake)
foreach(variable CHECK CTEST_COMMAND BUILD_DIR UNIT_TESTS PREFIX)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "check-discovery.cmake: ${variable} is not set")
  endif()
endforeach()

# The listed names, one a line, between newlines ("\nA\nB\n"): found with string(FIND), never
# read as a CMake list (a name may hold ';', '[' or ']').
execute_process(COMMAND "${UNIT_TESTS}" --list-test-names-only OUTPUT_VARIABLE output)
set(listed "\n")
set(listed_count 0)
while(NOT "${output}" STREQUAL "")
  pop_line(output name)
  if(NOT "${name}" STREQUAL "")
    string(APPEND listed "${name}\n")
    math(EXPR listed_count "${listed_count} + 1")
  endif()
endwhile()
if(listed_count EQUAL 0)
  message(FATAL_ERROR "FAIL: ${UNIT_TESTS} lists no test case")
endif()

execute_process(COMMAND "${CTEST_COMMAND}" --test-dir "${BUILD_DIR}" --show-only=json-v1 -R "^${PREFIX}"
  OUTPUT_VARIABLE json RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "FAIL: ctest --show-only=json-v1: ${result}")
endif()
string(JSON tests GET "${json}" tests)
string(JSON test_count LENGTH "${tests}")
set(registered "\n")
set(registered_count 0)
set(failures "")
if(test_count GREATER 0)
  math(EXPR last "${test_count} - 1")
  foreach(i RANGE ${last})
    string(JSON test GET "${tests}" ${i})
    string(JSON command ERROR_VARIABLE no_command GET "${test}" command)
    if(no_command)
      continue()
    endif()
    string(JSON executable GET "${command}" 0)
    if(NOT executable STREQUAL UNIT_TESTS)
      continue()  # another program's test (the fuzzers, this check)
    endif()
    string(JSON name GET "${test}" name)
    string(JSON argument_count LENGTH "${command}")
    if(argument_count LESS 2)
      string(APPEND failures "${name}: runs every test case (no name)\n")
      continue()
    endif()
    # The name's argument may hold ';': passed quoted, apart from the other arguments.
    string(JSON spec GET "${command}" 1)
    set(arguments "")
    if(argument_count GREATER 2)
      math(EXPR last_argument "${argument_count} - 1")
      foreach(a RANGE 2 ${last_argument})
        string(JSON argument GET "${command}" ${a})
        list(APPEND arguments "${argument}")
      endforeach()
    endif()
    math(EXPR registered_count "${registered_count} + 1")
    string(APPEND registered "${name}\n")
    string(LENGTH "${PREFIX}" prefix_length)
    string(SUBSTRING "${name}" ${prefix_length} -1 case_name)
    if(CHECK STREQUAL "unmatched-fails")
      execute_process(COMMAND "${UNIT_TESTS}" "${spec}-never-a-test-name" ${arguments}
        OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE result)
      if(result EQUAL 0)
        message(FATAL_ERROR "FAIL: ${name}'s command line passes with a name that selects nothing:\n${output}")
      endif()
      message(STATUS "PASS: ${name}'s command line with a name that selects nothing exits ${result}")
      return()
    endif()
    execute_process(COMMAND "${UNIT_TESTS}" "${spec}" ${arguments} --list-test-names-only
      OUTPUT_VARIABLE selected RESULT_VARIABLE result)
    if(NOT "${selected}" STREQUAL "${case_name}\n")
      string(APPEND failures "${name}: its command line selects '${selected}', not exactly its case\n")
    endif()
  endforeach()
endif()
if(CHECK STREQUAL "unmatched-fails")
  message(FATAL_ERROR "FAIL: no ${PREFIX}* test runs ${UNIT_TESTS}")
endif()

# Every listed case has its test (with the counts equal and each test selecting its own case,
# the tests and the cases pair off one to one).
set(rest "${listed}")
while(NOT "${rest}" STREQUAL "\n")
  string(FIND "${rest}" "\n" end)
  math(EXPR start "${end} + 1")
  string(SUBSTRING "${rest}" ${start} -1 rest)
  string(FIND "${rest}" "\n" end)
  string(SUBSTRING "${rest}" 0 ${end} name)
  string(FIND "${registered}" "\n${PREFIX}${name}\n" found)
  if(found EQUAL -1)
    string(APPEND failures "'${name}': a test case no CTest test runs\n")
  endif()
  string(SUBSTRING "${rest}" ${end} -1 rest)
endwhile()
if(NOT registered_count EQUAL listed_count)
  string(APPEND failures "${registered_count} CTest tests run ${UNIT_TESTS}; it lists ${listed_count} test cases\n")
endif()
if(NOT failures STREQUAL "")
  message(FATAL_ERROR "FAIL:\n${failures}")
endif()
message(STATUS "PASS: ${registered_count} CTest tests, ${listed_count} test cases, paired one to one")
