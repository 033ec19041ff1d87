// The interface every C++ checker implements. Like a clang-tidy check, a
// checker registers AST matchers (resolved by declaration: `::sqlite3_exec`,
// `pqxx::transaction_base::exec`, never by spelling) and is called back with
// each match. Matching is limited to declarations outside system headers.
#pragma once
#include <clang/AST/ASTContext.h>
#include <clang/ASTMatchers/ASTMatchFinder.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/project.h"
#include "core/registry.h"

namespace vigil::cpp {

namespace match = clang::ast_matchers;

class Context {
 public:
  Context(const RuleSelection& selection, std::vector<Finding>& out, std::vector<Fact>& facts)
      : selection_(selection), out_(out), facts_(facts) {}
  void set_ast(clang::ASTContext* ast) { ast_ = ast; }
  clang::ASTContext& ast() const { return *ast_; }
  const clang::SourceManager& sm() const { return ast_->getSourceManager(); }
  bool enabled(std::string_view rule_id) const { return selection_.enabled(rule_id); }
  // A rule option from the configuration, or null.
  const nlohmann::json& option(std::string_view rule_id, std::string_view key) const {
    return selection_.option(rule_id, key);
  }
  // Records a finding spanning `at` (macro uses are reported where they are
  // expanded), unless the location is in a system header.
  void report(std::string_view rule_id, clang::SourceRange at, std::string message,
              std::optional<Severity> severity = std::nullopt);
  // Like report(), with a safe fix inserting `text` at `where` (in the same file).
  void report_with_insertion(std::string_view rule_id, clang::SourceRange at, std::string message,
                             clang::SourceLocation where, std::string text, std::string description);
  void fact(std::string kind, clang::SourceRange at, nlohmann::json data);
  // The source text of a range, shortened for messages.
  std::string text(clang::SourceRange range, size_t max = 60) const;
  // The function whose body holds `node`, or null (also null inside a lambda).
  const clang::FunctionDecl* enclosing_function(const clang::Stmt& node) const;
  // The body of the innermost function or lambda holding `node`, or null.
  const clang::Stmt* enclosing_body(const clang::Stmt& node) const;

 private:
  std::optional<Finding> located(clang::SourceRange at) const;
  const RuleSelection& selection_;
  std::vector<Finding>& out_;
  std::vector<Fact>& facts_;
  clang::ASTContext* ast_ = nullptr;
};

class Checker {
 public:
  virtual ~Checker() = default;
  virtual std::vector<std::string> rule_ids() const = 0;
  // Adds this checker's matchers, each with `callback`, which calls check().
  virtual void register_matchers(match::MatchFinder& finder, match::MatchFinder::MatchCallback* callback) const = 0;
  // Shared by all threads: must not modify the checker.
  virtual void check(const match::MatchFinder::MatchResult& result, Context& ctx) const = 0;
};

std::vector<std::unique_ptr<Checker>>& checker_list();

// The value of an integer constant expression (`0644`, `S_IRWXU | S_IRGRP`, `1L`), or nullopt.
inline std::optional<int64_t> integer(const clang::Expr* e, const clang::ASTContext& ast) {
  clang::Expr::EvalResult result;
  if (!e || e->isValueDependent() || !e->EvaluateAsInt(result, ast)) return std::nullopt;
  return result.Val.getInt().getExtValue();
}

struct CheckerRegistration {
  explicit CheckerRegistration(std::unique_ptr<Checker> checker) { checker_list().push_back(std::move(checker)); }
};

}  // namespace vigil::cpp

#define VIGIL_REGISTER_CPP_CHECKER(Class) \
  static const ::vigil::cpp::CheckerRegistration vigil_cpp_registration_##Class{std::make_unique<Class>()}
