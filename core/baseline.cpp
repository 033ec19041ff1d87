#include "core/baseline.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace vigil {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// "9f2c...:2" -> "9f2c..." (the copy number is counted, not matched).
std::string fingerprint_hash(const std::string& fp) { return fp.substr(0, fp.find(':')); }

// Runs a command, returning its standard output; throws with its stderr tail on failure.
std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run git");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = ::pclose(pipe);
  if (status != 0) {
    while (!out.empty() && out.back() == '\n') out.pop_back();
    throw std::runtime_error(out.substr(out.size() > 300 ? out.size() - 300 : 0));
  }
  return out;
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string render_baseline(const std::vector<Finding>& findings) {
  std::map<std::tuple<std::string, std::string, std::string>, int> counts;
  for (const auto& f : findings)
    if (!f.suppressed) ++counts[{f.path, f.rule_id, fingerprint_hash(f.fingerprint)}];
  json entries = json::array();
  for (const auto& [key, count] : counts)
    entries.push_back({{"path", std::get<0>(key)}, {"rule_id", std::get<1>(key)}, {"fingerprint", std::get<2>(key)},
                       {"count", count}});
  return json{{"vigil_baseline", 1}, {"findings", entries}}.dump(2) + "\n";
}

size_t apply_baseline(const std::string& file, std::vector<Finding>& findings) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("--baseline " + file + ": cannot read the file");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::exception& e) {
    throw std::runtime_error("--baseline " + file + ": not a vigil baseline (" + e.what() + ")");
  }
  if (!doc.contains("vigil_baseline") || !doc["findings"].is_array())
    throw std::runtime_error("--baseline " + file + ": not a vigil baseline (write one with --write-baseline)");
  std::map<std::tuple<std::string, std::string, std::string>, int> remaining;
  for (const auto& e : doc["findings"])
    remaining[{e.value("path", ""), e.value("rule_id", ""), e.value("fingerprint", "")}] += e.value("count", 1);
  size_t before = findings.size();
  std::erase_if(findings, [&](const Finding& f) {
    auto it = remaining.find({f.path, f.rule_id, fingerprint_hash(f.fingerprint)});
    if (it == remaining.end() || it->second == 0) return false;
    --it->second;
    return true;
  });
  return before - findings.size();
}

bool ChangedLines::contains(const std::string& path, uint32_t line) const {
  if (whole_files.count(path)) return true;
  auto it = lines.find(path);
  return it != lines.end() && it->second.count(line);
}

ChangedLines changed_lines(const std::string& dir, const std::string& ref) {
  std::string git = "git -C " + quoted(dir);
  std::string top = run(git + " rev-parse --show-toplevel");
  while (!top.empty() && top.back() == '\n') top.pop_back();
  ChangedLines out;
  // The work tree (committed or not) against the ref, with no context lines.
  std::istringstream diff(run(git + " diff --no-color --no-ext-diff -U0 " + quoted(ref) + " --"));
  static const std::regex hunk(R"(^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@)");
  std::string line, current;
  while (std::getline(diff, line)) {
    if (line.starts_with("+++ ")) {
      current = line == "+++ /dev/null" ? "" : (fs::path(top) / line.substr(6)).lexically_normal().string();
      continue;
    }
    std::smatch m;
    if (!current.empty() && std::regex_search(line, m, hunk)) {
      uint32_t start = std::stoul(m[1]);
      uint32_t count = m[2].matched ? std::stoul(m[2]) : 1;
      for (uint32_t l = start; l < start + count; ++l) out.lines[current].insert(l);
    }
  }
  std::istringstream untracked(run(git + " ls-files --others --exclude-standard --full-name"));
  while (std::getline(untracked, line))
    if (!line.empty()) out.whole_files.insert((fs::path(top) / line).lexically_normal().string());
  return out;
}

}  // namespace vigil
