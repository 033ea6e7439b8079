# cmake -DREADELF=readelf -DFILES="binary;library" -P check-needed.cmake
#
# A cluster command (`quorumdeck status`) loads the binary and the cluster bundle only: QtNetwork
# and everything beneath it are a tenth of its start, and the window's libraries far more. Fails
# when either of them records a dependency on a library that only the tools or the window need.

cmake_minimum_required(VERSION 3.25)

set(forbidden "libQt6Network" "libQt6Gui" "libQt6Widgets" "libQt6Charts" "libyaml-cpp"
    "libqt6keychain" "quorumdeck-core" "quorumdeck-keychain" "libQt6Concurrent")
set(problems "")
foreach(file IN LISTS FILES)
    execute_process(COMMAND ${READELF} -d ${file} RESULT_VARIABLE result
        OUTPUT_VARIABLE dynamic ERROR_VARIABLE error)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "readelf could not read ${file}: ${error}")
    endif()
    string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*\\[[^]]+\\]" needed "${dynamic}")
    if(NOT needed)
        message(FATAL_ERROR "${file} records no NEEDED library: not what readelf was expected to print")
    endif()
    foreach(entry IN LISTS needed)
        foreach(name IN LISTS forbidden)
            if(entry MATCHES "\\[${name}")
                get_filename_component(base ${file} NAME)
                list(APPEND problems "${base} needs ${name}")
            endif()
        endforeach()
    endforeach()
endforeach()
if(problems)
    list(JOIN problems "\n  " problems)
    message(FATAL_ERROR "A cluster command would load what it does not use:\n  ${problems}")
endif()
message(STATUS "the binary and the cluster bundle need none of: ${forbidden}")
