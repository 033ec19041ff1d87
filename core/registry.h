// Rule metadata. rules/VGnnn.md files (front matter + help in Markdown) are the
// single source of truth; they are embedded at build time (EmbeddedRule) and
// parsed once into RuleMeta, which feeds `vigil rules`, `vigil explain`, SARIF
// rule descriptors and docs/rules/.
#pragma once
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

// Rule selection from --select/--ignore: entries are IDs or prefixes ("VG3").
class RuleSelection {
 public:
  RuleSelection() = default;
  RuleSelection(std::vector<std::string> select, std::vector<std::string> ignore);
  bool enabled(std::string_view id) const;

 private:
  std::vector<std::string> select_, ignore_;
};

// Returns the entries of `codes` that match no known rule (for exit-2 errors).
std::vector<std::string> unknown_rule_codes(const std::vector<std::string>& codes);

// Writes the Markdown docs page of a rule (docs/rules/VGnnn.md).
std::string rule_doc_page(const RuleMeta& rule);
std::string rules_index_page(const std::vector<RuleMeta>& rules);

}  // namespace vigil
