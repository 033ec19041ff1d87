// Analysis of one Python file: parse once, traverse once (building the model
// and collecting the nodes checkers asked for), then run the checkers.
#pragma once
#include <tree_sitter/api.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/finding.h"
#include "core/project.h"
#include "core/registry.h"
#include "core/source_file.h"

namespace vigil::python {

struct FileAnalysis {
  std::vector<Finding> findings;
  std::vector<Notice> notices;  // e.g. syntax errors
  std::vector<Fact> facts;      // for the project phase
  bool complete = true;         // false: cut short by the time budget
};

class Checker;
class Model;
class ParentIndex;

// A parsed file with its semantic model, after the single traversal. The
// nodes checkers subscribed to are collected, with their scope, in `visits`.
class ParsedModule {
 public:
  struct Visit {
    TSNode node;
    int scope;
    const std::vector<const Checker*>* checkers;
  };
  // `deadline`: give up parsing or traversing after it (timed_out()).
  ParsedModule(const SourceFile& file, const std::string& package,
               std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());
  ~ParsedModule();
  ParsedModule(const ParsedModule&) = delete;
  ParsedModule& operator=(const ParsedModule&) = delete;

  bool ok() const { return tree_ != nullptr; }
  TSNode root() const;
  const Model& model() const { return *model_; }
  const std::vector<Visit>& visits() const { return visits_; }
  uint32_t syntax_errors() const { return syntax_errors_; }
  uint32_t first_error_line() const { return first_error_line_; }
  bool timed_out() const { return timed_out_; }

 private:
  void traverse();
  TSTree* tree_ = nullptr;
  std::unique_ptr<ParentIndex> parents_;  // parent_of() for this tree, while it lives
  std::unique_ptr<Model> model_;
  std::vector<Visit> visits_;
  uint32_t syntax_errors_ = 0, first_error_line_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  bool timed_out_ = false;
};

// `package` is the dotted package of the file (for relative imports), or "";
// `module` its dotted module name in the project (for project facts).
FileAnalysis analyze(const SourceFile& file, const std::string& package, const RuleSelection& selection,
                     const std::string& module = "", double timeout_seconds = 0);

// The dotted package a file belongs to, from the __init__.py files above it.
std::string package_of(const std::string& path);

}  // namespace vigil::python
