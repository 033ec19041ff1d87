#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/project.h"
#include "core/bandit.h"
#include "core/registry.h"
#include "frontends/cpp/analyzer.h"
#include "frontends/python/checker.h"

namespace fs = std::filesystem;
using namespace vigil;

TEST(Registry, ParsesFrontMatter) {
  auto r = parse_rule_file("x.md",
                           "---\nid: VG999\nname: demo-rule\ntitle: A demo\nlanguages: [python, cpp]\n"
                           "severity: critical\ncwe: [89, 564]\nprecision: high\n---\n## What\nBody\n");
  EXPECT_EQ(r.id, "VG999");
  EXPECT_EQ(r.languages, (std::vector<std::string>{"python", "cpp"}));
  EXPECT_EQ(r.severity, Severity::critical);
  EXPECT_EQ(r.cwe, (std::vector<int>{89, 564}));
  EXPECT_EQ(r.help_markdown, "## What\nBody\n");
}

TEST(Registry, RejectsMalformedRuleFiles) {
  EXPECT_THROW(parse_rule_file("x.md", "id: VG1\n"), std::runtime_error);
  EXPECT_THROW(parse_rule_file("x.md", "---\nid: VG1\nbogus: 1\n---\n"), std::runtime_error);
  EXPECT_THROW(parse_rule_file("x.md", "---\nid: VG1\nname: n\ntitle: t\nseverity: huge\n---\n"), std::runtime_error);
}

TEST(Registry, EveryCheckerRuleIsRegisteredAndDocumented) {
  std::set<std::string> python_ids, cpp_ids, reported;
  for (const auto& c : python::checker_list())
    for (const auto& id : c->rule_ids()) python_ids.insert(id);
  for (const auto& c : project_checker_list())
    for (const auto& id : c->rule_ids()) python_ids.insert(id);
  for (const auto& id : cpp::checker_rule_ids()) cpp_ids.insert(id);
  reported = python_ids;
  reported.insert(cpp_ids.begin(), cpp_ids.end());
  for (const auto& id : reported) {
    const RuleMeta* rule = Registry::instance().find(id);
    ASSERT_NE(rule, nullptr) << id;
    for (const char* section : {"## What it does", "## Why is this bad?", "## Example", "## Known limits"})
      EXPECT_NE(rule->help_markdown.find(section), std::string::npos) << id << " lacks " << section;
  }
  // Every rule has a checker for each language its metadata names, and no other.
  for (const auto& rule : Registry::instance().rules()) {
    if (rule.id == "VG000") continue;  // reported by the scanner's suppression handling, not a checker
    auto has = [&](const char* lang) {
      return std::find(rule.languages.begin(), rule.languages.end(), lang) != rule.languages.end();
    };
    EXPECT_EQ(has("python"), python_ids.count(rule.id) > 0) << rule.id << ": python checker vs languages";
    EXPECT_EQ(has("cpp"), cpp_ids.count(rule.id) > 0) << rule.id << ": cpp checker vs languages";
  }
}

TEST(Registry, SelectionByIdAndPrefix) {
  RuleSelection all;
  EXPECT_TRUE(all.enabled("VG301"));
  RuleSelection only3({"VG3"}, {});
  EXPECT_TRUE(only3.enabled("VG301"));
  EXPECT_FALSE(only3.enabled("VG101"));
  RuleSelection ignore({}, {"VG301"});
  EXPECT_FALSE(ignore.enabled("VG301"));
  EXPECT_EQ(unknown_rule_codes({"VG3", "VG999", "XX"}), (std::vector<std::string>{"VG999", "XX"}));
}

// docs/rules/ is generated from rules/*.md: the committed copy must be current.
TEST(Registry, DocsPagesAreUpToDate) {
  const auto& rules = Registry::instance().rules();
  auto read = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  fs::path docs = fs::path(VIGIL_SOURCE_DIR) / "docs" / "rules";
  for (const auto& r : rules)
    EXPECT_TRUE(read(docs / (r.id + ".md")) == rule_doc_page(r))
        << "docs/rules/" << r.id << ".md is stale: run `build/vigil docs`";
  EXPECT_TRUE(read(docs / "README.md") == rules_index_page(rules)) << "run `build/vigil docs`";
  EXPECT_TRUE(read(docs.parent_path() / "bandit-migration.md") == bandit_migration_page())
      << "docs/bandit-migration.md is stale: run `build/vigil docs`";
}
