# Clang 14 LibTooling from Debian (libclang-14-dev, libclang-cpp14-dev,
# llvm-14-dev), linked as the monolithic clang-cpp and LLVM shared libraries.
# Not `llvm-config --cxxflags`: it forces C++14 and -fno-exceptions.
find_package(Clang REQUIRED CONFIG HINTS /usr/lib/llvm-14/lib/cmake/clang)
message(STATUS "Clang ${LLVM_PACKAGE_VERSION} from ${CLANG_INSTALL_PREFIX}")

# Builtin headers (stddef.h, stdarg.h...) live in the resource directory;
# tools that are not the clang binary must be told where it is.
set(VIGIL_CLANG_RESOURCE_DIR "${LLVM_LIBRARY_DIR}/clang/${LLVM_PACKAGE_VERSION}")
if(NOT EXISTS "${VIGIL_CLANG_RESOURCE_DIR}/include/stddef.h")
  message(FATAL_ERROR "clang resource directory not found at ${VIGIL_CLANG_RESOURCE_DIR}")
endif()

# Everything that includes clang headers; keep it to few translation units.
function(vigil_use_clang target)
  target_include_directories(${target} SYSTEM PRIVATE ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
  separate_arguments(llvm_definitions NATIVE_COMMAND "${LLVM_DEFINITIONS}")
  target_compile_definitions(${target} PRIVATE ${llvm_definitions})
  target_link_libraries(${target} PUBLIC clang-cpp LLVM)
endfunction()
