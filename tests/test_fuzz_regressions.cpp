// Inputs a fuzzer failed on (and hand-written malformed ones), replayed through the same target code
// (fuzz/targets.cpp). Under scripts/test.sh --asan these run with ASan+UBSan,
// so a return of the defect is caught even where it would not crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/targets.h"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> inputs(const std::string& target) {
  std::vector<std::string> out;
  fs::path dir = fs::path(VIGIL_FUZZ_REGRESSIONS_DIR) / target;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    out.push_back(s.str());
  }
  return out;
}

}  // namespace

TEST(FuzzRegressions, PythonInputsAnalyseWithoutFailing) {
  auto all = inputs("python");
  ASSERT_FALSE(all.empty());
  for (const auto& bytes : all) EXPECT_NO_THROW(vigil::fuzz::python_file(bytes));
}

TEST(FuzzRegressions, ConfigInputsParseWithoutFailing) {
  auto all = inputs("config");
  ASSERT_FALSE(all.empty());
  for (const auto& bytes : all) EXPECT_NO_THROW(vigil::fuzz::config_and_comments(bytes));
}
