// What the fuzzers run on each input, shared with the regression test that
// replays every input the fuzzers once crashed on (tests/fuzz-regressions/).
#pragma once
#include <string_view>

namespace vigil::fuzz {

// Bytes as a Python file: the scanner's input checks, parse, traversal, every
// Python checker with every rule enabled, the project phase, suppressions.
void python_file(std::string_view bytes);

// Bytes as vigil.toml and pyproject.toml (ConfigError is the only expected
// failure), and as C/C++ and Python text for the suppression-comment parser.
void config_and_comments(std::string_view bytes);

}  // namespace vigil::fuzz
