#include "core/project.h"

#include <filesystem>
#include <stdexcept>

namespace vigil {
namespace fs = std::filesystem;

std::vector<const Fact*> ProjectFacts::of_kind(std::string_view kind) const {
  std::vector<const Fact*> out;
  for (const FileFacts* file : files_)
    for (const Fact& f : file->facts)
      if (f.kind == kind) out.push_back(&f);
  return out;
}

void ProjectContext::report(std::string_view rule_id, const Fact& at, std::string message,
                            std::optional<Severity> severity) {
  if (!selection_.enabled(rule_id)) return;
  const RuleMeta* rule = Registry::instance().find(rule_id);
  if (!rule) throw std::logic_error("project checker reported unknown rule " + std::string(rule_id));
  Finding f = at.anchor;
  f.rule_id = rule->id;
  f.severity = severity.value_or(rule->severity);
  f.message = std::move(message);
  out_.push_back(std::move(f));
}

std::vector<std::unique_ptr<ProjectChecker>>& project_checker_list() {
  static std::vector<std::unique_ptr<ProjectChecker>> list;
  return list;
}

std::vector<Finding> check_project(const ProjectFacts& facts, const RuleSelection& selection) {
  std::vector<Finding> findings;
  ProjectContext ctx(selection, findings);
  for (const auto& checker : project_checker_list()) {
    bool any = false;
    for (const auto& id : checker->rule_ids()) any = any || selection.enabled(id);
    if (any) checker->check(facts, ctx);
  }
  return findings;
}

std::optional<std::string> find_project_root(const std::string& path) {
  static const char* kMarkers[] = {"pyproject.toml", "setup.cfg", "setup.py", ".git", "vigil.toml", ".vigil.toml"};
  std::error_code ec;
  fs::path p = fs::absolute(path, ec).lexically_normal();
  if (!fs::is_directory(p, ec)) p = p.parent_path();
  for (;; p = p.parent_path()) {
    for (const char* marker : kMarkers)
      if (fs::exists(p / marker, ec)) return p.string();
    if (p == p.parent_path() || p.empty()) return std::nullopt;
  }
}

std::string module_name(const std::string& file, const std::string& root) {
  fs::path rel = fs::path(file).lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") rel = fs::path(file).filename();
  rel.replace_extension();
  std::string out;
  for (const auto& part : rel) {
    if (part == "__init__") break;
    out += (out.empty() ? "" : ".") + part.string();
  }
  return out;
}

}  // namespace vigil
