// vigil's command line: scan, rules, explain, docs.
// Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage or
// configuration error (bad option, unknown rule, missing path).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/lsp_server.h"
#include "core/baseline.h"
#include "core/cache.h"
#include "core/bandit.h"
#include "core/checklist.h"
#include "core/config.h"
#include "core/fixes.h"
#include "core/registry.h"
#include "core/scanner.h"
#include "reporters/reporters.h"

namespace {

constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;

std::vector<std::string> split_codes(const std::vector<std::string>& values) {
  std::vector<std::string> codes;
  for (const auto& v : values) {
    std::stringstream in(v);
    std::string code;
    while (std::getline(in, code, ','))
      if (!code.empty()) codes.push_back(code);
  }
  return codes;
}

struct ScanArgs {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string output;
  std::vector<std::string> select, extend_select, ignore, exclude;
  unsigned jobs = 0;
  bool exit_zero = false, no_color = false, quiet = false, no_gitignore = false, no_project = false;
  std::string fail_on;  // "" = from the configuration, else low
  uint64_t max_file_size = vigil::kDefaultMaxFileSize;
  std::string compile_commands;
  std::vector<std::string> extra_args;
  std::string config_file;
  bool isolated = false;
  bool report_unused_suppressions = false, no_suppression_aliases = false;
  std::string baseline, write_baseline, diff_base, sarif_category;
  bool fix = false, diff = false;
  bool no_cache = false;
  std::string cache_dir;
  std::optional<double> file_timeout;
};

// The configuration for a scan: --isolated, --config FILE, or the nearest
// configuration file above the first scanned path.
vigil::Config configuration(const std::string& config_file, bool isolated, const std::vector<std::string>& paths) {
  if (isolated) return {};
  if (!config_file.empty()) return vigil::load_config(config_file);
  auto found = vigil::find_config(paths.empty() ? "." : paths.front());
  return found ? vigil::load_config(*found) : vigil::Config{};
}

std::vector<std::string> joined(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The scan's options from the arguments and the configuration; nullopt
// (after printing why) on a usage error.
struct Prepared {
  vigil::Config config;
  vigil::ScanOptions options;
  vigil::Severity threshold = vigil::Severity::low;
};

std::optional<Prepared> prepare(const ScanArgs& args) {
  Prepared p;
  vigil::Config& config = p.config;
  config = configuration(args.config_file, args.isolated, args.paths);
  p.threshold = config.fail_on.value_or(vigil::Severity::low);
  if (!args.fail_on.empty() && !vigil::parse_severity(args.fail_on, p.threshold)) {
    std::cerr << "vigil: error: --fail-on: unknown severity '" << args.fail_on << "'\n";
    return std::nullopt;
  }
  auto select = split_codes(args.select), extend = split_codes(args.extend_select), ignore = split_codes(args.ignore);
  if (auto unknown = vigil::unknown_rule_codes(joined(joined(select, extend), ignore)); !unknown.empty()) {
    std::cerr << "vigil: error: unknown rule code '" << unknown.front() << "' (see `vigil rules`)\n";
    return std::nullopt;
  }
  vigil::ScanOptions& options = p.options;
  options = vigil::scan_options_from(config);
  if (!args.paths.empty()) options.paths = args.paths;
  options.selection = vigil::RuleSelection(select.empty() ? config.select : select, joined(config.ignore, ignore),
                                           joined(config.extend_select, extend), config.rule_options);
  options.discovery.excludes = joined(config.exclude, args.exclude);
  options.discovery.respect_gitignore = !args.no_gitignore;
  if (args.jobs) options.jobs = args.jobs;
  options.max_file_size = args.max_file_size;
  if (args.file_timeout) options.file_timeout = *args.file_timeout;
  options.whole_project = !args.no_project;
  if (!args.compile_commands.empty()) options.compile_commands = args.compile_commands;
  options.extra_args = joined(config.extra_args, args.extra_args);
  options.suppression.aliases = config.suppression_aliases && !args.no_suppression_aliases;
  options.suppression.report_unused = args.report_unused_suppressions;
  if (!args.no_cache)
    options.cache_dir = vigil::cache_dir_for(args.cache_dir, options.config_dir, options.paths.front()).string();
  if (args.report_unused_suppressions) options.selection = vigil::RuleSelection(
      select.empty() ? config.select : select, joined(config.ignore, ignore),
      joined(joined(config.extend_select, extend), {"VG000"}), config.rule_options);
  return p;
}

// "vigil: 120/668 files" on stderr, once a scan has run for a second on a
// terminal; redrawn at most ten times a second, erased at the end.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  bool enabled() const { return enabled_; }
  void update(size_t done, size_t total) {
    auto now = std::chrono::steady_clock::now();
    if (now - start_ < std::chrono::seconds(1)) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (now - last_ < std::chrono::milliseconds(100) && done != total) return;
    last_ = now;
    std::fprintf(stderr, "\rvigil: %zu/%zu files", done, total);
    shown_ = true;
  }
  void clear() {
    if (shown_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_{};
};

int run_clean(const std::string& path, const std::string& dir) {
  auto found = vigil::find_config(path);
  std::string config_dir = found ? std::filesystem::path(*found).parent_path().string() : "";
  auto cache = vigil::cache_dir_for(dir, config_dir, path);
  std::string error;
  if (!vigil::remove_cache(cache, error)) {
    std::cerr << "vigil: error: " << error << "\n";
    return kExitUsage;
  }
  std::cerr << "vigil: removed " << cache.string() << "\n";
  return 0;
}

int run_scan(const ScanArgs& args) {
  auto prepared = prepare(args);
  if (!prepared) return kExitUsage;
  const vigil::Config& config = prepared->config;
  vigil::ScanOptions& options = prepared->options;
  vigil::Severity threshold = prepared->threshold;
  ProgressLine progress(!args.quiet && ::isatty(STDERR_FILENO));
  if (progress.enabled()) options.progress = [&](size_t done, size_t total) { progress.update(done, total); };
  vigil::ScanResult result = vigil::scan(options);
  progress.clear();

  if (!args.write_baseline.empty()) {
    if (std::string err = vigil::write_output(args.write_baseline, vigil::render_baseline(result.findings)); !err.empty()) {
      std::cerr << "vigil: error: --write-baseline: " << err << "\n";
      return kExitUsage;
    }
  }
  std::string baseline = args.baseline.empty() ? config.baseline : args.baseline;
  if (!baseline.empty() && args.write_baseline.empty()) {
    size_t known = vigil::apply_baseline(baseline, result.findings);
    if (known)
      result.notices.push_back({vigil::Notice::Level::note, "baselined", "", 0,
                                std::to_string(known) + " known finding" + (known == 1 ? "" : "s") + " of " +
                                    baseline + " not reported"});
  }
  if (!args.diff_base.empty()) {
    auto changed = vigil::changed_lines(options.paths.front(), args.diff_base);
    std::erase_if(result.findings, [&](const vigil::Finding& f) {
      return !changed.contains(std::filesystem::absolute(f.path).lexically_normal().string(), f.region.start_line);
    });
  }

  if (args.fix || args.diff) {
    // Fixed findings are resolved: they are not reported, and the fix is written or shown.
    auto files = vigil::plan_fixes(result.findings);
    for (const auto& file : files) {
      if (args.diff) std::cout << vigil::unified_diff(file);
      if (!args.fix) continue;
      if (std::string err = vigil::write_output(file.path, file.after); !err.empty()) {
        std::cerr << "vigil: error: --fix: " << err << "\n";
        return kExitUsage;
      }
      std::cerr << "vigil: fixed " << file.fixes << " finding" << (file.fixes == 1 ? "" : "s") << " in " << file.path << "\n";
    }
    if (args.diff && !args.fix) return files.empty() ? 0 : kExitFindings;
    std::erase_if(result.findings, [](const vigil::Finding& f) { return !f.suppressed && !f.fixes.empty(); });
  }

  bool to_stdout = args.output.empty() || args.output == "-";
  bool color = to_stdout && !args.no_color && ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  std::string document;
  if (args.format == "json") document = vigil::render_json(result);
  else if (args.format == "sarif")
    document = vigil::render_sarif(result, std::filesystem::current_path().string(), {args.sarif_category});
  else if (args.format == "github") document = vigil::render_github(result);
  else document = vigil::render_text(result, {color, args.quiet});
  if (args.format == "text" || !to_stdout) {
    // In text mode problems with inputs go to stderr; JSON and SARIF carry them.
    bool err_color = !args.no_color && ::isatty(STDERR_FILENO) && !std::getenv("NO_COLOR");
    std::cerr << vigil::render_notices_text(result, err_color);
  }
  if (std::string err = vigil::write_output(args.output, document); !err.empty()) {
    std::cerr << "vigil: error: " << err << "\n";
    return kExitUsage;
  }
  for (const auto& missing : result.missing_paths)
    std::cerr << "vigil: error: path not found: " << missing << "\n";
  if (!result.missing_paths.empty()) return kExitUsage;
  if (args.exit_zero) return 0;
  for (const auto& f : result.findings)
    if (!f.suppressed && f.severity >= threshold) return kExitFindings;
  return 0;
}

// The standard's checklist for the scanned project; exit 1 when an item has open findings.
int run_checklist(const ScanArgs& args, const std::string& format) {
  auto prepared = prepare(args);
  if (!prepared) return kExitUsage;
  vigil::ScanResult result = vigil::scan(prepared->options);
  std::cerr << vigil::render_notices_text(result, false);
  for (const auto& missing : result.missing_paths) std::cerr << "vigil: error: path not found: " << missing << "\n";
  if (!result.missing_paths.empty()) return kExitUsage;
  if (std::string err = vigil::write_output(args.output, vigil::render_checklist(result, format)); !err.empty()) {
    std::cerr << "vigil: error: " << err << "\n";
    return kExitUsage;
  }
  return vigil::checklist_fails(result) ? kExitFindings : 0;
}

int run_config(const std::string& config_file, bool isolated, const std::string& path) {
  std::cout << vigil::render_config(configuration(config_file, isolated, {path}));
  return 0;
}

int run_rules(const std::string& format) {
  const auto& rules = vigil::Registry::instance().rules();
  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rules)
      out.push_back({{"id", r.id}, {"name", r.name}, {"title", r.title}, {"languages", r.languages},
                     {"severity", vigil::severity_name(r.severity)}, {"precision", r.precision}, {"cwe", r.cwe}});
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("%-6s  %-26s  %-12s  %-8s  %-9s  %s\n", "ID", "NAME", "LANGUAGES", "SEVERITY", "PRECISION", "TITLE");
  for (const auto& r : rules) {
    std::string langs;
    for (const auto& l : r.languages) langs += (langs.empty() ? "" : ",") + l;
    std::printf("%-6s  %-26s  %-12s  %-8s  %-9s  %s\n", r.id.c_str(), r.name.c_str(), langs.c_str(),
                vigil::severity_name(r.severity), r.precision.c_str(), r.title.c_str());
  }
  return 0;
}

int run_explain(const std::string& id) {
  const vigil::RuleMeta* rule = vigil::Registry::instance().find(id);
  if (!rule) {
    std::cerr << "vigil: error: unknown rule '" << id << "' (see `vigil rules`)\n";
    return kExitUsage;
  }
  std::cout << vigil::rule_doc_page(*rule);
  return 0;
}

// Regenerates the generated pages under `dir` (docs/): rules/ from the
// embedded rule files, bandit-migration.md from the Bandit table.
int run_docs(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path rules_dir = fs::path(dir) / "rules";
  fs::create_directories(rules_dir, ec);
  const auto& rules = vigil::Registry::instance().rules();
  std::vector<std::pair<fs::path, std::string>> pages;
  for (const auto& r : rules) pages.emplace_back(rules_dir / (r.id + ".md"), vigil::rule_doc_page(r));
  pages.emplace_back(rules_dir / "README.md", vigil::rules_index_page(rules));
  pages.emplace_back(fs::path(dir) / "bandit-migration.md", vigil::bandit_migration_page());
  for (const auto& [path, text] : pages)
    if (auto err = vigil::write_output(path.string(), text); !err.empty()) {
      std::cerr << "vigil: error: " << err << "\n";
      return kExitUsage;
    }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vigil: a security linter for Python and C++", "vigil"};
  app.set_version_flag("--version", std::string("vigil ") + VIGIL_VERSION);
  app.require_subcommand(1);

  ScanArgs scan;
  auto* scan_cmd = app.add_subcommand("scan", "Scan files and directories (default: .)");
  scan_cmd->add_option("paths", scan.paths, "Files or directories to scan");
  scan_cmd->add_option("--format", scan.format, "Output format: text, json, sarif, github (Actions annotations)")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}));
  scan_cmd->add_option("--sarif-category", scan.sarif_category,
                       "SARIF runs[].automationDetails.id (GitHub code scanning category)");
  scan_cmd->add_flag("--report-unused-suppressions", scan.report_unused_suppressions,
                     "Report suppression comments that suppress nothing (VG000)");
  scan_cmd->add_flag("--no-suppression-aliases", scan.no_suppression_aliases,
                     "Ignore nosec / noqa / NOLINT / Flawfinder comments (vigil's own still apply)");
  scan_cmd->add_flag("--fix", scan.fix, "Apply the safe fixes of the findings (files are rewritten atomically)");
  scan_cmd->add_flag("--diff", scan.diff, "Show the safe fixes as a unified diff (without --fix: write nothing)");
  scan_cmd->add_option("--baseline", scan.baseline, "Do not report the findings recorded in FILE");
  scan_cmd->add_option("--write-baseline", scan.write_baseline, "Record every current finding in FILE");
  scan_cmd->add_option("--diff-base", scan.diff_base, "Report only findings on lines changed since this git ref");
  scan_cmd->add_option("-o,--output", scan.output, "Write the report to FILE (atomically) instead of stdout");
  scan_cmd->add_option("--select", scan.select, "Only these rules (IDs or prefixes like VG3, comma-separated)")
      ->allow_extra_args(false);
  scan_cmd->add_option("--extend-select", scan.extend_select, "Add these rules (also opt-in ones, by full ID)")
      ->allow_extra_args(false);
  scan_cmd->add_option("--ignore", scan.ignore, "Skip these rules (IDs or prefixes, comma-separated)")
      ->allow_extra_args(false);
  scan_cmd->add_option("--exclude", scan.exclude, "Skip paths matching this gitignore-style glob (repeatable)")
      ->allow_extra_args(false);
  scan_cmd->add_option("-j,--jobs", scan.jobs, "Parallel jobs (default: number of cores)")->check(CLI::Range(1u, 1024u));
  scan_cmd->add_flag("--exit-zero", scan.exit_zero, "Exit 0 even when findings are reported");
  scan_cmd->add_option("--fail-on", scan.fail_on, "Lowest severity that makes the exit code 1: low|medium|high|critical");
  scan_cmd->add_flag("--no-color", scan.no_color, "Never colour the output");
  scan_cmd->add_flag("-q,--quiet", scan.quiet, "Findings only: no code frames or summary");
  scan_cmd->add_flag("--no-gitignore", scan.no_gitignore, "Scan files that .gitignore files exclude");
  scan_cmd->add_flag("--no-project", scan.no_project,
                     "Project rules (VG501, VG502, uploads) see only the scanned paths, not their whole project");
  scan_cmd->add_option("-p,--compile-commands", scan.compile_commands,
                       "C++: compile_commands.json, or the directory holding it (default: searched upwards)");
  scan_cmd->add_option("--extra-arg", scan.extra_args, "C++: a compiler flag added to every command (repeatable)")
      ->allow_extra_args(false);
  scan_cmd->add_option("--config", scan.config_file, "Read the configuration from FILE (vigil.toml or pyproject.toml)");
  scan_cmd->add_flag("--isolated", scan.isolated, "Ignore every configuration file");
  scan_cmd->add_option("--file-timeout", scan.file_timeout,
                       "Seconds of analysis per Python file before it is cut short and reported (default 30, 0: none)")
      ->check(CLI::Range(0.0, 86400.0));
  scan_cmd->add_flag("--no-cache", scan.no_cache, "Neither read nor write the per-file result cache");
  scan_cmd->add_option("--cache-dir", scan.cache_dir,
                       "Cache directory (default: .vigil_cache in the configuration's directory or project root)");
  scan_cmd->add_option("--max-file-size", scan.max_file_size, "Skip (and report) files larger than BYTES (default 5 MiB)");

  ScanArgs checklist;
  std::string checklist_format = "text";
  auto* checklist_cmd = app.add_subcommand("checklist", "The standard's Security Implementation Checklist for a project");
  checklist_cmd->add_option("paths", checklist.paths, "Files or directories (default .)");
  checklist_cmd->add_option("--format", checklist_format, "text, markdown (for a pull-request comment) or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  checklist_cmd->add_option("-o,--output", checklist.output, "Write to FILE (atomically) instead of stdout");
  checklist_cmd->add_option("--config", checklist.config_file, "Read the configuration from FILE");
  checklist_cmd->add_flag("--isolated", checklist.isolated, "Ignore every configuration file");
  checklist_cmd->add_option("-p,--compile-commands", checklist.compile_commands, "C++: compile_commands.json or its directory");

  auto* server_cmd = app.add_subcommand("server", "Run the Language Server Protocol server on stdin/stdout (for editors)");

  std::string config_path = ".", config_file;
  bool config_isolated = false;
  auto* config_cmd = app.add_subcommand("config", "Print the effective configuration for a path");
  config_cmd->add_option("path", config_path, "File or directory (default .)");
  config_cmd->add_option("--config", config_file, "Read the configuration from FILE");
  config_cmd->add_flag("--isolated", config_isolated, "Ignore every configuration file");

  std::string rules_format = "text";
  std::string clean_path = ".", clean_dir;
  auto* clean_cmd = app.add_subcommand("clean", "Remove the result cache of a project");
  clean_cmd->add_option("path", clean_path, "A file or directory of the project (default .)");
  clean_cmd->add_option("--cache-dir", clean_dir, "The cache directory, if not the default");
  auto* rules_cmd = app.add_subcommand("rules", "List the rules");
  rules_cmd->add_option("--format", rules_format)->check(CLI::IsMember({"text", "json"}));

  std::string explain_id;
  auto* explain_cmd = app.add_subcommand("explain", "Show a rule's documentation");
  explain_cmd->add_option("rule", explain_id, "Rule ID, e.g. VG301")->required();

  std::string docs_dir = "docs";
  auto* docs_cmd = app.add_subcommand("docs", "Write the generated pages (rules/, bandit-migration.md) under a docs directory");
  docs_cmd->add_option("dir", docs_dir, "Docs directory (default: docs)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }
  try {
    if (*scan_cmd) return run_scan(scan);
    if (*rules_cmd) return run_rules(rules_format);
    if (*clean_cmd) return run_clean(clean_path, clean_dir);
    if (*config_cmd) return run_config(config_file, config_isolated, config_path);
    if (*checklist_cmd) return run_checklist(checklist, checklist_format);
    if (*server_cmd) return vigil::run_language_server(std::cin, std::cout);
    if (*explain_cmd) return run_explain(explain_id);
    if (*docs_cmd) return run_docs(docs_dir);
  } catch (const std::exception& e) {
    std::cerr << "vigil: error: " << e.what() << "\n";
    return kExitUsage;
  }
  return 0;
}
