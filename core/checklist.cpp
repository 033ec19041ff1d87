#include "core/checklist.h"

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "core/registry.h"

namespace vigil {
namespace {

struct Item {
  const char* text;  // as the standard words it
  std::vector<const char*> rules;
};

// The checklist items and the rules behind them; rules not built yet are
// skipped, and an item without any is "not checked".
const std::vector<Item>& items() {
  static const std::vector<Item> list = {
      {"Password hashing with bcrypt (never store plaintext)", {"VG101", "VG102"}},
      {"JWT tokens with proper expiration and validation", {"VG105", "VG106", "VG107", "VG108"}},
      {"Input validation on all user inputs with Pydantic", {"VG404", "VG405"}},
      {"SQL injection prevention with parameterized queries", {"VG301"}},
      {"File upload validation (size, type, content)", {"VG401", "VG402", "VG403"}},
      {"Rate limiting implemented per client/endpoint", {"VG502"}},
      {"Security headers in all HTTP responses", {"VG501", "VG506"}},
      {"CORS properly configured for allowed origins", {"VG503"}},
      {"Sensitive data encrypted at rest", {"VG602", "VG603", "VG604", "VG605"}},
      {"Security events logged for monitoring", {"VG801"}},
      {"Error messages don't leak sensitive information", {"VG802"}},
      {"Authentication required for protected endpoints", {"VG201", "VG202"}},
  };
  return list;
}

struct Judged {
  const Item* item;
  std::vector<std::pair<std::string, size_t>> rules;  // built rules and their open findings
  size_t open = 0;
  const char* status() const { return rules.empty() ? "unchecked" : open ? "fail" : "pass"; }
};

std::vector<Judged> judge(const ScanResult& result) {
  std::map<std::string, size_t> open;
  for (const auto& f : result.findings)
    if (!f.suppressed) ++open[f.rule_id];
  std::vector<Judged> out;
  for (const Item& item : items()) {
    Judged j{&item, {}, 0};
    for (const char* id : item.rules) {
      if (!Registry::instance().find(id)) continue;
      j.rules.emplace_back(id, open[id]);
      j.open += open[id];
    }
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

bool checklist_fails(const ScanResult& result) {
  for (const auto& j : judge(result))
    if (j.open) return true;
  return false;
}

std::string render_checklist(const ScanResult& result, const std::string& format) {
  auto judged = judge(result);
  std::ostringstream out;
  if (format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& j : judged) {
      nlohmann::json rules = nlohmann::json::array();
      for (const auto& [id, n] : j.rules) rules.push_back({{"rule_id", id}, {"open_findings", n}});
      list.push_back({{"item", j.item->text}, {"status", j.status()}, {"open_findings", j.open}, {"rules", rules}});
    }
    return nlohmann::json{{"checklist", "Security Implementation Checklist"}, {"items", list}}.dump(2) + "\n";
  }
  bool md = format == "markdown";
  out << (md ? "### Security Implementation Checklist\n\n| | Item | Rules (open findings) |\n|---|---|---|\n"
             : "Security Implementation Checklist\n\n");
  size_t passed = 0, failed = 0, unchecked = 0;
  for (const auto& j : judged) {
    std::string mark = j.rules.empty() ? "-" : j.open ? "✘" : "✔";
    std::string rules;
    for (const auto& [id, n] : j.rules) rules += (rules.empty() ? "" : ", ") + id + ": " + std::to_string(n);
    if (rules.empty()) rules = "not checked by vigil yet";
    (j.rules.empty() ? unchecked : j.open ? failed : passed)++;
    if (md) out << "| " << mark << " | " << j.item->text << " | " << rules << " |\n";
    else out << "  " << mark << " " << j.item->text << "  (" << rules << ")\n";
  }
  out << "\n" << passed << " passed, " << failed << " with open findings, " << unchecked << " not checked ("
      << result.files_scanned << " files scanned)\n";
  return out.str();
}

}  // namespace vigil
