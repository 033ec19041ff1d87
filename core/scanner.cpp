#include "core/scanner.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <numeric>
#include <thread>
#include <tuple>

#include "core/cache.h"
#include "core/fingerprint.h"
#include "core/gitignore.h"
#include "core/project.h"
#include "frontends/cpp/analyzer.h"
#include "frontends/python/analyzer.h"

namespace vigil {
namespace fs = std::filesystem;
namespace {

struct FileOutcome {
  std::vector<Finding> findings;
  std::vector<Notice> notices;
  FileFacts facts;
  bool analysed = false;
};

// A file to analyse: one the user asked for, or another file of its project
// that only contributes facts.
struct WorkItem {
  DiscoveredFile file;
  bool requested = true;
  int project = 0;     // index into the project groups
  bool named = false;  // named on the command line (not found in a directory)
};

FileOutcome analyse_tu(const WorkItem& item, const cpp::Session& session, const ScanOptions& options) {
  FileOutcome out;
  try {
    auto tu = session.analyze(item.file.path.string(), item.file.display, options.selection);
    out.findings = std::move(tu.findings);
    out.notices = std::move(tu.notices);
    out.facts = {item.file.display, "", std::move(tu.facts)};
    out.analysed = tu.analysed;
  } catch (const std::exception& e) {
    out.notices.push_back({Notice::Level::error, "internal-error", item.file.display, 0,
                           std::string("analysis failed: ") + e.what()});
  }
  return out;
}

FileOutcome analyse_file(const WorkItem& item, const std::string& root, const ScanOptions& options,
                         const cpp::Session* session, const ResultCache* cache, std::atomic<bool>& cache_failed) {
  if (item.file.language == Language::cpp) {
    // Headers are analysed through the translation units that include them,
    // unless named on the command line.
    if (!session || (!cpp::is_translation_unit(item.file.path.string()) && !item.named)) return {};
    return analyse_tu(item, *session, options);
  }
  FileOutcome out;
  const DiscoveredFile& file = item.file;
  auto source = load_source(file.path, file.display, options.max_file_size, out.notices);
  if (!source) return out;
  std::string package = python::package_of(file.path.string());
  std::string module = root.empty() ? package + (package.empty() ? "" : ".") + file.path.stem().string()
                                    : module_name(file.path.string(), root);
  if (file.path.stem() == "__init__" && root.empty()) module = package;
  std::string key = cache ? cache->key(file.display, module, package, source->text()) : "";
  if (cache)
    if (auto hit = cache->load(file.display, key)) {
      out.findings = std::move(hit->findings);
      out.notices.insert(out.notices.end(), hit->notices.begin(), hit->notices.end());
      out.facts = {file.display, module, std::move(hit->facts)};
      out.analysed = true;
      return out;
    }
  try {
    auto analysis = python::analyze(*source, package, options.selection, module, options.file_timeout);
    if (cache && analysis.complete && !cache_failed &&
        !cache->store(file.display, key, {analysis.findings, analysis.notices, analysis.facts}))
      cache_failed = true;
    out.findings = std::move(analysis.findings);
    out.notices.insert(out.notices.end(), analysis.notices.begin(), analysis.notices.end());
    out.facts = {file.display, module, std::move(analysis.facts)};
    out.analysed = true;
  } catch (const std::exception& e) {
    // A defect in a checker must not lose the rest of the scan.
    out.notices.push_back({Notice::Level::error, "internal-error", file.display, 0,
                           std::string("analysis failed: ") + e.what()});
  }
  return out;
}

bool is_at_or_below(const fs::path& path, const fs::path& dir) {
  auto rel = path.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

// Groups the requested files by project root and adds the other files of
// each project (facts only). Returns the roots, one per group.
std::vector<std::string> plan_projects(const ScanOptions& options, std::vector<WorkItem>& items) {
  std::vector<std::string> roots;
  std::map<std::string, int> group_of_root;
  std::map<std::string, std::optional<std::string>> root_of_dir;
  auto root_for = [&](const fs::path& file) -> std::optional<std::string> {
    std::string dir = file.parent_path().string();
    auto it = root_of_dir.find(dir);
    if (it == root_of_dir.end()) it = root_of_dir.emplace(dir, find_project_root(dir)).first;
    return it->second;
  };
  auto group = [&](const std::string& root) {
    auto [it, added] = group_of_root.emplace(root, static_cast<int>(roots.size()));
    if (added) roots.push_back(root);
    return it->second;
  };
  // Without an enabled project rule, other files of the project add nothing.
  bool project_rules = false;
  for (const auto& checker : project_checker_list())
    for (const auto& id : checker->rule_ids()) project_rules = project_rules || options.selection.enabled(id);
  bool whole = options.whole_project && project_rules;
  for (auto& item : items) {
    auto root = whole ? root_for(item.file.path) : std::nullopt;
    item.project = group(root.value_or(""));
  }
  if (!whole) return roots;

  std::set<std::string> known;
  for (const auto& item : items) known.insert(item.file.path.string());
  std::vector<fs::path> inputs;
  std::error_code ec;
  for (const auto& p : options.paths) inputs.push_back(fs::absolute(p, ec).lexically_normal());
  for (size_t g = 0; g < roots.size(); ++g) {
    if (roots[g].empty()) continue;
    fs::path root(roots[g]);
    bool covered = false;  // a scanned directory holds the whole project already
    for (const auto& in : inputs) covered = covered || (fs::is_directory(in, ec) && is_at_or_below(root, in));
    if (covered) continue;
    for (auto& file : discover({roots[g]}, options.discovery).files) {
      if (known.count(file.path.string()) || root_for(file.path) != roots[g]) continue;
      known.insert(file.path.string());
      items.push_back({std::move(file), false, static_cast<int>(g)});
    }
  }
  return roots;
}

// per-file-ignores and severity-overrides of the configuration.
void apply_configuration(const ScanOptions& options, std::vector<Finding>& findings) {
  std::vector<std::pair<IgnoreFile, std::vector<std::string>>> ignores;
  for (const auto& [glob, rules] : options.per_file_ignores) ignores.emplace_back(IgnoreFile::parse(glob + "\n"), rules);
  auto match_rule = [](const std::vector<std::string>& codes, const std::string& id) {
    for (const auto& c : codes)
      if (c == "ALL" || id.compare(0, c.size(), c) == 0) return true;
    return false;
  };
  std::error_code ec;
  fs::path base = options.config_dir.empty() ? fs::current_path(ec) : fs::path(options.config_dir);
  std::erase_if(findings, [&](const Finding& f) {
    if (ignores.empty()) return false;
    std::string rel = fs::absolute(f.path, ec).lexically_normal().lexically_relative(base).generic_string();
    for (const auto& [pattern, rules] : ignores)
      if (pattern.match(rel, false) == IgnoreFile::Verdict::ignored && match_rule(rules, f.rule_id)) return true;
    return false;
  });
  for (auto& f : findings)
    if (auto it = options.severity_overrides.find(f.rule_id); it != options.severity_overrides.end()) f.severity = it->second;
}

// Suppression comments, read from each file that has findings (or from
// `buffer` for the file `buffer_path`).
void apply_source_suppressions(const ScanOptions& options, ScanResult& result, const std::string& buffer_path = "",
                               const std::string* buffer = nullptr) {
  std::map<std::string, std::vector<Finding*>> by_path;
  for (auto& f : result.findings) by_path[f.path].push_back(&f);
  std::vector<Finding> unused;
  for (auto& [path, findings] : by_path) {
    std::optional<SourceFile> source;
    if (buffer && path == buffer_path) {
      source.emplace(path, *buffer);
    } else {
      std::vector<Notice> ignored;  // the file was read once already; problems were reported then
      source = load_source(fs::absolute(path), path, options.max_file_size, ignored);
    }
    if (!source) continue;
    auto suppressions = parse_suppressions(source->text(), language_of(path), options.suppression);
    auto more = apply_suppressions(findings, suppressions, path, source->text(), options.selection, options.suppression);
    unused.insert(unused.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  for (auto& f : unused) {
    f.severity = Registry::instance().find("VG000") ? Registry::instance().find("VG000")->severity : Severity::low;
    result.findings.push_back(std::move(f));
  }
}

}  // namespace

void finalize(ScanResult& result) {
  auto& f = result.findings;
  std::sort(f.begin(), f.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.path, a.region.start_line, a.region.start_column, a.rule_id, a.message) <
           std::tie(b.path, b.region.start_line, b.region.start_column, b.rule_id, b.message);
  });
  // A finding in a header included by several translation units, once.
  f.erase(std::unique(f.begin(), f.end(),
                      [](const Finding& a, const Finding& b) {
                        return a.path == b.path && a.rule_id == b.rule_id && a.message == b.message &&
                               a.region.start_line == b.region.start_line &&
                               a.region.start_column == b.region.start_column &&
                               a.region.end_line == b.region.end_line && a.region.end_column == b.region.end_column;
                      }),
          f.end());
  assign_fingerprints(f);
  auto& n = result.notices;
  std::stable_sort(n.begin(), n.end(), [](const Notice& a, const Notice& b) {
    return std::tie(a.path, a.line, a.id) < std::tie(b.path, b.line, b.id);
  });
}

ScanResult scan(const ScanOptions& options) {
  ScanResult result;
  Discovery discovery = discover(options.paths, options.discovery);
  result.missing_paths = std::move(discovery.missing);
  result.notices = std::move(discovery.notices);
  std::set<std::string> named;
  std::error_code ec;
  for (const auto& p : options.paths)
    if (fs::is_regular_file(p, ec)) named.insert(fs::absolute(p, ec).lexically_normal().string());
  std::vector<WorkItem> items;
  for (auto& file : discovery.files) {
    bool is_named = named.count(file.path.string()) > 0;
    items.push_back({std::move(file), true, 0, is_named});
  }
  std::vector<std::string> roots = plan_projects(options, items);

  std::unique_ptr<cpp::Session> session;
  bool any_cpp = std::any_of(items.begin(), items.end(), [](const WorkItem& i) {
    return i.file.language == Language::cpp && (i.named || cpp::is_translation_unit(i.file.path.string()));
  });
  if (any_cpp) {
    cpp::Options cpp_options{options.compile_commands, options.extra_args, {}};
    for (const auto& p : options.paths) cpp_options.search_from.push_back(p);
    session = std::make_unique<cpp::Session>(cpp_options, result.notices);
  }

  // Largest files first keeps both cores busy until the end.
  std::vector<size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return items[a].file.size > items[b].file.size; });

