// Applying the safe fixes findings carry: `vigil scan --fix` writes them,
// `--diff` shows them as a unified diff.
#pragma once
#include <string>
#include <vector>

#include "core/finding.h"

namespace vigil {

struct FixedFile {
  std::string path;  // as displayed
  std::string before, after;
  size_t fixes = 0;
};

// The files that change when the first fix of every unsuppressed finding is
// applied (overlapping edits after the first are left out). Files that cannot
// be read are skipped.
std::vector<FixedFile> plan_fixes(const std::vector<Finding>& findings);

// A unified diff (3 lines of context) from `before` to `after`.
std::string unified_diff(const FixedFile& file);

}  // namespace vigil
