// In-source suppressions: vigil's own comments and the migration aliases of
// the tools users come from.
//
//   # vigil: ignore[VG301, VG3] -- why        (// in C and C++)
//   # vigil: ignore-file[VG104] -- why
//   # nosec, # nosec B608 B105               (Bandit IDs, mapped to vigil rules)
//   # noqa: S608                             (Ruff's flake8-bandit codes)
//   // NOLINT, // NOLINT(VG301), // NOLINTNEXTLINE(vigil-VG301)
//   /* Flawfinder: ignore */
//
// A vigil comment after code covers its line; alone on a line it covers the
// next statement, all its lines. The aliases cover their own line
// (NOLINTNEXTLINE: the next line).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/discovery.h"
#include "core/finding.h"
#include "core/registry.h"

namespace vigil {

struct SuppressionOptions {
  bool aliases = true;            // honour nosec / noqa / NOLINT / Flawfinder
  bool require_rule_ids = false;  // comments without rule IDs suppress nothing
  bool report_unused = false;     // VG000 for comments that suppressed nothing
};

struct Suppression {
  uint32_t line = 0;                 // where the comment is
  uint32_t column = 1;
  std::string text;                  // the comment as written
  std::string origin;                // "vigil", "nosec", "noqa", "NOLINT", "NOLINTNEXTLINE", "flawfinder"
  std::vector<std::string> codes;    // vigil rule IDs or prefixes; empty with `all`
  bool all = false;                  // no rule IDs: every rule
  bool whole_file = false;
  uint32_t from = 0, to = 0;         // lines covered
  std::string justification;
  bool used = false;
};

// The suppression comments of a source text.
std::vector<Suppression> parse_suppressions(std::string_view text, Language language, const SuppressionOptions& options);

// Marks the findings of one file that its comments suppress, and returns the
// VG000 findings for comments that suppressed nothing (when asked to and the
// rules they name are enabled).
std::vector<Finding> apply_suppressions(std::vector<Finding*>& findings, std::vector<Suppression>& suppressions,
                                        const std::string& path, std::string_view text, const RuleSelection& selection,
                                        const SuppressionOptions& options);

}  // namespace vigil