  std::optional<ResultCache> cache;
  if (!options.cache_dir.empty()) cache.emplace(options.cache_dir, options.selection.fingerprint());
  std::vector<FileOutcome> outcomes(items.size());
  std::atomic<size_t> next{0}, done{0};
  std::atomic<bool> cache_failed{false};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < order.size();) {
      const WorkItem& item = items[order[i]];
      outcomes[order[i]] =
          analyse_file(item, roots[item.project], options, session.get(), cache ? &*cache : nullptr, cache_failed);
      if (options.progress) options.progress(++done, order.size());
    }
  };
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, std::max<size_t>(1, items.size()));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (cache_failed)
    result.notices.push_back({Notice::Level::warning, "cache-unwritable", display_path(fs::absolute(options.cache_dir, ec)), 0,
                              "cannot write the result cache here; this scan's results are not cached (--cache-dir "
                              "elsewhere, or --no-cache)"});

  // Per-file results of the requested files; facts of every file, by project.
  std::set<std::string> requested;
  std::vector<std::vector<const FileFacts*>> project_files(roots.size());
  for (size_t i = 0; i < items.size(); ++i) {
    FileOutcome& o = outcomes[i];
    if (o.analysed) project_files[items[i].project].push_back(&o.facts);
    if (!items[i].requested) continue;
    requested.insert(items[i].file.display);
    if (o.analysed) ++result.files_scanned;
    std::move(o.findings.begin(), o.findings.end(), std::back_inserter(result.findings));
    std::move(o.notices.begin(), o.notices.end(), std::back_inserter(result.notices));
  }
  // C++ findings may lie in headers: only those in scanned files are kept
  // (never system headers, never files outside the scanned paths).
  for (auto& files : project_files) {
    std::sort(files.begin(), files.end(), [](const FileFacts* a, const FileFacts* b) { return a->path < b->path; });
    for (auto& f : check_project(ProjectFacts(files), options.selection)) result.findings.push_back(std::move(f));
  }
  std::erase_if(result.findings, [&](const Finding& f) { return !requested.count(f.path); });
  // After the project phase, so project findings obey configuration and suppressions too.
  apply_configuration(options, result.findings);
  apply_source_suppressions(options, result);
  finalize(result);
  return result;
}

