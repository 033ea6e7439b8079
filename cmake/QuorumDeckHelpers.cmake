option(QUORUMDECK_FORBID_SKIP "Fail any QtTest test that reports a skipped function (CI: every tool is installed)" OFF)
add_feature_info(ForbidSkip QUORUMDECK_FORBID_SKIP "a skipped test function fails its test")

# qd_test_policy(NAME [ENVIRONMENT var=value...])
# What every test gets, however it is registered: the label's common environment, a longer
# time scale under the sanitizers (they slow everything several times; see
# tests/support/TestTiming.h), and with QUORUMDECK_FORBID_SKIP a failure on QtTest's skip
# line. QtTest exits 0 after a skip, so only the output shows one; ctest fails a test whose
# output matches FAIL_REGULAR_EXPRESSION whatever its exit code, and a non-zero exit code
# still fails it. (At run time QUORUMDECK_TESTS_FORBID_SKIP=1 does the same from inside the
# test, naming the missing binary.)
function(qd_test_policy name)
    cmake_parse_arguments(ARG "" "" "ENVIRONMENT" ${ARGN})
    set(environment ${ARG_ENVIRONMENT})
    if(QUORUMDECK_SANITIZE)
        list(APPEND environment "QUORUMDECK_TEST_TIME_SCALE=3")
    endif()
    if(environment)
        set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT ${environment})
    endif()
    if(QUORUMDECK_FORBID_SKIP)
        set_property(TEST ${name} PROPERTY FAIL_REGULAR_EXPRESSION "(^|\n)SKIP   : ")
    endif()
endfunction()

# qd_add_test(NAME SOURCES... LABEL unit|integration|gui LIBS ... [TIMEOUT s])
# One QtTest executable registered with ctest under a label, so a person can run one kind:
#   ctest -L unit
function(qd_add_test name)
    cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
    add_test(NAME ${name} COMMAND ${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABEL}" TIMEOUT ${ARG_TIMEOUT})
    qd_test_policy(${name} ENVIRONMENT "QT_QPA_PLATFORM=offscreen"
        "QUORUMDECK_TEST_ARTIFACTS=${CMAKE_BINARY_DIR}/test-artifacts")
endfunction()
