// Analysis of one Python file: parse once, traverse once (building the model
// and collecting the nodes checkers asked for), then run the checkers.
#pragma once
#include <string>
#include <vector>

#include "core/finding.h"
#include "core/registry.h"
#include "core/source_file.h"

namespace vigil::python {

struct FileAnalysis {
  std::vector<Finding> findings;
  std::vector<Notice> notices;  // e.g. syntax errors
};

// `package` is the dotted package of the file (for relative imports), or "".
FileAnalysis analyze(const SourceFile& file, const std::string& package, const RuleSelection& selection);

// The dotted package a file belongs to, from the __init__.py files above it.
std::string package_of(const std::string& path);

}  // namespace vigil::python
