# Run by ctest in place of a test whose tool is missing at configure time, so that the test
# still shows up in the results, failed, with the reason: cmake -DWHY=sentence -P this-file
message(FATAL_ERROR "${WHY}")
