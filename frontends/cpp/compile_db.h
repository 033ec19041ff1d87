// The compilation database: where it is found, and how its commands are
// turned into the command line vigil runs clang with.
#pragma once
#include <clang/Tooling/CompilationDatabase.h>

#include <memory>
#include <string>
#include <vector>

#include "core/finding.h"

namespace vigil::cpp {

struct CommandLine {
  std::vector<std::string> args;     // argv, ready for clang::tooling::ToolInvocation
  std::string directory;             // working directory of the command
  std::vector<std::string> dropped;  // flags clang does not know (GCC-only), removed
};

class CompileDatabase {
 public:
  // `explicit_path`: --compile-commands DIR|FILE ("" to search upwards from
  // `search_from`, in each directory and its build/). Without any database,
  // every file gets `-std=c++17` and a notice says so.
  CompileDatabase(const std::string& explicit_path, const std::vector<std::string>& search_from,
                  std::vector<std::string> extra_args, std::vector<Notice>& notices);
  // The command for a file: from the database, inferred from a similar file
  // (headers, files missing from it), or the fallback flags.
  CommandLine command_for(const std::string& file) const;

 private:
  std::unique_ptr<clang::tooling::CompilationDatabase> db_;
  std::vector<std::string> extra_args_;
  bool fallback_ = false;  // no database: the fixed -std=c++17 command
};

}  // namespace vigil::cpp
