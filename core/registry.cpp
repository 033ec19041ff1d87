#include "core/registry.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

namespace vigil {

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
    case Severity::critical: return "critical";
  }
  return "medium";
}

bool parse_severity(const std::string& text, Severity& out) {
  static const std::map<std::string, Severity> names = {
      {"low", Severity::low}, {"medium", Severity::medium},
      {"high", Severity::high}, {"critical", Severity::critical}};
  auto it = names.find(text);
  if (it == names.end()) return false;
  out = it->second;
  return true;
}

const char* notice_level_name(Notice::Level level) {
  switch (level) {
    case Notice::Level::note: return "note";
    case Notice::Level::warning: return "warning";
    case Notice::Level::error: return "error";
  }
  return "warning";
}

namespace {

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string unquote(const std::string& s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
    return s.substr(1, s.size() - 2);
  return s;
}

std::vector<std::string> parse_list(const std::string& value) {
  std::vector<std::string> items;
  if (value.size() < 2 || value.front() != '[' || value.back() != ']') return {unquote(value)};
  std::stringstream in(value.substr(1, value.size() - 2));
  std::string item;
  while (std::getline(in, item, ',')) {
    item = unquote(trim(item));
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

[[noreturn]] void fail(std::string_view file, int line, const std::string& what) {
  throw std::runtime_error(std::string(file) + ":" + std::to_string(line) + ": " + what);
}

}  // namespace

RuleMeta parse_rule_file(std::string_view file, std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  int line_no = 0;
  if (!std::getline(in, line) || trim(line) != "---") fail(file, 1, "expected front matter '---'");
  ++line_no;
  RuleMeta rule;
  bool closed = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (trim(line) == "---") {
      closed = true;
      break;
    }
    if (trim(line).empty()) continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) fail(file, line_no, "expected 'key: value'");
    std::string key = trim(line.substr(0, colon));
    std::string value = trim(line.substr(colon + 1));
    if (key == "id") rule.id = unquote(value);
    else if (key == "name") rule.name = unquote(value);
    else if (key == "title") rule.title = unquote(value);
    else if (key == "languages") rule.languages = parse_list(value);
    else if (key == "severity") {
      if (!parse_severity(unquote(value), rule.severity)) fail(file, line_no, "unknown severity " + value);
    } else if (key == "security-severity") rule.security_severity = unquote(value);
    else if (key == "precision") rule.precision = unquote(value);
    else if (key == "cwe") {
      for (const auto& c : parse_list(value)) rule.cwe.push_back(std::stoi(c));
    } else if (key == "standard") rule.standard = unquote(value);
    else if (key == "default") {
      if (unquote(value) != "on" && unquote(value) != "off") fail(file, line_no, "default must be on or off");
      rule.default_enabled = unquote(value) == "on";
    }
    else fail(file, line_no, "unknown key '" + key + "'");
  }
  if (!closed) fail(file, line_no, "front matter is not closed by '---'");
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  rule.help_markdown = trim(body) + "\n";
  if (rule.id.empty() || rule.name.empty() || rule.title.empty())
    fail(file, 1, "id, name and title are required");
  return rule;
}

Registry::Registry(std::vector<RuleMeta> rules) : rules_(std::move(rules)) {
  std::sort(rules_.begin(), rules_.end(),
            [](const RuleMeta& a, const RuleMeta& b) { return a.id < b.id; });
}

const Registry& Registry::instance() {
  static const Registry registry = [] {
    std::vector<RuleMeta> rules;
    for (const auto& embedded : embedded_rules())
      rules.push_back(parse_rule_file(embedded.file, embedded.text));
    return Registry(std::move(rules));
  }();
  return registry;
}

const RuleMeta* Registry::find(std::string_view id) const {
  int i = index_of(id);
  return i < 0 ? nullptr : &rules_[i];
}

