// Rule metadata. rules/VGnnn.md files (front matter + help in Markdown) are the
// single source of truth; they are embedded at build time (EmbeddedRule) and
// parsed once into RuleMeta, which feeds `vigil rules`, `vigil explain`, SARIF
// rule descriptors and docs/rules/.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"

namespace vigil {

struct EmbeddedRule {
  const char* file;
  const char* text;
};
const std::vector<EmbeddedRule>& embedded_rules();  // generated

struct RuleMeta {
  std::string id;             // VG301
  std::string name;           // sql-built-from-strings
  std::string title;          // one-line short description
  std::vector<std::string> languages;
  Severity severity = Severity::medium;
  std::string security_severity;  // CVSS-like score as text, e.g. "8.8"
  std::string precision;      // very-high|high|medium|low
  std::vector<int> cwe;
  std::string standard;       // section of the standard it enforces
  std::string help_markdown;  // the body: what / why / examples / known limits
  bool default_enabled = true;  // front matter `default: off` makes a rule opt-in
};

// Parses one rule file; throws std::runtime_error naming the file and line.
RuleMeta parse_rule_file(std::string_view file, std::string_view text);

class Registry {
 public:
  static const Registry& instance();  // parsed from the embedded rule files
  explicit Registry(std::vector<RuleMeta> rules);
  const std::vector<RuleMeta>& rules() const { return rules_; }  // sorted by id
  const RuleMeta* find(std::string_view id) const;
  int index_of(std::string_view id) const;  // -1 when unknown

 private:
  std::vector<RuleMeta> rules_;
};

// Which rules run, and their options. Entries are IDs, prefixes ("VG3") or
// ALL. `select` replaces the default set (every rule not marked opt-in);
// `extend` adds to it; `ignore` wins over both. An opt-in rule runs only
// when named by its full ID (or ALL) in select or extend.
class RuleSelection {
 public:
  RuleSelection() = default;
  RuleSelection(std::vector<std::string> select, std::vector<std::string> ignore,
                std::vector<std::string> extend = {}, nlohmann::json options = nlohmann::json::object());
  bool enabled(std::string_view id) const;
  // A per-rule option from the configuration ([tool.vigil.rules.VG603]
  // min-iterations = ...), or null when not set.
  const nlohmann::json& option(std::string_view rule, std::string_view key) const;
  // Identifies the selection and the options, for cache keys.
  std::string fingerprint() const;

 private:
  std::vector<std::string> select_, ignore_, extend_;
  nlohmann::json options_ = nlohmann::json::object();
};

// Returns the entries of `codes` that match no known rule (for exit-2 errors).
std::vector<std::string> unknown_rule_codes(const std::vector<std::string>& codes);

// Writes the Markdown docs page of a rule (docs/rules/VGnnn.md).
std::string rule_doc_page(const RuleMeta& rule);
std::string rules_index_page(const std::vector<RuleMeta>& rules);

}  // namespace vigil
