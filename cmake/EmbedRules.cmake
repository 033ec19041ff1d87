# rules/*.md are the single source of truth for rule metadata and help. They
# are embedded into the binary as string literals at build time.
file(GLOB VIGIL_RULE_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/rules/VG*.md)
set(VIGIL_RULES_CPP ${CMAKE_BINARY_DIR}/generated/rules_data.cpp)
add_custom_command(
  OUTPUT ${VIGIL_RULES_CPP}
  COMMAND ${CMAKE_COMMAND} -DOUT=${VIGIL_RULES_CPP} -DRULES_DIR=${CMAKE_SOURCE_DIR}/rules
          -P ${CMAKE_SOURCE_DIR}/cmake/GenerateRulesData.cmake
  DEPENDS ${VIGIL_RULE_FILES} ${CMAKE_SOURCE_DIR}/cmake/GenerateRulesData.cmake
  COMMENT "Embedding rule metadata")
