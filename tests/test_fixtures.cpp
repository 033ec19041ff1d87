// The fixture runner: every source file under fixtures/ is scanned and its
// findings must match its `# expect:` annotations in both directions.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/bandit.h"
#include "core/config.h"
#include "core/discovery.h"
#include "core/project.h"
#include "core/scanner.h"
#include "core/fixes.h"
#include "frontends/cpp/analyzer.h"
#include "frontends/python/checker.h"
#include <nlohmann/json.hpp>
#include "tests/fixture_expectations.h"

namespace fs = std::filesystem;
using vigil::testing::compare;
using vigil::testing::parse_expectations;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool is_source(const fs::path& p) { return vigil::language_of(p) != vigil::Language::unknown; }

// A fixture project is a directory holding pyproject.toml or vigil.toml: its files are
// checked when the project is scanned as a whole and when each file is
// scanned alone (as pre-commit does); the answer must be the same.
bool is_project_dir(const fs::path& dir) { return fs::exists(dir / "pyproject.toml") || fs::exists(dir / "vigil.toml"); }

fs::path project_of(const fs::path& file) {
  // Below fixtures/ (whose own vigil.toml only keeps the repository out of it).
  for (fs::path d = file.parent_path(); d.string().size() > std::string(VIGIL_FIXTURES_DIR).size(); d = d.parent_path())
    if (is_project_dir(d)) return d;
  return {};
}

std::string rel(const fs::path& p) { return fs::relative(p, VIGIL_FIXTURES_DIR).generic_string(); }

// Declaration-only headers for libraries Debian lacks (jwt-cpp, Crow, Drogon).
bool is_fixture_include(const fs::path& p) { return rel(p).starts_with("cpp/include/"); }

std::vector<std::string> fixture_files() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(VIGIL_FIXTURES_DIR))
    if (e.is_regular_file() && is_source(e.path()) && !is_fixture_include(e.path())) files.push_back(rel(e.path()));
  std::sort(files.begin(), files.end());
  return files;
}

// Test cases: "file:<path>" (a loose fixture, scanned alone),
// "project:<dir>" (a project scanned whole), "changed:<path>" (one file of
// a project scanned alone, facts still from the whole project).
std::vector<std::string> fixture_cases() {
  std::vector<std::string> cases;
  std::set<std::string> projects;
  for (const auto& f : fixture_files()) {
    fs::path project = project_of(fs::path(VIGIL_FIXTURES_DIR) / f);
    if (project.empty()) {
      cases.push_back("file:" + f);
    } else {
      projects.insert(rel(project));
      cases.push_back("changed:" + f);
    }
  }
  for (const auto& p : projects) cases.push_back("project:" + p);
  std::sort(cases.begin(), cases.end());
  return cases;
}

// The compile database of fixtures/cpp/, written by the test (not kept by
// hand: it holds absolute paths): every source compiled against the Debian
// headers and fixtures/cpp/include.
std::string cpp_compile_database() {
  static const std::string path = [] {
    fs::path dir = fs::path(VIGIL_TEST_BUILD_DIR) / "cpp-fixtures";
    fs::create_directories(dir);
    nlohmann::json db = nlohmann::json::array();
    fs::path root = fs::path(VIGIL_FIXTURES_DIR) / "cpp";
    if (fs::exists(root))
      for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (!e.is_regular_file() || !vigil::cpp::is_translation_unit(e.path().string())) continue;
        std::string command = "clang++ -std=c++17 -fPIC -I" + (root / "include").string() + " " +
                              VIGIL_CPP_FIXTURE_FLAGS + " -c " + e.path().string();
        db.push_back({{"directory", root.string()}, {"file", e.path().string()}, {"command", command}});
      }
    // Test processes run in parallel: write a file of our own, then rename it
    // over the shared one (atomic), so no reader sees a half-written database.
    fs::path own = dir / ("compile_commands.json." + std::to_string(::getpid()));
    std::ofstream(own) << db.dump(2);
    fs::rename(own, dir / "compile_commands.json");
    return (dir / "compile_commands.json").string();
  }();
  return path;
}

// Scans as the CLI does: with the configuration found for the path (a fixture
// project's vigil.toml enables opt-in rules and sets rule options).
vigil::ScanResult scan_result(const fs::path& path, bool whole_project) {
  auto config_file = vigil::find_config(path.string());
  vigil::ScanOptions options = vigil::scan_options_from(config_file ? vigil::load_config(*config_file) : vigil::Config{});
  options.paths = {path.string()};
  options.jobs = 1;
  options.whole_project = whole_project;
  options.compile_commands = cpp_compile_database();
  return vigil::scan(options);
}

