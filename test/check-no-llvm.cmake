# Fails when the linkbox binary depends on any LLVM library. LLVM is allowed
# as a test oracle only.
execute_process(COMMAND readelf -d ${BINARY} OUTPUT_VARIABLE deps RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cannot read the dynamic section of ${BINARY}")
endif()
if(deps MATCHES "libLLVM|libclang|liblld")
  message(FATAL_ERROR "linkbox must not link LLVM libraries:\n${deps}")
endif()
# A statically linked LLVM library leaves its mangled namespace in the symbols.
file(STRINGS ${BINARY} llvm_symbols REGEX "_ZN4llvm[0-9]" LIMIT_COUNT 1)
if(llvm_symbols)
  message(FATAL_ERROR "linkbox must not contain LLVM code: found ${llvm_symbols}")
endif()
