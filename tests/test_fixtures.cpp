// The fixture runner: every source file under fixtures/ is scanned and its
// findings must match its `# expect:` annotations in both directions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/scanner.h"
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

std::vector<std::string> fixture_files() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(VIGIL_FIXTURES_DIR))
    if (e.is_regular_file() && vigil::language_of(e.path()) != vigil::Language::unknown)
      files.push_back(fs::relative(e.path(), VIGIL_FIXTURES_DIR).generic_string());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<vigil::Finding> scan_one(const fs::path& file) {
  vigil::ScanOptions options;
  options.paths = {file.string()};
  options.jobs = 1;
  return vigil::scan(options).findings;
}

class Fixture : public ::testing::TestWithParam<std::string> {};

TEST_P(Fixture, FindingsMatchExpectations) {
  fs::path file = fs::path(VIGIL_FIXTURES_DIR) / GetParam();
  auto problems = compare(parse_expectations(read(file)), scan_one(file));
  std::string report;
  for (const auto& p : problems) report += "\n  " + GetParam() + ": " + p;
  EXPECT_TRUE(problems.empty()) << report;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(All, Fixture, ::testing::ValuesIn(fixture_files()), test_name);

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
  for (const char* rule : {"VG301"}) {
    bool found = false;
    for (const auto& f : fixture_files())
      for (const auto& [line, ids] : parse_expectations(read(fs::path(VIGIL_FIXTURES_DIR) / f)))
        if (std::find(ids.begin(), ids.end(), rule) != ids.end()) found = true;
    EXPECT_TRUE(found) << rule << " has no fixture expectation";
  }
}

}  // namespace
