// SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "reporters/reporters.h"

namespace vigil {
namespace {
using nlohmann::json;

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::critical:
    case Severity::high: return "error";
    case Severity::medium: return "warning";
    case Severity::low: return "note";
  }
  return "warning";
}

// Percent-encodes a path for a URI, keeping '/' and unreserved characters.
std::string uri_escape(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

json artifact_location(const std::string& path) {
  if (!path.empty() && path[0] == '/') return {{"uri", "file://" + uri_escape(path)}};
  return {{"uri", uri_escape(path)}, {"uriBaseId", "%SRCROOT%"}};
}

// The first paragraph of the help after its first heading: the rule's summary.
std::string first_paragraph(const std::string& markdown) {
  size_t start = 0;
  if (markdown.rfind("#", 0) == 0) start = markdown.find('\n') + 1;
  size_t end = markdown.find("\n\n", start);
  std::string text = markdown.substr(start, end == std::string::npos ? std::string::npos : end - start);
  for (auto& c : text)
    if (c == '\n') c = ' ';
  return text;
}

json rule_descriptor(const RuleMeta& rule) {
  json tags = json::array({"security"});
  for (int cwe : rule.cwe) tags.push_back("external/cwe/cwe-" + std::to_string(cwe));
  json properties = {{"tags", tags}, {"precision", rule.precision}};
  if (!rule.security_severity.empty()) properties["security-severity"] = rule.security_severity;
  std::string help_text = rule.id + " " + rule.name + ": " + rule.title + "\n\n" + rule.help_markdown;
  return {{"id", rule.id},
          {"name", rule.name},
          {"shortDescription", {{"text", rule.title}}},
          {"fullDescription", {{"text", first_paragraph(rule.help_markdown)}}},
          {"help", {{"text", help_text}, {"markdown", rule.help_markdown}}},
          {"defaultConfiguration", {{"level", sarif_level(rule.severity)}}},
          {"properties", properties}};
}

json result_of(const Finding& f) {
  const Registry& registry = Registry::instance();
  json region = {{"startLine", f.region.start_line},
                 {"startColumn", f.region.start_column},
                 {"endLine", f.region.end_line},
                 {"endColumn", f.region.end_column}};
  return {{"ruleId", f.rule_id},
          {"ruleIndex", registry.index_of(f.rule_id)},
          {"level", sarif_level(f.severity)},
          {"message", {{"text", f.message}}},
          {"locations", json::array({{{"physicalLocation",
                                       {{"artifactLocation", artifact_location(f.path)}, {"region", region}}}}})},
          {"partialFingerprints", {{"vigilFingerprint/v1", f.fingerprint}}},
          {"properties", {{"severity", severity_name(f.severity)}}}};
}

json fixes_of(const Finding& f) {
  json fixes = json::array();
  for (const Fix& fix : f.fixes) {
    json replacements = json::array();
    for (const Edit& e : fix.edits)
      replacements.push_back({{"deletedRegion",
                               {{"startLine", e.region.start_line},
                                {"startColumn", e.region.start_column},
                                {"endLine", e.region.end_line},
                                {"endColumn", e.region.end_column}}},
                              {"insertedContent", {{"text", e.replacement}}}});
    fixes.push_back({{"description", {{"text", fix.description}}},
                     {"artifactChanges",
                      json::array({{{"artifactLocation", artifact_location(f.path)}, {"replacements", replacements}}})}});
  }
  return fixes;
}

json result_with_suppression(const Finding& f) {
  json r = result_of(f);
  if (!f.fixes.empty()) r["fixes"] = fixes_of(f);
  if (f.suppressed) r["suppressions"] = json::array({{{"kind", "inSource"}, {"justification", f.suppression}}});
  return r;
}

json notification_of(const Notice& n) {
  json out = {{"level", notice_level_name(n.level)},
              {"message", {{"text", n.message}}},
              {"descriptor", {{"id", n.id}}}};
  if (!n.path.empty()) {
    json physical = {{"artifactLocation", artifact_location(n.path)}};
    if (n.line) physical["region"] = {{"startLine", n.line}};
    out["locations"] = json::array({{{"physicalLocation", physical}}});
  }
  return out;
}

}  // namespace

std::string render_sarif(const ScanResult& result, const std::string& source_root, const SarifOptions& options) {
  json rules = json::array();
  for (const auto& rule : Registry::instance().rules()) rules.push_back(rule_descriptor(rule));
  // Beyond the result limit, the least severe findings go (stable: path order within a severity).
  std::vector<const Finding*> kept;
  for (const auto& f : result.findings) kept.push_back(&f);
  size_t dropped = 0;
  if (kept.size() > options.max_results) {
    std::stable_sort(kept.begin(), kept.end(), [](const Finding* a, const Finding* b) {
      if (a->suppressed != b->suppressed) return !a->suppressed;
      return a->severity > b->severity;
    });
    dropped = kept.size() - options.max_results;
    kept.resize(options.max_results);
    std::stable_sort(kept.begin(), kept.end(), [&](const Finding* a, const Finding* b) { return a < b; });
  }
  json results = json::array();
  for (const Finding* f : kept) results.push_back(result_with_suppression(*f));
  json notifications = json::array();
  bool successful = true;
  for (const auto& n : result.notices) {
    notifications.push_back(notification_of(n));
    if (n.id == "internal-error") successful = false;
  }
  if (dropped)
    notifications.push_back(notification_of({Notice::Level::warning, "results-truncated", "", 0,
                                             std::to_string(dropped) + " results of lower severity were left out: a "
                                             "SARIF run holds at most " + std::to_string(options.max_results) +
                                             " results for GitHub code scanning"}));
  std::string root = source_root;
  if (root.empty() || root.back() != '/') root += '/';
  json run = {
      {"tool",
       {{"driver",
         {{"name", "vigil"},
          {"version", VIGIL_VERSION},
          {"semanticVersion", VIGIL_VERSION},
          {"informationUri", VIGIL_INFORMATION_URI},
          {"rules", rules}}}}},
      {"invocations", json::array({{{"executionSuccessful", successful},
                                    {"toolExecutionNotifications", notifications}}})},
      {"originalUriBaseIds", {{"%SRCROOT%", {{"uri", "file://" + uri_escape(root)}}}}},
      {"columnKind", "unicodeCodePoints"},
      {"results", results}};
  if (!options.category.empty()) run["automationDetails"] = {{"id", options.category}};
  json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({run})}};
  return log.dump(2) + "\n";
}

}  // namespace vigil
