// Baselines (known findings a team has accepted for now) and changed lines
// (only what a pull request touches).
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/finding.h"

namespace vigil {

// The baseline file: each finding's fingerprint (rule + file + normalised
// source line, not the line number) with how many copies there are.
std::string render_baseline(const std::vector<Finding>& findings);

// Removes the findings the baseline knows, copy for copy: a second copy of a
// known problem is new. Returns how many were removed. Throws
// std::runtime_error naming the file when it cannot be read.
size_t apply_baseline(const std::string& file, std::vector<Finding>& findings);

// The lines changed since `ref` in the git work tree holding `dir` (files
// git does not track yet count as changed whole), by absolute path.
// Throws std::runtime_error with git's message.
struct ChangedLines {
  std::map<std::string, std::set<uint32_t>> lines;
  std::set<std::string> whole_files;
  bool contains(const std::string& absolute_path, uint32_t line) const;
};
ChangedLines changed_lines(const std::string& dir, const std::string& ref);

}  // namespace vigil
