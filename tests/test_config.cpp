// Configuration files and in-source suppressions, on their own.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/bandit.h"
#include "core/config.h"
#include "core/suppression.h"

namespace fs = std::filesystem;
using namespace vigil;

namespace {

struct Dir {
  fs::path path = fs::temp_directory_path() / ("vigil-config-" + std::to_string(::getpid()));
  Dir() { fs::create_directories(path); }
  ~Dir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) {
    fs::create_directories((path / name).parent_path());
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

std::string error_of(const std::string& file) {
  try {
    load_config(file);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Config, ReadsEveryKey) {
  Dir d;
  std::string file = d.write("vigil.toml", R"(select = ["VG1", "VG3"]
extend-select = ["VG000"]
ignore = ["VG108"]
exclude = ["migrations/"]
fail-on = "high"
jobs = 2
require-rule-ids = true
compile-commands = "build"
extra-args = ["-DNDEBUG"]

[per-file-ignores]
"tests/**" = ["VG104", "VG103"]

[severity-overrides]
VG301 = "critical"

[rules.VG603]
min-iterations = 1000000
)");
  Config c = load_config(file);
  EXPECT_EQ(c.select, (std::vector<std::string>{"VG1", "VG3"}));
  EXPECT_EQ(c.extend_select, (std::vector<std::string>{"VG000"}));
  EXPECT_EQ(c.ignore, (std::vector<std::string>{"VG108"}));
  EXPECT_EQ(c.fail_on, Severity::high);
  EXPECT_EQ(c.jobs, 2u);
  EXPECT_TRUE(c.require_rule_ids);
  EXPECT_EQ(c.compile_commands, (d.path / "build").string());
  ASSERT_EQ(c.per_file_ignores.size(), 1u);
  EXPECT_EQ(c.per_file_ignores[0].first, "tests/**");
  EXPECT_EQ(c.severity_overrides.at("VG301"), Severity::critical);
  EXPECT_EQ(c.rule_options["VG603"]["min-iterations"], 1000000);
}

TEST(Config, MistakesNameFileLineAndColumn) {
  Dir d;
  EXPECT_NE(error_of(d.write("a.toml", "select = [\"VG3\"]\nbogus = 1\n")).find("a.toml:2:1: unknown key 'bogus'"),
            std::string::npos);
  EXPECT_NE(error_of(d.write("b.toml", "jobs = \"two\"\n")).find("b.toml:1:8: `jobs` must be an integer"),
            std::string::npos)
      << error_of(d.path / "b.toml");
  EXPECT_NE(error_of(d.write("c.toml", "ignore = [\"VG999\"]\n")).find("unknown rule code 'VG999'"), std::string::npos);
  EXPECT_NE(error_of(d.write("d.toml", "[rules.VG603]\nmax-speed = 3\n")).find("d.toml:2:1: unknown option 'max-speed'"),
            std::string::npos);
  EXPECT_NE(error_of(d.write("e.toml", "select = [\n")).find("e.toml:"), std::string::npos);  // TOML syntax error
  EXPECT_NE(error_of(d.write("f.toml", "fail-on = \"extreme\"\n")).find("f.toml:1:11"), std::string::npos);
}

TEST(Config, NearestFileWinsAndPyprojectNeedsToolVigil) {
  Dir d;
  d.write("pyproject.toml", "[tool.vigil]\nignore = [\"VG104\"]\n");
  d.write("pkg/pyproject.toml", "[project]\nname = \"x\"\n");  // no [tool.vigil]: not a config
  d.write("pkg/sub/x.py", "");
  d.write("other/.vigil.toml", "ignore = [\"VG3\"]\n");
  d.write("other/y.py", "");
  EXPECT_EQ(find_config((d.path / "pkg/sub/x.py").string()), (d.path / "pyproject.toml").string());
  EXPECT_EQ(find_config((d.path / "other/y.py").string()), (d.path / "other/.vigil.toml").string());
  EXPECT_EQ(load_config((d.path / "pyproject.toml").string()).ignore, (std::vector<std::string>{"VG104"}));
}

TEST(Selection, OptInRulesNeedTheirFullId) {
  RuleSelection defaults;
  EXPECT_TRUE(defaults.enabled("VG301"));
  EXPECT_FALSE(defaults.enabled("VG000"));
  EXPECT_FALSE(RuleSelection({"VG"}, {}).enabled("VG000"));
  EXPECT_TRUE(RuleSelection({}, {}, {"VG000"}).enabled("VG000"));
  EXPECT_TRUE(RuleSelection({"ALL"}, {}).enabled("VG000"));
  EXPECT_FALSE(RuleSelection({}, {"VG3"}, {"VG301"}).enabled("VG301"));  // ignore wins
}

// ---------------------------------------------------------------- suppressions

namespace {

std::vector<Suppression> parse(const std::string& text, Language lang = Language::python, SuppressionOptions o = {}) {
  return parse_suppressions(text, lang, o);
}

}  // namespace

TEST(Suppressions, VigilCommentsCoverTheirLineOrTheNextStatement) {
  auto s = parse("a = 1  # vigil: ignore[VG301, VG1] -- reviewed\n"
                 "# vigil: ignore[VG104]\n"
                 "call(\n"
                 "    'x',\n"
                 ")\n"
                 "b = '# vigil: ignore[VG999]'\n"
                 "# vigil: ignore-file[VG5]\n");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].codes, (std::vector<std::string>{"VG301", "VG1"}));
  EXPECT_EQ(s[0].justification, "reviewed");
  EXPECT_EQ(s[0].from, 1u);
  EXPECT_EQ(s[0].to, 1u);
  EXPECT_EQ(s[1].from, 3u);  // the statement below, all its lines
  EXPECT_EQ(s[1].to, 5u);
  EXPECT_TRUE(s[2].whole_file);
}

TEST(Suppressions, MigrationAliases) {
  auto py = parse("a()  # nosec\nb()  # nosec B608, B105\nc()  # noqa: S608,E501\nd()  # noqa: E501\n");
  ASSERT_EQ(py.size(), 3u);
  EXPECT_TRUE(py[0].all);
  EXPECT_EQ(py[1].codes, (std::vector<std::string>{"VG301", "VG104"}));
  EXPECT_EQ(py[2].codes, (std::vector<std::string>{"VG301"}));
  auto cpp = parse("f(); // NOLINT\n// NOLINTNEXTLINE(vigil-VG309, bugprone-x)\ng();\nh(); /* Flawfinder: ignore */\n"
                   "const char* s = \"// NOLINT\";\n",
                   Language::cpp);
  ASSERT_EQ(cpp.size(), 3u);
  EXPECT_TRUE(cpp[0].all);
  EXPECT_EQ(cpp[1].codes, (std::vector<std::string>{"VG309"}));
  EXPECT_EQ(cpp[1].from, 3u);
  EXPECT_EQ(cpp[2].origin, "flawfinder");
  SuppressionOptions strict;
  strict.require_rule_ids = true;
  EXPECT_EQ(parse("a()  # nosec\nb()  # nosec B608\n", Language::python, strict).size(), 1u);
  SuppressionOptions no_aliases;
  no_aliases.aliases = false;
  EXPECT_TRUE(parse("a()  # nosec\n", Language::python, no_aliases).empty());
}

TEST(Suppressions, AppliedToFindingsAndUnusedOnesReported) {
  std::string text = "x = q  # vigil: ignore[VG301]\ny = q  # vigil: ignore[VG104]\n";
  SuppressionOptions o;
  o.report_unused = true;
  auto s = parse(text, Language::python, o);
  Finding sql;
  sql.rule_id = "VG301";
  sql.region = {1, 5, 1, 6};
  std::vector<Finding*> findings{&sql};
  RuleSelection all({}, {}, {"VG000"});
  auto unused = apply_suppressions(findings, s, "a.py", text, all, o);
  EXPECT_TRUE(sql.suppressed);
  ASSERT_EQ(unused.size(), 1u);
  EXPECT_EQ(unused[0].rule_id, "VG000");
  EXPECT_EQ(unused[0].region.start_line, 2u);
  // The VG104 comment is not judged when VG104 did not run.
  auto s2 = parse(text, Language::python, o);
  EXPECT_TRUE(apply_suppressions(findings, s2, "a.py", text, RuleSelection({"VG3"}, {}, {"VG000"}), o).empty());
}

TEST(Suppressions, EveryBanditIdMapsToAKnownRuleOrSaysWhyNot) {
  std::string previous;
  for (const auto& c : bandit_checks()) {
    EXPECT_EQ(c.id.size(), 4u) << c.id;
    EXPECT_LT(previous, c.id) << "bandit_checks() is kept in ID order, without duplicates";
    previous = c.id;
    EXPECT_FALSE(c.note.empty()) << c.id;
    if (c.coverage == BanditCheck::Coverage::none) {
      EXPECT_TRUE(c.rule.empty()) << c.id;
    } else {
      EXPECT_NE(Registry::instance().find(std::string(c.rule)), nullptr) << c.id << " maps to unknown " << c.rule;
    }
  }
  EXPECT_EQ(bandit_to_vigil({"B608", "B105", "B999", "B613"}), (std::vector<std::string>{"VG301", "VG104"}));
}
