#include "core/config.h"

#include <filesystem>
#include <sstream>
#include <toml++/toml.h>

#include "core/registry.h"

namespace vigil {
namespace fs = std::filesystem;

ConfigError::ConfigError(const std::string& file, uint32_t line, uint32_t column, const std::string& message)
    : std::runtime_error(file + (line ? ":" + std::to_string(line) + ":" + std::to_string(column) : "") + ": " + message) {}

const std::vector<RuleOptionSpec>& rule_option_specs() {
  static const std::vector<RuleOptionSpec> specs = {
      {"VG201", "public-routes", "array of strings", nlohmann::json::array(),
       "path prefixes that need no authentication (besides login, register, token, health, docs...)"},
      {"VG104", "skip-test-files", "boolean", true, "do not report secrets in tests/, test_*.py, *_test.py, conftest.py"},
      {"VG108", "max-minutes", "integer", 60, "longest access-token lifetime accepted"},
      {"VG603", "min-iterations", "integer", 600000, "PBKDF2-HMAC-SHA256 iterations floor (SHA-512 and SHA-1 floors scale with it)"},
      {"VG603", "min-bcrypt-rounds", "integer", 12, "bcrypt cost floor"},
  };
  return specs;
}

namespace {

[[noreturn]] void fail(const std::string& file, const toml::source_region& at, const std::string& message) {
  throw ConfigError(file, at.begin.line, at.begin.column, message);
}

[[noreturn]] void fail(const std::string& file, const toml::node& at, const std::string& message) {
  fail(file, at.source(), message);
}

std::vector<std::string> strings(const std::string& file, const toml::node& node, const std::string& key) {
  const toml::array* array = node.as_array();
  if (!array) fail(file, node, "`" + key + "` must be an array of strings");
  std::vector<std::string> out;
  for (const toml::node& item : *array) {
    auto s = item.value<std::string>();
    if (!s) fail(file, item, "`" + key + "` must be an array of strings");
    out.push_back(*s);
  }
  return out;
}

std::vector<std::string> rule_codes(const std::string& file, const toml::node& node, const std::string& key) {
  auto codes = strings(file, node, key);
  if (auto unknown = unknown_rule_codes(codes); !unknown.empty())
    fail(file, node, "unknown rule code '" + unknown.front() + "' in `" + key + "` (see `vigil rules`)");
  return codes;
}

Severity severity(const std::string& file, const toml::node& node, const std::string& key) {
  auto s = node.value<std::string>();
  Severity out;
  if (!s || !parse_severity(*s, out)) fail(file, node, "`" + key + "` must be one of low, medium, high, critical");
  return out;
}

bool boolean(const std::string& file, const toml::node& node, const std::string& key) {
  auto b = node.value<bool>();
  if (!b) fail(file, node, "`" + key + "` must be true or false");
  return *b;
}

void rule_options(const std::string& file, const toml::table& rules, Config& config) {
  for (const auto& [rule_key, value] : rules) {
    std::string rule(rule_key.str());
    const toml::table* options = value.as_table();
    if (!Registry::instance().find(rule)) fail(file, rule_key.source(), "unknown rule '" + rule + "' in [rules]");
    if (!options) fail(file, value, "`rules." + rule + "` must be a table");
    for (const auto& [option_key, option] : *options) {
      std::string key(option_key.str());
      const RuleOptionSpec* spec = nullptr;
      for (const auto& s : rule_option_specs())
        if (s.rule == rule && s.key == key) spec = &s;
      if (!spec) fail(file, option_key.source(), "unknown option '" + key + "' for " + rule + " (see `vigil config`)");
      nlohmann::json v;
      if (spec->type == "integer") {
        auto n = option.value<int64_t>();
        if (!n || !option.is_integer()) fail(file, option, "`" + key + "` must be an integer");
        v = *n;
      } else if (spec->type == "boolean") {
        v = boolean(file, option, key);
      } else {
        v = strings(file, option, key);
      }
      config.rule_options[rule][key] = v;
    }
  }
}

void read_table(const std::string& file, const toml::table& table, Config& config) {
  fs::path dir = fs::path(file).parent_path();
  for (const auto& [k, node] : table) {
    std::string key(k.str());
    if (key == "select") config.select = rule_codes(file, node, key);
    else if (key == "extend-select") config.extend_select = rule_codes(file, node, key);
    else if (key == "ignore") config.ignore = rule_codes(file, node, key);
    else if (key == "exclude") config.exclude = strings(file, node, key);
    else if (key == "fail-on") config.fail_on = severity(file, node, key);
    else if (key == "file-timeout") {
      auto n = node.value<int64_t>();
      if (!n || !node.is_integer() || *n < 0 || *n > 86400)
        fail(file, node, "`file-timeout` must be a number of seconds from 0 (no limit) to 86400");
      config.file_timeout = static_cast<unsigned>(*n);
    } else if (key == "jobs") {
      auto n = node.value<int64_t>();
      if (!n || !node.is_integer() || *n < 1 || *n > 1024) fail(file, node, "`jobs` must be an integer from 1 to 1024");
      config.jobs = static_cast<unsigned>(*n);
    } else if (key == "per-file-ignores") {
      const toml::table* t = node.as_table();
      if (!t) fail(file, node, "`per-file-ignores` must be a table of glob = [rules]");
      for (const auto& [glob, rules] : *t)
        config.per_file_ignores.emplace_back(std::string(glob.str()), rule_codes(file, rules, "per-file-ignores"));
    } else if (key == "severity-overrides") {
      const toml::table* t = node.as_table();
      if (!t) fail(file, node, "`severity-overrides` must be a table of rule = severity");
      for (const auto& [rule, sev] : *t) {
        if (!Registry::instance().find(rule.str())) fail(file, sev, "unknown rule '" + std::string(rule.str()) + "' in `severity-overrides`");
        config.severity_overrides[std::string(rule.str())] = severity(file, sev, "severity-overrides");
      }
    } else if (key == "rules") {
      const toml::table* t = node.as_table();
      if (!t) fail(file, node, "`rules` must be a table of [rules.VGnnn] tables");
      rule_options(file, *t, config);
    } else if (key == "compile-commands") {
      auto s = node.value<std::string>();
      if (!s) fail(file, node, "`compile-commands` must be a string (a file or directory)");
      config.compile_commands = fs::path(*s).is_absolute() ? *s : (dir / *s).lexically_normal().string();
    } else if (key == "extra-args") {
      config.extra_args = strings(file, node, key);
    } else if (key == "require-rule-ids") {
      config.require_rule_ids = boolean(file, node, key);
    } else if (key == "suppression-aliases") {
      config.suppression_aliases = boolean(file, node, key);
    } else if (key == "baseline") {
      auto s = node.value<std::string>();
      if (!s) fail(file, node, "`baseline` must be a string (a file)");
      config.baseline = fs::path(*s).is_absolute() ? *s : (dir / *s).lexically_normal().string();
    } else {
      fail(file, k.source(), "unknown key '" + key + "' (see `vigil config` for every key)");
    }
  }
}

toml::table parse(const std::string& file, const std::string* text) {
  try {
    return text ? toml::parse(*text, file) : toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    throw ConfigError(file, e.source().begin.line, e.source().begin.column, std::string(e.description()));
  }
}

bool has_tool_vigil(const fs::path& pyproject) {
  try {
    toml::table t = toml::parse_file(pyproject.string());
    return t["tool"]["vigil"].is_table();
  } catch (const toml::parse_error&) {
    return false;  // not ours to report
  }
}

}  // namespace

std::optional<std::string> find_config(const std::string& path) {
  std::error_code ec;
  fs::path dir = fs::absolute(path, ec).lexically_normal();
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (;; dir = dir.parent_path()) {
    for (const char* name : {"vigil.toml", ".vigil.toml"})
      if (fs::is_regular_file(dir / name, ec)) return (dir / name).string();
    if (fs::is_regular_file(dir / "pyproject.toml", ec) && has_tool_vigil(dir / "pyproject.toml"))
      return (dir / "pyproject.toml").string();
    if (dir == dir.parent_path() || dir.empty()) return std::nullopt;
  }
}

Config load_config(const std::string& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw ConfigError(file, 0, 0, "configuration file not found");
  return load_config_text(file, nullptr);
}

Config load_config_text(const std::string& file, const std::string* text) {
  std::error_code ec;
  toml::table table = parse(file, text);
  Config config;
  config.source = fs::absolute(file, ec).lexically_normal().string();
  if (fs::path(file).filename() == "pyproject.toml") {
    const toml::node* tool = table.get("tool");
    const toml::node* vigil = tool && tool->as_table() ? tool->as_table()->get("vigil") : nullptr;
    if (!vigil) return config;
    if (!vigil->as_table()) fail(config.source, *vigil, "`tool.vigil` must be a table");
    read_table(config.source, *vigil->as_table(), config);
  } else {
    read_table(config.source, table, config);
  }
  return config;
}

std::string render_config(const Config& c) {
  std::ostringstream out;
  auto list = [](const std::vector<std::string>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + ("\"" + v[i] + "\"");
    return s + "]";
  };
  out << "# effective configuration, from " << (c.source.empty() ? "the defaults (no configuration file)" : c.source)
      << "\n";
  out << "select = " << list(c.select) << (c.select.empty() ? "  # every rule that is not opt-in" : "") << "\n";
  out << "extend-select = " << list(c.extend_select) << "\n";
  out << "ignore = " << list(c.ignore) << "\n";
  out << "exclude = " << list(c.exclude) << "\n";
  out << "fail-on = \"" << (c.fail_on ? severity_name(*c.fail_on) : "low") << "\"\n";
  if (c.file_timeout) out << "file-timeout = " << *c.file_timeout << "\n";
  else out << "# file-timeout = 30: seconds of analysis per Python file (0: no limit)\n";
  if (c.jobs) out << "jobs = " << *c.jobs << "\n";
  else out << "# jobs: one per core\n";
  out << "require-rule-ids = " << (c.require_rule_ids ? "true" : "false") << "\n";
  out << "suppression-aliases = " << (c.suppression_aliases ? "true" : "false") << "\n";
  if (!c.compile_commands.empty()) out << "compile-commands = \"" << c.compile_commands << "\"\n";
  out << "extra-args = " << list(c.extra_args) << "\n";
  if (!c.baseline.empty()) out << "baseline = \"" << c.baseline << "\"\n";
  out << "\n[per-file-ignores]\n";
  for (const auto& [glob, rules] : c.per_file_ignores) out << "\"" << glob << "\" = " << list(rules) << "\n";
  out << "\n[severity-overrides]\n";
  for (const auto& [rule, sev] : c.severity_overrides) out << rule << " = \"" << severity_name(sev) << "\"\n";
  std::string last_rule;
  for (const auto& spec : rule_option_specs()) {
    if (spec.rule != last_rule) out << "\n[rules." << spec.rule << "]\n";
    last_rule = spec.rule;
    nlohmann::json value = spec.default_value;
    if (c.rule_options.contains(spec.rule) && c.rule_options[spec.rule].contains(spec.key))
      value = c.rule_options[spec.rule][spec.key];
    out << spec.key << " = " << value.dump() << "  # " << spec.help << "\n";
  }
  return out.str();
}

}  // namespace vigil
