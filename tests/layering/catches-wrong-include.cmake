# cmake -DCHECK=check-includes.cmake -DWORK_DIR=dir -P catches-wrong-include.cmake
#
# The include check must fail on a tree that breaks the layering, naming the file: a check
# that passes on anything proves nothing. Builds two small trees under WORK_DIR: in one a
# lower library includes a header of the library above it, in the other a library includes
# one it links but is told not to include.

cmake_minimum_required(VERSION 3.25)

function(expect_failure case expected)
    set(root "${WORK_DIR}/${case}")
    file(REMOVE_RECURSE "${root}")
    file(WRITE "${root}/core/low/Low.h" "#pragma once\n${ARGN}\n")
    file(WRITE "${root}/core/mid/Mid.h" "#pragma once\n#include \"low/Low.h\"\n")
    file(WRITE "${root}/core/high/High.h" "#pragma once\n#include \"mid/Mid.h\"\n#include <QString>\n")
    file(WRITE "${root}/layers.txt"
        "# name folder allowed forbidden\nlow core/low - -\nmid core/mid core/low -\nhigh core/high core/mid,core/low core/low\n")
    execute_process(COMMAND ${CMAKE_COMMAND} -DLAYERS=${root}/layers.txt -DSOURCE_DIR=${root} -P ${CHECK}
        RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
    if(result EQUAL 0)
        message(FATAL_ERROR "${case}: the include check passed a tree it should refuse:\n${output}")
    endif()
    if(NOT output MATCHES "${expected}")
        message(FATAL_ERROR "${case}: the include check failed without naming the cause (${expected}):\n${output}")
    endif()
    message(STATUS "${case}: refused, as it should be")
endfunction()

expect_failure(upward "core/low/Low.h: includes high/High.h, but low does not link" "#include \"high/High.h\"")
expect_failure(sideways "core/low/Low.h: includes mid/Mid.h, but low does not link" "#include \"mid/Mid.h\"")
# The same tree with High.h including its forbidden library directly.
set(root "${WORK_DIR}/forbidden")
file(REMOVE_RECURSE "${root}")
file(WRITE "${root}/core/low/Low.h" "#pragma once\n")
file(WRITE "${root}/core/mid/Mid.h" "#pragma once\n#include \"low/Low.h\"\n")
file(WRITE "${root}/core/high/High.cpp" "#include \"low/Low.h\"\n")
file(WRITE "${root}/layers.txt" "low core/low - -\nmid core/mid core/low -\nhigh core/high core/mid core/low\n")
execute_process(COMMAND ${CMAKE_COMMAND} -DLAYERS=${root}/layers.txt -DSOURCE_DIR=${root} -P ${CHECK}
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(result EQUAL 0 OR NOT output MATCHES "core/high/High.cpp: includes low/Low.h, and high must not include core/low")
    message(FATAL_ERROR "forbidden: the include check did not refuse a forbidden include:\n${output}")
endif()
message(STATUS "forbidden: refused, as it should be")

# And a tree that keeps the layering passes.
set(root "${WORK_DIR}/clean")
file(REMOVE_RECURSE "${root}")
file(WRITE "${root}/core/low/Low.h" "#pragma once\n")
file(WRITE "${root}/core/high/High.h" "#pragma once\n#include \"low/Low.h\"\n")
file(WRITE "${root}/layers.txt" "low core/low - -\nhigh core/high core/low -\n")
execute_process(COMMAND ${CMAKE_COMMAND} -DLAYERS=${root}/layers.txt -DSOURCE_DIR=${root} -P ${CHECK}
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "clean: the include check refused a tree that keeps the layering:\n${output}")
endif()
message(STATUS "clean: passed, as it should")