ScanOptions scan_options_from(const Config& config) {
  ScanOptions options;
  options.selection = RuleSelection(config.select, config.ignore, config.extend_select, config.rule_options);
  options.discovery.excludes = config.exclude;
  options.jobs = config.jobs.value_or(0);
  if (config.file_timeout) options.file_timeout = *config.file_timeout;
  options.compile_commands = config.compile_commands;
  options.extra_args = config.extra_args;
  options.per_file_ignores = config.per_file_ignores;
  options.config_dir = config.source.empty() ? "" : fs::path(config.source).parent_path().string();
  options.severity_overrides = config.severity_overrides;
  options.suppression.aliases = config.suppression_aliases;
  options.suppression.require_rule_ids = config.require_rule_ids;
  return options;
}

ScanResult scan_buffer(const ScanOptions& options, const std::string& path, const std::string& text,
                       const cpp::Session* session) {
  ScanResult result;
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec).lexically_normal();
  std::string display = display_path(absolute);
  Language language = language_of(absolute);
  FileFacts facts;
  if (language == Language::python) {
    SourceFile file(display, text);
    std::string package = python::package_of(absolute.string());
    std::string module = package + (package.empty() ? "" : ".") + absolute.stem().string();
    auto analysis = python::analyze(file, package, options.selection, module);
    result.findings = std::move(analysis.findings);
    result.notices = std::move(analysis.notices);
    facts = {display, module, std::move(analysis.facts)};
  } else if (language == Language::cpp && session) {
    auto tu = session->analyze(absolute.string(), display, options.selection, &text);
    result.findings = std::move(tu.findings);
    result.notices = std::move(tu.notices);
    facts = {display, "", std::move(tu.facts)};
  } else {
    return result;
  }
  result.files_scanned = 1;
  for (auto& f : check_project(ProjectFacts({&facts}), options.selection)) result.findings.push_back(std::move(f));
  std::erase_if(result.findings, [&](const Finding& f) { return f.path != display; });
  apply_configuration(options, result.findings);
  apply_source_suppressions(options, result, display, &text);
  finalize(result);
  return result;
}

}  // namespace vigil
