// Fixture expectations: `# expect: VG301` (or `// expect: VG301, VG102`) at
// the end of a line means that line must be reported with those rules; every
// other line must not be reported at all.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "core/finding.h"

namespace vigil::testing {

// line -> expected rule IDs (sorted, duplicates allowed)
using Expectations = std::map<uint32_t, std::vector<std::string>>;

Expectations parse_expectations(const std::string& text);

// Human-readable mismatches between expectations and findings of one file;
// empty when they agree in both directions.
std::vector<std::string> compare(const Expectations& expected, const std::vector<Finding>& findings);

}  // namespace vigil::testing
