# pop_line(TEXT LINE): moves the first line of the variable TEXT (up to its newline, which goes)
# into the variable LINE. Text is handled with string() only, never as a CMake list: a test's
# name may hold ';', '[' or ']' (discover-tests.cmake, check-discovery.cmake).
macro(pop_line text line)
  string(FIND "${${text}}" "\n" pop_line_end)
  if(pop_line_end EQUAL -1)
    set(${line} "${${text}}")
    set(${text} "")
  else()
    string(SUBSTRING "${${text}}" 0 ${pop_line_end} ${line})
    math(EXPR pop_line_end "${pop_line_end} + 1")
    string(SUBSTRING "${${text}}" ${pop_line_end} -1 ${text})
  endif()
endmacro()
