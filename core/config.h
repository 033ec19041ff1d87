// Configuration: `[tool.vigil]` in pyproject.toml, or vigil.toml /
// .vigil.toml (top-level keys), found by walking up from the scanned path.
// Every key, type and rule ID is checked; mistakes are errors that name the
// file, line and column.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/finding.h"

namespace vigil {

struct Config {
  std::string source;  // the file it was read from; "" for the defaults
  std::vector<std::string> select, extend_select, ignore, exclude;
  // glob (gitignore syntax, relative to the config file's directory) -> rules
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;
  std::optional<Severity> fail_on;
  std::map<std::string, Severity> severity_overrides;
  std::optional<unsigned> jobs;
  std::optional<unsigned> file_timeout;  // seconds per Python file; 0: no limit
  nlohmann::json rule_options = nlohmann::json::object();  // {"VG603": {"min-iterations": 600000}}
  std::string compile_commands;                           // relative paths resolved against the config's directory
  std::vector<std::string> extra_args;
  bool require_rule_ids = false;      // bare `# nosec` / `// NOLINT` no longer suppress
  bool suppression_aliases = true;    // honour nosec / noqa / NOLINT / Flawfinder comments
  std::string baseline;               // default --baseline file
};

class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& file, uint32_t line, uint32_t column, const std::string& message);
};

// The nearest configuration file at or above `path` (a pyproject.toml only
// counts when it has a [tool.vigil] table), or nullopt.
std::optional<std::string> find_config(const std::string& path);

// Reads a configuration file. Throws ConfigError.
Config load_config(const std::string& file);
// The same for text already in memory (`file` names it: vigil.toml or
// pyproject.toml); with `text` null, reads `file`. Throws ConfigError.
Config load_config_text(const std::string& file, const std::string* text);

// The options each rule accepts, with their TOML types and defaults; shown
// by `vigil config` and checked when loading.
struct RuleOptionSpec {
  std::string rule, key, type;  // type: "integer", "boolean", "array of strings"
  nlohmann::json default_value;
  std::string help;
};
const std::vector<RuleOptionSpec>& rule_option_specs();

// The effective configuration as TOML, with where it came from.
std::string render_config(const Config& config);

}  // namespace vigil
