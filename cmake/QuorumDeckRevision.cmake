# QUORUMDECK_REVISION: the git revision the tree was configured from ("" outside git), with
# "-dirty" when it had uncommitted changes; QUORUMDECK_BUILD_DATE: the day of the build, or
# the day of that revision when SOURCE_DATE_EPOCH asks for a reproducible build.
set(QUORUMDECK_REVISION "")
set(QUORUMDECK_REVISION_DATE "")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
    execute_process(COMMAND "${GIT_EXECUTABLE}" describe --always --dirty --abbrev=7
        WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" OUTPUT_VARIABLE QUORUMDECK_REVISION
        OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    execute_process(COMMAND "${GIT_EXECUTABLE}" log -1 --format=%cd --date=format:%Y%m%d
        WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}" OUTPUT_VARIABLE QUORUMDECK_REVISION_DATE
        OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
string(TIMESTAMP QUORUMDECK_BUILD_DATE "%Y-%m-%d" UTC)
