// Bandit's tests and what vigil does with each: the one table behind
// `# nosec Bxxx` / `# noqa: Sxxx` suppressions and docs/bandit-migration.md.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

struct BanditCheck {
  enum class Coverage {
    reported,      // the vigil rule reports what the Bandit test looks for (often more precisely)
    calls,         // an import blacklist: vigil reports the dangerous calls, not the import
    not_reported,  // mapped for suppressions, deliberately never reported (the reason says why)
    none,          // no vigil rule (the reason says why)
  };
  std::string_view id;    // "B608"
  std::string_view name;  // Bandit's test name
  std::string_view rule;  // vigil rule, "" for none
  Coverage coverage;
  std::string_view note;  // what vigil does differently, or why it does not cover it
};

// Every Bandit test ID of Bandit 1.7/1.8, active or removed, in ID order.
const std::vector<BanditCheck>& bandit_checks();

// The vigil rules of Bandit IDs (unknown and unmapped IDs contribute nothing).
std::vector<std::string> bandit_to_vigil(const std::vector<std::string>& ids);

// docs/bandit-migration.md, generated from bandit_checks().
std::string bandit_migration_page();

}  // namespace vigil
