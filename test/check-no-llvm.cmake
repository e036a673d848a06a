# Fails when the linkbox binary depends on any LLVM library. LLVM is allowed
# as a test oracle only.
execute_process(COMMAND readelf -d ${BINARY} OUTPUT_VARIABLE deps RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cannot read the dynamic section of ${BINARY}")
endif()
if(deps MATCHES "libLLVM|libclang|liblld")
  message(FATAL_ERROR "linkbox must not link LLVM libraries:\n${deps}")
endif()
