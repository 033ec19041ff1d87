// The interface every Python checker implements, and how checkers register.
// A checker names the node kinds it wants; the analyzer's single traversal
// hands it each such node with the finished semantic model.
#pragma once
#include <tree_sitter/api.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/project.h"
#include "core/registry.h"
#include "core/source_file.h"
#include "frontends/python/model.h"

namespace vigil::python {

class Context {
 public:
  Context(const SourceFile& file, const Model& model, const RuleSelection& selection,
          std::vector<Finding>& out, std::vector<Fact>& facts, std::string module = "")
      : file_(file), model_(model), selection_(selection), out_(out), facts_(facts), module_(std::move(module)) {}

  const Model& model() const { return model_; }
  const SourceFile& file() const { return file_; }
  int scope() const { return scope_; }  // scope of the node being checked
  void set_scope(int scope) { scope_ = scope; }
  std::string_view text(TSNode node) const { return model_.text(node); }
  bool enabled(std::string_view rule_id) const { return selection_.enabled(rule_id); }
  // A rule option from the configuration, or null.
  const nlohmann::json& option(std::string_view rule_id, std::string_view key) const {
    return selection_.option(rule_id, key);
  }
  // Records a finding of `rule_id` spanning `at`, if that rule is enabled,
  // with the rule's default severity unless `severity` is given.
  void report(std::string_view rule_id, TSNode at, std::string message,
              std::optional<Severity> severity = std::nullopt);
  // Adds a fix to the finding reported last (if one was reported).
  void attach_fix(Fix fix);
  // Like report(), with a safe fix: `at_fix` replaced by `replacement`.
  void report_with_fix(std::string_view rule_id, TSNode at, std::string message, TSNode at_fix,
                       std::string replacement, std::string description);
  // An edit replacing a node's text, or inserting before (empty node range).
  Edit edit(uint32_t start_byte, uint32_t end_byte, std::string replacement) const;
  // Records a fact for the project phase, anchored at `at`.
  void fact(std::string kind, TSNode at, nlohmann::json data);
  // The file's dotted module name in its project ("app.api.users").
  const std::string& module() const { return module_; }

 private:
  Finding located(TSNode at) const;
  const SourceFile& file_;
  const Model& model_;
  const RuleSelection& selection_;
  std::vector<Finding>& out_;
  std::vector<Fact>& facts_;
  std::string module_;
  int scope_ = 0;
};

class Checker {
 public:
  virtual ~Checker() = default;
  virtual std::vector<std::string> rule_ids() const = 0;    // rules this checker can report
  virtual std::vector<std::string> node_kinds() const = 0;  // tree-sitter node kinds it visits
  // Checkers are shared by all threads: check() must not modify the checker.
  virtual void check(TSNode node, Context& ctx) const = 0;
};

std::vector<std::unique_ptr<Checker>>& checker_list();

struct CheckerRegistration {
  explicit CheckerRegistration(std::unique_ptr<Checker> checker) {
    checker_list().push_back(std::move(checker));
  }
};

}  // namespace vigil::python

// Registers a checker class from its own file: one line, no central list to edit.
#define VIGIL_REGISTER_PYTHON_CHECKER(Class) \
  static const ::vigil::python::CheckerRegistration vigil_registration_##Class{std::make_unique<Class>()}
