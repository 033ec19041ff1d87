// A scan: discovery, then every file analysed in parallel (largest first),
// then results merged in a deterministic order whatever the number of jobs.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/discovery.h"
#include "core/finding.h"
#include "core/registry.h"
#include "core/source_file.h"
#include "core/suppression.h"

namespace vigil {

struct ScanOptions {
  std::vector<std::string> paths{"."};
  DiscoveryOptions discovery;
  RuleSelection selection;
  unsigned jobs = 0;  // 0: one per core
  uint64_t max_file_size = kDefaultMaxFileSize;
  // Analysis budget per Python file, in seconds (0: none): a pathological
  // file is cut short with an `analysis-timeout` notice instead of stalling the run.
  double file_timeout = 30;
  // Project rules (VG501, VG502...) take their facts from every file of each
  // scanned file's project root, so that scanning one changed file gives the
  // same answer as scanning the project. When false, facts come from the
  // scanned files alone.
  bool whole_project = true;
  // C++: --compile-commands DIR|FILE ("" searches from the scanned paths
  // upwards) and --extra-arg flags added to every command.
  std::string compile_commands;
  std::vector<std::string> extra_args;
  // From the configuration: glob (relative to config_dir) -> rules not
  // reported in matching files, and severities per rule.
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;
  std::string config_dir;
  std::map<std::string, Severity> severity_overrides;
  SuppressionOptions suppression;
  // The per-file result cache directory (Python files); empty: no cache.
  std::string cache_dir;
  // Called from the scanning threads after each file (for a progress line).
  std::function<void(size_t done, size_t total)> progress;
};

struct ScanResult {
  std::vector<Finding> findings;  // sorted by path, line, column, rule
  std::vector<Notice> notices;    // sorted by path, line, id
  std::vector<std::string> missing_paths;
  size_t files_scanned = 0;       // files analysed (parsed), including those with syntax errors
};

ScanResult scan(const ScanOptions& options);

// The options a configuration gives (everything but the paths).
ScanOptions scan_options_from(const Config& config);

namespace cpp {
class Session;
}

// One file analysed from text in memory (an editor's buffer), with the
// configuration and suppressions applied as in a scan. Project rules see
// this file alone. `session` is needed for C and C++ files.
ScanResult scan_buffer(const ScanOptions& options, const std::string& path, const std::string& text,
                       const cpp::Session* session);

// Orders findings and notices and fills in fingerprints; exposed for tests.
void finalize(ScanResult& result);

}  // namespace vigil