int Registry::index_of(std::string_view id) const {
  auto it = std::lower_bound(rules_.begin(), rules_.end(), id,
                             [](const RuleMeta& r, std::string_view v) { return r.id < v; });
  if (it == rules_.end() || it->id != id) return -1;
  return static_cast<int>(it - rules_.begin());
}

RuleSelection::RuleSelection(std::vector<std::string> select, std::vector<std::string> ignore,
                             std::vector<std::string> extend, nlohmann::json options)
    : select_(std::move(select)), ignore_(std::move(ignore)), extend_(std::move(extend)), options_(std::move(options)) {}

// 2: named by full ID or ALL; 1: by a prefix; 0: not at all.
static int match_strength(const std::vector<std::string>& codes, std::string_view id) {
  int best = 0;
  for (const auto& c : codes) {
    if (c == "ALL" || c == id) return 2;
    if (id.substr(0, c.size()) == c) best = 1;
  }
  return best;
}

bool RuleSelection::enabled(std::string_view id) const {
  if (match_strength(ignore_, id)) return false;
  const RuleMeta* rule = Registry::instance().find(id);
  bool opt_in = rule && !rule->default_enabled;
  int extended = match_strength(extend_, id);
  if (extended == 2 || (extended == 1 && !opt_in)) return true;
  if (select_.empty()) return !opt_in;
  int selected = match_strength(select_, id);
  return selected == 2 || (selected == 1 && !opt_in);
}

std::string RuleSelection::fingerprint() const {
  return nlohmann::json{{"select", select_}, {"ignore", ignore_}, {"extend", extend_}, {"options", options_}}.dump();
}

const nlohmann::json& RuleSelection::option(std::string_view rule, std::string_view key) const {
  static const nlohmann::json null;
  auto r = options_.find(std::string(rule));
  if (r == options_.end()) return null;
  auto k = r->find(std::string(key));
  return k == r->end() ? null : *k;
}

std::vector<std::string> unknown_rule_codes(const std::vector<std::string>& codes) {
  std::vector<std::string> unknown;
  for (const auto& code : codes) {
    if (code == "ALL") continue;
    bool known = false;
    for (const auto& rule : Registry::instance().rules())
      if (rule.id.compare(0, code.size(), code) == 0) known = true;
    if (!known) unknown.push_back(code);
  }
  return unknown;
}

static std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

std::string rule_doc_page(const RuleMeta& rule) {
  std::ostringstream out;
  out << "<!-- Generated from rules/" << rule.id << ".md by `vigil docs`. Edit that file, not this one. -->\n";
  out << "# " << rule.id << " " << rule.name << "\n\n" << rule.title << "\n\n";
  out << "| | |\n|---|---|\n";
  out << "| Languages | " << join(rule.languages, ", ") << " |\n";
  out << "| Default severity | " << severity_name(rule.severity) << " |\n";
  out << "| Precision | " << rule.precision << " |\n";
  if (!rule.default_enabled) out << "| Enabled | opt-in: `--extend-select " << rule.id << "` or `extend-select` in the configuration |\n";
  std::vector<std::string> cwes;
  for (int c : rule.cwe) cwes.push_back("[CWE-" + std::to_string(c) + "](https://cwe.mitre.org/data/definitions/" + std::to_string(c) + ".html)");
  out << "| CWE | " << join(cwes, ", ") << " |\n";
  out << "| Standard | " << rule.standard << " |\n\n";
  out << rule.help_markdown;
  return out.str();
}

std::string rules_index_page(const std::vector<RuleMeta>& rules) {
  std::ostringstream out;
  out << "<!-- Generated from rules/*.md by `vigil docs`. -->\n# vigil rules\n\n";
  out << "| ID | Name | Languages | Severity | Precision |\n|---|---|---|---|---|\n";
  for (const auto& r : rules)
    out << "| [" << r.id << "](" << r.id << ".md) | " << r.name << " | " << join(r.languages, ", ")
        << " | " << severity_name(r.severity) << " | " << r.precision << " |\n";
  return out.str();
}

}  // namespace vigil
