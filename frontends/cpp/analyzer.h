// The C++ frontend as the scanner sees it: no clang types here, so only the
// frontend's own translation units pay for clang's headers.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/finding.h"
#include "core/project.h"
#include "core/registry.h"

namespace vigil::cpp {

struct Options {
  std::string compile_commands;          // --compile-commands DIR|FILE; "" searches
  std::vector<std::string> extra_args;   // --extra-arg, appended to every command
  std::vector<std::string> search_from;  // directories where the search for compile_commands.json starts
};

struct TuAnalysis {
  // In the translation unit's file and in the user headers it includes;
  // never in system headers. The scanner keeps those in scanned files.
  std::vector<Finding> findings;
  std::vector<Notice> notices;
  std::vector<Fact> facts;
  bool analysed = false;
};

// One per scan: the compilation database and how clang is run on a TU.
// analyze() may be called from several threads at once.
class Session {
 public:
  // Appends notices about the database (none found, fallback flags).
  // Throws std::runtime_error when --compile-commands cannot be loaded.
  Session(const Options& options, std::vector<Notice>& notices);
  ~Session();
  // `contents`, when given, replaces the file's text on disk (an editor buffer).
  TuAnalysis analyze(const std::string& file, const std::string& display, const RuleSelection& selection,
                     const std::string* contents = nullptr) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Source files are translation units; headers are analysed through them.
bool is_translation_unit(const std::string& path);

// The rules the registered C++ checkers report (for the registry's tests).
std::vector<std::string> checker_rule_ids();

}  // namespace vigil::cpp
