# Fails when a source file of the project holds more than LIMIT lines: a file past that holds
# more than one idea (CONTRIBUTING.md). Generated protocol code (proto/) is exempt.
#   cmake -DSOURCE_DIR=... -DLIMIT=600 -P check-file-sizes.cmake
file(GLOB_RECURSE files LIST_DIRECTORIES false
    ${SOURCE_DIR}/app/*.cpp ${SOURCE_DIR}/app/*.h ${SOURCE_DIR}/core/*.cpp ${SOURCE_DIR}/core/*.h
    ${SOURCE_DIR}/ui/*.cpp ${SOURCE_DIR}/ui/*.h ${SOURCE_DIR}/tests/*.cpp ${SOURCE_DIR}/tests/*.h
    ${SOURCE_DIR}/bench/*.cpp ${SOURCE_DIR}/bench/*.h)
set(too_long "")
set(count 0)
foreach(f IN LISTS files)
    if(f MATCHES "/proto/")
        continue()
    endif()
    math(EXPR count "${count} + 1")
    file(READ ${f} text)
    string(REGEX MATCHALL "\n" newlines "${text}")
    list(LENGTH newlines n)
    if(n GREATER LIMIT)
        file(RELATIVE_PATH rel ${SOURCE_DIR} ${f})
        list(APPEND too_long "${rel} (${n} lines)")
    endif()
endforeach()
if(count EQUAL 0)
    message(FATAL_ERROR "no source file found under ${SOURCE_DIR}")
endif()
if(too_long)
    list(JOIN too_long "\n  " listed)
    message(FATAL_ERROR "over ${LIMIT} lines:\n  ${listed}")
endif()
message(STATUS "${count} source files, none over ${LIMIT} lines")