std::vector<vigil::Finding> scan_paths(const fs::path& path, bool whole_project) {
  return scan_result(path, whole_project).findings;
}

std::vector<vigil::Finding> scan_one(const fs::path& file) { return scan_paths(file, false); }

std::vector<std::string> check_file(const fs::path& file, const std::vector<vigil::Finding>& all) {
  std::vector<vigil::Finding> mine;
  std::string shown = vigil::display_path(fs::absolute(file).lexically_normal());
  for (const auto& f : all)
    if (f.path == shown && !f.suppressed) mine.push_back(f);  // suppressed findings are not reported
  std::vector<std::string> problems;
  for (const auto& p : compare(parse_expectations(read(file)), mine)) problems.push_back(rel(file) + ": " + p);
  return problems;
}

class Fixture : public ::testing::TestWithParam<std::string> {};

TEST_P(Fixture, FindingsMatchExpectations) {
  const std::string& param = GetParam();
  std::string how = param.substr(0, param.find(':'));
  fs::path path = fs::path(VIGIL_FIXTURES_DIR) / param.substr(how.size() + 1);
  std::vector<std::string> problems;
  if (how == "project") {
    auto findings = scan_paths(path, true);
    std::set<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(path))
      if (e.is_regular_file() && is_source(e.path())) files.insert(e.path().string());
    for (const auto& f : files)
      for (auto& p : check_file(f, findings)) problems.push_back(std::move(p));
    // A finding in a file that is not a source of the project would be missed above.
    for (const auto& f : findings)
      if (!files.count(fs::absolute(f.path).lexically_normal().string()))
        problems.push_back("finding outside the project's files: " + f.path);
  } else {
    vigil::ScanResult result = scan_result(path, how == "changed");
    problems = check_file(path, result.findings);
    // A fixture that does not compile could pass without testing anything.
    for (const auto& n : result.notices)
      if (n.id == "compile-error" || n.id == "clang-failed" || n.id == "syntax-error")
        if (rel(path).find("syntax_errors") == std::string::npos) problems.push_back(n.path + ": " + n.message);
  }
  std::string report;
  for (const auto& p : problems) report += "\n  " + p;
  EXPECT_TRUE(problems.empty()) << report;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(All, Fixture, ::testing::ValuesIn(fixture_cases()), test_name);

// Every safe fix resolves its finding and leaves a file that still parses
// (Python) or compiles (C++): applied to a copy of each fixture, then rescanned.
TEST(Fixes, EveryFixResolvesItsFindingAndTheFileStillParses) {
  fs::path dir = fs::temp_directory_path() / "vigil-fixes-test";
  size_t fixed = 0;
  for (const auto& name : fixture_files()) {
    fs::path original = fs::path(VIGIL_FIXTURES_DIR) / name;
    if (!project_of(original).empty()) continue;
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::path copy = dir / original.filename();
    fs::copy_file(original, copy);
    vigil::ScanOptions options;
    options.paths = {copy.string()};
    options.jobs = 1;
    options.whole_project = false;
    if (vigil::cpp::is_translation_unit(copy.string())) {
      nlohmann::json db = nlohmann::json::array();
      db.push_back({{"directory", dir.string()}, {"file", copy.string()},
                    {"command", "clang++ -std=c++17 -fPIC -I" + (fs::path(VIGIL_FIXTURES_DIR) / "cpp/include").string() +
                                    " " + VIGIL_CPP_FIXTURE_FLAGS + " -c " + copy.string()}});
      std::ofstream(dir / "compile_commands.json") << db.dump();
      options.compile_commands = (dir / "compile_commands.json").string();
    }
    auto before = vigil::scan(options);
    auto files = vigil::plan_fixes(before.findings);
    if (files.empty()) continue;
    ASSERT_EQ(files.size(), 1u) << name;
    std::ofstream(copy, std::ios::binary) << files[0].after;
    auto after = vigil::scan(options);
    for (const auto& f : after.findings)
      EXPECT_TRUE(f.fixes.empty()) << name << ": a fixable finding is still there after --fix: " << f.message;
    for (const auto& n : after.notices)
      EXPECT_TRUE(n.id != "syntax-error" && n.id != "compile-error") << name << ": the fix broke the file: " << n.message;
    EXPECT_TRUE(vigil::plan_fixes(after.findings).empty()) << name << ": --fix is not idempotent";
    fixed += files[0].fixes;
  }
  fs::remove_all(dir);
  EXPECT_GE(fixed, 3u) << "the fixtures exercise the fixes of VG106, VG308 and VG506";
}

