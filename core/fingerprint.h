// Fingerprints that identify a finding across edits that move it: rule, file
// and the finding's source line with whitespace removed, plus an occurrence
// number among identical ones. Line numbers are not part of it.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"

namespace vigil {

uint64_t fnv1a64(std::string_view data, uint64_t seed = 14695981039346656037ull);

// Fills Finding::fingerprint; `findings` must already be in report order.
void assign_fingerprints(std::vector<Finding>& findings);

}  // namespace vigil
