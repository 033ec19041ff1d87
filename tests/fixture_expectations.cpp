#include "tests/fixture_expectations.h"

#include <algorithm>
#include <regex>
#include <sstream>

namespace vigil::testing {

Expectations parse_expectations(const std::string& text) {
  static const std::regex marker(R"((#|//)\s*expect:\s*(VG[0-9]{3}(\s*,\s*VG[0-9]{3})*)\s*$)");
  static const std::regex id(R"(VG[0-9]{3})");
  Expectations out;
  std::istringstream in(text);
  std::string line;
  for (uint32_t n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (!std::regex_search(line, m, marker)) continue;
    std::string ids = m[2].str();
    for (auto it = std::sregex_iterator(ids.begin(), ids.end(), id); it != std::sregex_iterator(); ++it)
      out[n].push_back(it->str());
    std::sort(out[n].begin(), out[n].end());
  }
  return out;
}

std::vector<std::string> compare(const Expectations& expected, const std::vector<Finding>& findings) {
  Expectations actual;
  std::map<uint32_t, std::string> messages;
  for (const auto& f : findings) {
    actual[f.region.start_line].push_back(f.rule_id);
    messages[f.region.start_line] += " " + f.rule_id + ": " + f.message + ";";
  }
  for (auto& [line, ids] : actual) std::sort(ids.begin(), ids.end());
  std::vector<std::string> problems;
  auto lines = [](const Expectations& e) {
    std::vector<uint32_t> out;
    for (const auto& [l, ids] : e) out.push_back(l);
    return out;
  };
  std::vector<uint32_t> all = lines(expected), got = lines(actual);
  all.insert(all.end(), got.begin(), got.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  for (uint32_t line : all) {
    std::vector<std::string> want = expected.count(line) ? expected.at(line) : std::vector<std::string>{};
    std::vector<std::string> have = actual.count(line) ? actual.at(line) : std::vector<std::string>{};
    std::vector<std::string> missing, unexpected;
    std::set_difference(want.begin(), want.end(), have.begin(), have.end(), std::back_inserter(missing));
    std::set_difference(have.begin(), have.end(), want.begin(), want.end(), std::back_inserter(unexpected));
    for (const auto& id : missing) problems.push_back("line " + std::to_string(line) + ": expected " + id + ", not reported");
    for (const auto& id : unexpected)
      problems.push_back("line " + std::to_string(line) + ": unexpected " + id + " —" + messages[line]);
  }
  return problems;
}

}  // namespace vigil::testing
