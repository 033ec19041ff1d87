// The JSON format (schema_version 1) is documented in docs/output-formats.md.
#include <nlohmann/json.hpp>
#include <set>

#include "reporters/reporters.h"

namespace vigil {

std::string render_json(const ScanResult& result) {
  using nlohmann::json;
  json findings = json::array();
  std::set<std::string> files;
  size_t suppressed = 0;
  for (const auto& f : result.findings) {
    if (f.suppressed) ++suppressed;
    else files.insert(f.path);
    const RuleMeta* rule = Registry::instance().find(f.rule_id);
    json entry = {{"rule_id", f.rule_id},
                        {"rule_name", rule ? rule->name : ""},
                        {"severity", severity_name(f.severity)},
                        {"message", f.message},
                        {"path", f.path},
                        {"start_line", f.region.start_line},
                        {"start_column", f.region.start_column},
                        {"end_line", f.region.end_line},
                        {"end_column", f.region.end_column},
                        {"fingerprint", f.fingerprint},
                        {"suppressed", f.suppressed}};
    if (f.suppressed) entry["suppression"] = f.suppression;
    findings.push_back(std::move(entry));
  }
  json notices = json::array();
  for (const auto& n : result.notices)
    notices.push_back({{"level", notice_level_name(n.level)}, {"id", n.id}, {"path", n.path},
                       {"line", n.line}, {"message", n.message}});
  json doc = {{"schema_version", 1},
              {"tool", {{"name", "vigil"}, {"version", VIGIL_VERSION}}},
              {"findings", findings},
              {"notices", notices},
              {"summary",
               {{"findings", result.findings.size() - suppressed},
                {"suppressed", suppressed},
                {"files_with_findings", files.size()},
                {"files_scanned", result.files_scanned}}}};
  return doc.dump(2) + "\n";
}

}  // namespace vigil
