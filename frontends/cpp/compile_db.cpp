#include "frontends/cpp/compile_db.h"

#include <clang/Driver/Options.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <llvm/Option/ArgList.h>
#include <llvm/Option/OptTable.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>

#include "core/discovery.h"

#ifndef VIGIL_CLANG_RESOURCE_DIR
#error "VIGIL_CLANG_RESOURCE_DIR must name clang's resource directory (set by cmake/Clang.cmake)"
#endif

namespace vigil::cpp {
namespace fs = std::filesystem;
using clang::tooling::CompilationDatabase;

namespace {

std::unique_ptr<CompilationDatabase> load(const fs::path& path, std::string& error) {
  std::error_code ec;
  // Malformed JSON is said here, with its position: clang's reader would
  // print a YAML parser error straight to stderr.
  fs::path file = fs::is_directory(path, ec) ? path / "compile_commands.json" : path;
  if (std::ifstream in(file, std::ios::binary); in) {
    try {
      (void)nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
      error = std::string("malformed JSON: ") + e.what();
      return nullptr;
    }
  }
  if (fs::is_directory(path, ec)) return CompilationDatabase::loadFromDirectory(path.string(), error);
  return clang::tooling::JSONCompilationDatabase::loadFromFile(path.string(), error,
                                                                clang::tooling::JSONCommandLineSyntax::AutoDetect);
}

// compile_commands.json in a directory or its build/, from `start` upwards.
std::optional<fs::path> search(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (;; dir = dir.parent_path()) {
    for (const fs::path& candidate : {dir / "compile_commands.json", dir / "build" / "compile_commands.json"})
      if (fs::is_regular_file(candidate, ec)) return candidate;
    if (dir == dir.parent_path() || dir.empty()) return std::nullopt;
  }
}

// Removes the arguments clang's driver does not know (GCC-only flags such as
// -fno-canonical-system-headers), which would otherwise fail the command.
std::vector<std::string> strip_unknown(std::vector<std::string> args, std::vector<std::string>& dropped) {
  if (args.size() < 2) return args;
  std::vector<const char*> argv;
  for (size_t i = 1; i < args.size(); ++i) argv.push_back(args[i].c_str());
  unsigned missing_index = 0, missing_count = 0;
  const llvm::opt::OptTable& table = clang::driver::getDriverOptTable();
  llvm::opt::InputArgList parsed = table.ParseArgs(argv, missing_index, missing_count);
  std::set<std::string> unknown;
  for (const llvm::opt::Arg* a : parsed.filtered(clang::driver::options::OPT_UNKNOWN))
    unknown.insert(a->getAsString(parsed));
  if (unknown.empty()) return args;
  std::vector<std::string> kept{args[0]};
  for (size_t i = 1; i < args.size(); ++i) {
    if (unknown.count(args[i])) dropped.push_back(args[i]);
    else kept.push_back(args[i]);
  }
  return kept;
}

}  // namespace

CompileDatabase::CompileDatabase(const std::string& explicit_path, const std::vector<std::string>& search_from,
                                 std::vector<std::string> extra_args, std::vector<Notice>& notices)
    : extra_args_(std::move(extra_args)) {
  std::string error;
  bool unreadable = false;
  if (!explicit_path.empty()) {
    db_ = load(explicit_path, error);
    if (!db_) throw std::runtime_error("--compile-commands " + explicit_path + ": " + error);
  } else {
    for (const auto& start : search_from) {
      if (auto found = search(start)) {
        db_ = load(*found, error);
        if (db_) break;
        notices.push_back({Notice::Level::warning, "compile-database-unreadable", display_path(*found), 0,
                           "cannot read the compilation database: " + error});
        unreadable = true;
      }
    }
  }
  if (db_) {
    // Headers and files missing from the database borrow the command of the
    // most similar file; `g++`-style drivers are understood.
    db_ = clang::tooling::inferTargetAndDriverMode(clang::tooling::inferMissingCompileCommands(std::move(db_)));
    return;
  }
  std::vector<std::string> flags{"-std=c++17"};
  flags.insert(flags.end(), extra_args_.begin(), extra_args_.end());
  extra_args_.clear();
  db_ = std::make_unique<clang::tooling::FixedCompilationDatabase>(".", flags);
  fallback_ = true;
  std::string shown;
  for (const auto& f : flags) shown += " " + f;
  notices.push_back({Notice::Level::note, "no-compile-database", "", 0,
                     std::string(unreadable ? "no readable compile_commands.json" : "no compile_commands.json found") +
                         " (pass --compile-commands); C++ files are parsed with" + shown + " (C files with -std=c17)"});
}

CommandLine CompileDatabase::command_for(const std::string& file) const {
  using namespace clang::tooling;
  auto commands = db_->getCompileCommands(file);
  CommandLine out;
  if (commands.empty()) {  // not even an inferred command: parse with defaults
    out.args = {"clang++", fs::path(file).extension() == ".c" ? "-std=c17" : "-std=c++17", file};
    out.directory = fs::path(file).parent_path().string();
  } else {
    out.args = commands.front().CommandLine;
    out.directory = commands.front().Directory;
  }
  ArgumentsAdjuster adjust = combineAdjusters(
      combineAdjusters(getClangStripOutputAdjuster(), getClangSyntaxOnlyAdjuster()),
      getClangStripDependencyFileAdjuster());
  out.args = adjust(out.args, file);
  out.args = strip_unknown(std::move(out.args), out.dropped);
  // The fallback's C++ standard is wrong for a C file: clang refuses it.
  if (fs::path(file).extension() == ".c")
    for (auto& a : out.args)
      if (a == "-std=c++17" && fallback_) a = "-std=c17";
  // A header parsed on its own is C++ unless its command says otherwise.
  std::string ext = fs::path(file).extension().string();
  bool header = ext == ".h" || ext == ".hh" || ext == ".hpp" || ext == ".hxx" || ext == ".h++" || ext == ".ipp" || ext == ".inl";
  bool has_language = std::any_of(out.args.begin(), out.args.end(), [](const std::string& a) { return a.starts_with("-x"); });
  if (header && !has_language && out.args.size() > 1) {
    out.args.insert(out.args.begin() + 1, "c++-header");
    out.args.insert(out.args.begin() + 1, "-x");
  }
  // Debian's clang finds its builtin headers relative to the clang binary;
  // vigil is not that binary, so the resource directory is named explicitly.
  out.args.insert(out.args.begin() + 1, "-resource-dir=" VIGIL_CLANG_RESOURCE_DIR);
  // Diagnostics go to vigil's consumer; without carets clang also keeps its
  // "N errors generated." summary off stderr.
  out.args.insert(out.args.begin() + 2, "-fno-caret-diagnostics");
  out.args.insert(out.args.end(), extra_args_.begin(), extra_args_.end());
  return out;
}

}  // namespace vigil::cpp
