// Project-level analysis. Some rules need the whole project: the app is
// created in one file, its middleware added in another, its routes in a
// third. Each file's analysis emits facts (JSON payloads anchored at a source
// location); after every file is analysed, project checkers read the facts
// of one project together and report at the facts' anchors.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/registry.h"

namespace vigil {

struct Fact {
  std::string kind;     // e.g. "web-app", "header-set", "route"
  nlohmann::json data;  // kind-specific payload
  Finding anchor;       // where a finding about this fact is reported (path, region, source line)
};

// The facts of one file, with its dotted module name in the project.
struct FileFacts {
  std::string path;    // display path
  std::string module;  // e.g. "app.api.users"
  std::vector<Fact> facts;
};

// All facts of one project.
class ProjectFacts {
 public:
  explicit ProjectFacts(std::vector<const FileFacts*> files) : files_(std::move(files)) {}
  const std::vector<const FileFacts*>& files() const { return files_; }
  std::vector<const Fact*> of_kind(std::string_view kind) const;

 private:
  std::vector<const FileFacts*> files_;
};

class ProjectContext {
 public:
  ProjectContext(const RuleSelection& selection, std::vector<Finding>& out) : selection_(selection), out_(out) {}
  bool enabled(std::string_view rule_id) const { return selection_.enabled(rule_id); }
  // Reports `rule_id` at the fact's anchor with the rule's severity, or `severity`.
  void report(std::string_view rule_id, const Fact& at, std::string message,
              std::optional<Severity> severity = std::nullopt);

 private:
  const RuleSelection& selection_;
  std::vector<Finding>& out_;
};

class ProjectChecker {
 public:
  virtual ~ProjectChecker() = default;
  virtual std::vector<std::string> rule_ids() const = 0;
  // Shared by all threads: must not modify the checker.
  virtual void check(const ProjectFacts& facts, ProjectContext& ctx) const = 0;
};

std::vector<std::unique_ptr<ProjectChecker>>& project_checker_list();

struct ProjectCheckerRegistration {
  explicit ProjectCheckerRegistration(std::unique_ptr<ProjectChecker> checker) {
    project_checker_list().push_back(std::move(checker));
  }
};

// Runs every enabled project checker over one project's facts.
std::vector<Finding> check_project(const ProjectFacts& facts, const RuleSelection& selection);

// The project root of a file or directory: the nearest directory at or above
// it holding pyproject.toml, setup.cfg, setup.py, .git, vigil.toml or
// .vigil.toml; nullopt when there is none.
std::optional<std::string> find_project_root(const std::string& path);

// The dotted module name of a Python file below `root`:
// root/app/api/users.py -> app.api.users; root/app/__init__.py -> app.
std::string module_name(const std::string& file, const std::string& root);

}  // namespace vigil

#define VIGIL_REGISTER_PROJECT_CHECKER(Class) \
  static const ::vigil::ProjectCheckerRegistration vigil_project_registration_##Class{std::make_unique<Class>()}