// The runner itself must fail on a missed expectation and on an extra finding.
TEST(FixtureRunner, ReportsMissingAndUnexpectedFindings) {
  fs::path dir = fs::temp_directory_path() / "vigil-runner-selftest";
  fs::create_directories(dir);
  fs::path file = dir / "case.py";
  std::ofstream(file) << "import sqlite3\n"
                         "def f(conn: sqlite3.Connection, name):\n"
                         "    conn.execute(f\"SELECT * FROM t WHERE n = '{name}'\")\n"
                         "    conn.execute(\"SELECT 1\")  # expect: VG301\n";
  auto problems = compare(parse_expectations(read(file)), scan_one(file));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find("line 3: unexpected VG301"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("line 4: expected VG301, not reported"), std::string::npos) << problems[1];
  fs::remove_all(dir);
}

TEST(FixtureRunner, ParsesSeveralIdsAndIgnoresOtherComments) {
  auto e = parse_expectations("a  # expect: VG301, VG102\nb  # expected VG301\nc // expect: VG105\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[1], (std::vector<std::string>{"VG102", "VG301"}));
  EXPECT_EQ(e[3], (std::vector<std::string>{"VG105"}));
}

TEST(FixtureRunner, EveryRuleWithACheckerHasFixtures) {
  std::set<std::string> rules;
  for (const auto& c : vigil::python::checker_list())
    for (const auto& id : c->rule_ids()) rules.insert(id);
  for (const auto& c : vigil::project_checker_list())
    for (const auto& id : c->rule_ids()) rules.insert(id);
  for (const auto& id : vigil::cpp::checker_rule_ids()) rules.insert(id);
  ASSERT_FALSE(rules.empty());
  for (const auto& rule : rules) {
    bool found = false;
    for (const auto& f : fixture_files())
      for (const auto& [line, ids] : parse_expectations(read(fs::path(VIGIL_FIXTURES_DIR) / f)))
        if (std::find(ids.begin(), ids.end(), rule) != ids.end()) found = true;
    EXPECT_TRUE(found) << rule << " has no fixture expectation";
  }
}

// Every Bandit ID that maps to a rule is pinned by a Python fixture line that
// names it: where vigil reports it, the line expects the rule; where vigil
// deliberately does not (B603) or reports the call instead of the import
// (B403), the line is a negative case.
TEST(FixtureRunner, EveryMappedBanditIdHasAFixtureLine) {
  using Coverage = vigil::BanditCheck::Coverage;
  std::vector<std::pair<std::string, std::vector<std::string>>> lines;  // text, expected rules
  for (const auto& f : fixture_files()) {
    if (vigil::language_of(f) != vigil::Language::python) continue;
    std::string text = read(fs::path(VIGIL_FIXTURES_DIR) / f);
    auto expectations = parse_expectations(text);
    std::istringstream in(text);
    std::string line;
    for (uint32_t n = 1; std::getline(in, line); ++n) {
      auto it = expectations.find(n);
      lines.emplace_back(line, it == expectations.end() ? std::vector<std::string>{} : it->second);
    }
  }
  auto names = [](const std::string& line, std::string_view id) {
    for (size_t at = line.find(id); at != std::string::npos; at = line.find(id, at + 1)) {
      bool before = at == 0 || !std::isalnum(static_cast<unsigned char>(line[at - 1]));
      bool after = at + id.size() >= line.size() || !std::isalnum(static_cast<unsigned char>(line[at + id.size()]));
      if (before && after) return true;
    }
    return false;
  };
  for (const auto& c : vigil::bandit_checks()) {
    if (c.coverage == Coverage::none) continue;
    bool want_finding = c.coverage == Coverage::reported;
    bool found = false;
    for (const auto& [text, expected] : lines) {
      if (!names(text, c.id)) continue;
      bool expects_rule = std::find(expected.begin(), expected.end(), c.rule) != expected.end();
      if (expects_rule == want_finding) found = true;
    }
    EXPECT_TRUE(found) << c.id << " (" << c.name << "): no fixture line names it"
                       << (want_finding ? " and expects " + std::string(c.rule) : " as a negative case");
  }
}

}  // namespace
