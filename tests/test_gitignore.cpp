#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/discovery.h"
#include "core/gitignore.h"

using vigil::glob_match;
using vigil::IgnoreFile;
namespace fs = std::filesystem;

TEST(Glob, StarsDoNotCrossSlashes) {
  EXPECT_TRUE(glob_match("*.py", "a.py"));
  EXPECT_FALSE(glob_match("*.py", "d/a.py"));
  EXPECT_TRUE(glob_match("d/*.py", "d/a.py"));
  EXPECT_TRUE(glob_match("a?c", "abc"));
  EXPECT_FALSE(glob_match("a?c", "a/c"));
}

TEST(Glob, DoubleStarSegments) {
  EXPECT_TRUE(glob_match("**/foo", "foo"));
  EXPECT_TRUE(glob_match("**/foo", "a/b/foo"));
  EXPECT_TRUE(glob_match("a/**", "a/b/c"));
  EXPECT_TRUE(glob_match("a/**/b", "a/b"));
  EXPECT_TRUE(glob_match("a/**/b", "a/x/y/b"));
  EXPECT_FALSE(glob_match("a/**/b", "ab"));
}

TEST(Glob, ClassesAndEscapes) {
  EXPECT_TRUE(glob_match("[abc].py", "b.py"));
  EXPECT_FALSE(glob_match("[!abc].py", "b.py"));
  EXPECT_TRUE(glob_match("[a-c]x", "bx"));
  EXPECT_TRUE(glob_match("\\*x", "*x"));
  EXPECT_FALSE(glob_match("\\*x", "ax"));
}

TEST(IgnoreFile, LastMatchWinsAndNegation) {
  auto f = IgnoreFile::parse("# comment\n*.py\n!keep.py\nbuild/\n/top.txt\n");
  EXPECT_EQ(f.match("a.py", false), IgnoreFile::Verdict::ignored);
  EXPECT_EQ(f.match("sub/a.py", false), IgnoreFile::Verdict::ignored);
  EXPECT_EQ(f.match("keep.py", false), IgnoreFile::Verdict::included);
  EXPECT_EQ(f.match("build", true), IgnoreFile::Verdict::ignored);
  EXPECT_EQ(f.match("build", false), IgnoreFile::Verdict::none);  // dir-only pattern
  EXPECT_EQ(f.match("top.txt", false), IgnoreFile::Verdict::ignored);
  EXPECT_EQ(f.match("sub/top.txt", false), IgnoreFile::Verdict::none);  // anchored
}

TEST(IgnoreFile, TrailingSpacesAndEscapedHash) {
  auto f = IgnoreFile::parse("a.py   \n\\#b.py\n");
  EXPECT_EQ(f.match("a.py", false), IgnoreFile::Verdict::ignored);
  EXPECT_EQ(f.match("#b.py", false), IgnoreFile::Verdict::ignored);
}

namespace {
struct TempTree {
  fs::path root = fs::temp_directory_path() / ("vigil-discovery-" + std::to_string(::getpid()));
  TempTree() { fs::create_directories(root); }
  ~TempTree() { fs::remove_all(root); }
  void write(const std::string& rel, const std::string& text = "x = 1\n") {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << text;
  }
  std::vector<std::string> found(std::vector<std::string> excludes = {}) {
    vigil::DiscoveryOptions o;
    o.excludes = std::move(excludes);
    auto d = vigil::discover({root.string()}, o);
    std::vector<std::string> out;
    for (auto& f : d.files) out.push_back(fs::relative(f.path, root).generic_string());
    return out;
  }
};
}  // namespace

TEST(Discovery, HonoursNestedGitignoresAndSkipsVenvs) {
  TempTree t;
  t.write("a.py");
  t.write(".gitignore", "gen_*.py\n");
  t.write("gen_x.py");
  t.write("pkg/.gitignore", "!gen_keep.py\nlocal.py\n");
  t.write("pkg/gen_keep.py");
  t.write("pkg/local.py");
  t.write("pkg/b.pyi");
  t.write("node_modules/x.py");
  t.write("env1/pyvenv.cfg", "");
  t.write("env1/lib/y.py");
  t.write("notes.txt", "");
  EXPECT_EQ(t.found(), (std::vector<std::string>{"a.py", "pkg/b.pyi", "pkg/gen_keep.py"}));
  EXPECT_EQ(t.found({"pkg/"}), (std::vector<std::string>{"a.py"}));
}

TEST(Discovery, NamedFilesAreAlwaysScannedAndMissingPathsReported) {
  TempTree t;
  t.write(".gitignore", "*.py\n");
  t.write("ignored.py");
  auto d = vigil::discover({(t.root / "ignored.py").string(), (t.root / "nope.py").string()}, {});
  ASSERT_EQ(d.files.size(), 1u);
  ASSERT_EQ(d.missing.size(), 1u);
  EXPECT_NE(d.missing[0].find("nope.py"), std::string::npos);
}

TEST(Discovery, SymlinksStayInsideTheRootAndLoopsAreCaught) {
  TempTree t;
  t.write("in/a.py");
  fs::path outside = fs::temp_directory_path() / ("vigil-outside-" + std::to_string(::getpid()));
  fs::create_directories(outside);
  std::ofstream(outside / "secret.py") << "x = 1\n";
  fs::create_directory_symlink(outside, t.root / "out");
  fs::create_directory_symlink(t.root / "in", t.root / "in" / "loop");
  vigil::DiscoveryOptions o;
  auto d = vigil::discover({t.root.string()}, o);
  fs::remove_all(outside);
  ASSERT_EQ(d.files.size(), 1u);
  bool outside_noted = false, loop_noted = false;
  for (auto& n : d.notices) {
    outside_noted |= n.id == "symlink-outside-root";
    loop_noted |= n.id == "symlink-loop";
  }
  EXPECT_TRUE(outside_noted);
  EXPECT_TRUE(loop_noted);
}
