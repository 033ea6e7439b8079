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
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABEL}" TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QUORUMDECK_TEST_ARTIFACTS=${CMAKE_BINARY_DIR}/test-artifacts")
endfunction()
