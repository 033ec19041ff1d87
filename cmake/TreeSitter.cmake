# tree-sitter core and the Python grammar come from npm tarballs, fetched into
# the build tree and checked against pinned sha1 sums. Nothing third-party is
# committed. The pair parses PEP 701 f-strings and 3.14 t-strings.
set(VIGIL_DEPS_DIR ${CMAKE_BINARY_DIR}/_deps)
file(MAKE_DIRECTORY ${VIGIL_DEPS_DIR})

function(vigil_npm_fetch package version sha1 out_var)
  set(tarball ${VIGIL_DEPS_DIR}/${package}-${version}.tgz)
  set(dest ${VIGIL_DEPS_DIR}/${package}-${version})
  if(EXISTS ${tarball})
    file(SHA1 ${tarball} actual)
    if(NOT actual STREQUAL sha1)
      file(REMOVE ${tarball})
    endif()
  endif()
  if(NOT EXISTS ${tarball})
    find_program(NPM_PROGRAM npm REQUIRED)
    message(STATUS "Fetching ${package}@${version} with npm pack")
    execute_process(COMMAND ${NPM_PROGRAM} pack --silent ${package}@${version}
      WORKING_DIRECTORY ${VIGIL_DEPS_DIR} RESULT_VARIABLE rc OUTPUT_QUIET)
    if(NOT rc EQUAL 0 OR NOT EXISTS ${tarball})
      message(FATAL_ERROR "npm pack ${package}@${version} failed (run scripts/setup.sh first?)")
    endif()
  endif()
  file(SHA1 ${tarball} actual)
  if(NOT actual STREQUAL sha1)
    message(FATAL_ERROR "${tarball}: sha1 ${actual}, expected ${sha1}")
  endif()
  if(NOT EXISTS ${dest}/package/package.json)
    file(ARCHIVE_EXTRACT INPUT ${tarball} DESTINATION ${dest})
  endif()
  set(${out_var} ${dest}/package PARENT_SCOPE)
endfunction()

vigil_npm_fetch(tree-sitter 0.25.1 f0ecf2797ca542a44e38384682dd1250647f25f5 TS_CORE_DIR)
vigil_npm_fetch(tree-sitter-python 0.25.0 c1c460915cb883feb2d9ecefeb98b3794eba85f5 TS_PYTHON_DIR)

add_library(vigil_tree_sitter STATIC
  ${TS_CORE_DIR}/vendor/tree-sitter/lib/src/lib.c
  ${TS_PYTHON_DIR}/src/parser.c
  ${TS_PYTHON_DIR}/src/scanner.c)
target_include_directories(vigil_tree_sitter
  PUBLIC ${TS_CORE_DIR}/vendor/tree-sitter/lib/include
  PRIVATE ${TS_CORE_DIR}/vendor/tree-sitter/lib/src ${TS_PYTHON_DIR}/src)
target_compile_definitions(vigil_tree_sitter PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)
set_target_properties(vigil_tree_sitter PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
target_compile_options(vigil_tree_sitter PRIVATE -O2 -w)
