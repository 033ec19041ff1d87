#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/fingerprint.h"
#include "core/scanner.h"
#include "reporters/reporters.h"

using namespace vigil;
using nlohmann::json;

namespace {

Finding finding(std::string path, uint32_t line, std::string source, std::string rule = "VG301") {
  Finding f;
  f.rule_id = std::move(rule);
  f.severity = Severity::high;
  f.message = "msg";
  f.path = std::move(path);
  f.region = {line, 5, line, 12};
  f.source_line = std::move(source);
  return f;
}

ScanResult sample() {
  ScanResult r;
  r.findings = {finding("b.py", 3, "    cur.execute(q)"), finding("a.py", 9, "  x = 1"), finding("a.py", 2, "\tcur.execute(q)")};
  r.notices.push_back({Notice::Level::warning, "invalid-utf8", "c.py", 4, "skipped: not valid UTF-8 at byte 10"});
  r.files_scanned = 3;
  finalize(r);
  return r;
}

}  // namespace

TEST(Reporters, FindingsAreSortedAndFingerprinted) {
  ScanResult r = sample();
  ASSERT_EQ(r.findings.size(), 3u);
  EXPECT_EQ(r.findings[0].path, "a.py");
  EXPECT_EQ(r.findings[0].region.start_line, 2u);
  EXPECT_EQ(r.findings[2].path, "b.py");
  for (const auto& f : r.findings) EXPECT_FALSE(f.fingerprint.empty());
}

TEST(Reporters, FingerprintsIgnoreLineNumbersButCountCopies) {
  std::vector<Finding> before = {finding("a.py", 10, "cur.execute(q)")};
  std::vector<Finding> after = {finding("a.py", 14, "  cur.execute( q )")};  // moved, re-indented
  assign_fingerprints(before);
  assign_fingerprints(after);
  EXPECT_EQ(before[0].fingerprint, after[0].fingerprint);
  std::vector<Finding> copies = {finding("a.py", 10, "cur.execute(q)"), finding("a.py", 20, "cur.execute(q)")};
  assign_fingerprints(copies);
  EXPECT_NE(copies[0].fingerprint, copies[1].fingerprint);
  std::vector<Finding> other_file = {finding("b.py", 10, "cur.execute(q)")};
  assign_fingerprints(other_file);
  EXPECT_NE(other_file[0].fingerprint, before[0].fingerprint);
}

TEST(Reporters, TextHasCodeFrameAndSummary) {
  std::string text = render_text(sample(), {false, false});
  EXPECT_NE(text.find("a.py:2:5: VG301 [high] msg\n 2 | \tcur.execute(q)\n   | \t   ^^^^^^^\n"), std::string::npos) << text;
  EXPECT_NE(text.find("3 findings in 2 files (3 files scanned)"), std::string::npos) << text;
  EXPECT_EQ(text.find("\x1b["), std::string::npos);
  EXPECT_NE(render_text(sample(), {true, false}).find("\x1b["), std::string::npos);
  std::string quiet = render_text(sample(), {false, true});
  EXPECT_EQ(quiet.find(" | "), std::string::npos);
  EXPECT_EQ(quiet.find("scanned"), std::string::npos);
}

TEST(Reporters, NoticesForStderr) {
  EXPECT_EQ(render_notices_text(sample(), false),
            "vigil: warning: c.py:4: skipped: not valid UTF-8 at byte 10 [invalid-utf8]\n");
}

TEST(Reporters, JsonSchemaFields) {
  json doc = json::parse(render_json(sample()));
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_EQ(doc["tool"]["name"], "vigil");
  EXPECT_EQ(doc["summary"]["findings"], 3);
  EXPECT_EQ(doc["summary"]["files_with_findings"], 2);
  const json& f = doc["findings"][0];
  for (const char* key : {"rule_id", "rule_name", "severity", "message", "path", "start_line", "start_column",
                          "end_line", "end_column", "fingerprint"})
    EXPECT_TRUE(f.contains(key)) << key;
  EXPECT_EQ(f["rule_name"], "sql-built-from-strings");
  EXPECT_EQ(doc["notices"][0]["id"], "invalid-utf8");
}

TEST(Reporters, SarifCarriesRulesResultsAndNotifications) {
  json log = json::parse(render_sarif(sample(), "/src/proj"));
  EXPECT_EQ(log["version"], "2.1.0");
  const json& run = log["runs"][0];
  const json& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "vigil");
  EXPECT_TRUE(driver.contains("informationUri"));
  size_t index = 0;
  while (index < driver["rules"].size() && driver["rules"][index]["id"] != "VG301") ++index;
  ASSERT_LT(index, driver["rules"].size());
  const json& rule = driver["rules"][index];
  EXPECT_EQ(rule["defaultConfiguration"]["level"], "error");
  EXPECT_EQ(rule["properties"]["security-severity"], "8.8");
  EXPECT_EQ(rule["properties"]["tags"][1], "external/cwe/cwe-89");
  EXPECT_TRUE(rule["help"].contains("markdown"));
  const json& result = run["results"][0];
  EXPECT_EQ(result["ruleIndex"], index);
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
  EXPECT_TRUE(result["partialFingerprints"].contains("vigilFingerprint/v1"));
  EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///src/proj/");
  const json& note = run["invocations"][0]["toolExecutionNotifications"][0];
  EXPECT_EQ(note["descriptor"]["id"], "invalid-utf8");
  EXPECT_EQ(note["locations"][0]["physicalLocation"]["region"]["startLine"], 4);
  EXPECT_TRUE(run["invocations"][0]["executionSuccessful"]);
}

TEST(Reporters, SarifKeepsTheMostSevereResultsUpToTheLimit) {
  ScanResult r;
  for (auto [sev, line] : {std::pair{Severity::low, 1u}, {Severity::critical, 2u}, {Severity::medium, 3u}}) {
    Finding f;
    f.rule_id = "VG301";
    f.severity = sev;
    f.path = "a.py";
    f.region = {line, 1, line, 2};
    f.message = "m";
    r.findings.push_back(f);
  }
  json log = json::parse(render_sarif(r, "/src", {"", 2}));
  const json& run = log["runs"][0];
  ASSERT_EQ(run["results"].size(), 2u);
  EXPECT_EQ(run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 2);  // order kept
  EXPECT_EQ(run["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"], 3);
  bool noted = false;
  for (const auto& n : run["invocations"][0]["toolExecutionNotifications"])
    noted = noted || n["descriptor"]["id"] == "results-truncated";
  EXPECT_TRUE(noted);
}
