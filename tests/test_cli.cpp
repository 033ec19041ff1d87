// End-to-end tests of the vigil binary, as a user runs it.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct CliRun {
  int code;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

CliRun vigil(const std::string& args) {
  fs::path err = fs::temp_directory_path() / ("vigil-cli-err-" + std::to_string(::getpid()));
  std::string cmd = std::string(VIGIL_BINARY) + " " + args + " 2>" + err.string();
  FILE* pipe = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = ::pclose(pipe);
  CliRun r{WEXITSTATUS(status), out, slurp(err)};
  fs::remove(err);
  return r;
}

const std::string kFixtures = VIGIL_FIXTURES_DIR;
const std::string kDemo = kFixtures + "/demo-app";

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("vigil-cli-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::string& bytes) {
    std::ofstream(path / name, std::ios::binary) << bytes;
    return path / name;
  }
};

const std::string kBadSql =
    "import sqlite3\n"
    "def f(conn: sqlite3.Connection, name):\n"
    "    conn.execute(\"SELECT * FROM t WHERE n = '\" + name + \"'\")\n";

}  // namespace

TEST(Cli, VersionAndRules) {
  EXPECT_EQ(vigil("--version").code, 0);
  CliRun rules = vigil("rules");
  EXPECT_EQ(rules.code, 0);
  EXPECT_NE(rules.out.find("VG301"), std::string::npos);
  CliRun explain = vigil("explain VG301");
  EXPECT_EQ(explain.code, 0);
  EXPECT_NE(explain.out.find("## What it does"), std::string::npos);
  EXPECT_EQ(vigil("explain VG999").code, 2);
}

TEST(Cli, DemoScanReportsFindingsWithCodeFrames) {
  CliRun r = vigil("scan --no-color " + kDemo);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find("VG301 [high]"), std::string::npos);
  EXPECT_NE(r.out.find(" | "), std::string::npos);
  EXPECT_NE(r.out.find("files scanned)"), std::string::npos);
}

TEST(Cli, ExitCodesFollowThresholds) {
  EXPECT_EQ(vigil("scan --exit-zero " + kDemo).code, 0);
  // A VG301 finding not built from request data is high: below a critical threshold, at a high one.
  TempDir dir;
  dir.write("a.py", kBadSql);
  EXPECT_EQ(vigil("scan --fail-on critical " + dir.path.string()).code, 0);
  EXPECT_EQ(vigil("scan --fail-on high " + dir.path.string()).code, 1);
  EXPECT_EQ(vigil("scan --select VG3 --ignore VG301 " + kDemo).code, 0);
}

// Project rules: one changed file still sees the routes of the rest of its
// project, unless --no-project limits the facts to the scanned paths.
TEST(Cli, ProjectRulesReadTheWholeProjectUnlessNoProject) {
  std::string main_py = std::string(VIGIL_FIXTURES_DIR) + "/python/projects/headers_missing/app/main.py";
  CliRun whole = vigil("scan -q --no-color --select VG502 " + main_py);
  EXPECT_EQ(whole.code, 1) << whole.err;
  EXPECT_NE(whole.out.find("VG502"), std::string::npos) << whole.out;
  CliRun alone = vigil("scan -q --no-color --no-project --select VG502 " + main_py);
  EXPECT_EQ(alone.code, 0) << alone.out;
  std::string auth_py = std::string(VIGIL_FIXTURES_DIR) + "/python/projects/headers_missing/app/api/auth.py";
  CliRun other = vigil("scan -q --no-color --select VG502 " + auth_py);
  EXPECT_EQ(other.code, 0) << "findings are reported only in the scanned files: " << other.out;
}

TEST(Cli, UsageErrorsExitTwoAndNameTheProblem) {
  CliRun bad_rule = vigil("scan --select VG999 " + kDemo);
  EXPECT_EQ(bad_rule.code, 2);
  EXPECT_NE(bad_rule.err.find("VG999"), std::string::npos);
  CliRun missing = vigil("scan /definitely/not/here.py");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("/definitely/not/here.py"), std::string::npos);
  CliRun bad_flag = vigil("scan --frobnicate");
  EXPECT_EQ(bad_flag.code, 2);
  EXPECT_NE(bad_flag.err.find("frobnicate"), std::string::npos);
  EXPECT_EQ(vigil("scan --fail-on extreme " + kDemo).code, 2);
}

TEST(Cli, OutputIsIdenticalWhateverTheJobs) {
  for (const char* format : {"text", "json", "sarif"}) {
    CliRun one = vigil(std::string("scan --no-color --format ") + format + " --jobs 1 " + kFixtures);
    CliRun two = vigil(std::string("scan --no-color --format ") + format + " --jobs 2 " + kFixtures);
    EXPECT_EQ(one.code, 1);
    EXPECT_EQ(one.out, two.out) << format;
    EXPECT_FALSE(one.out.empty());
  }
}

TEST(Cli, OutputFileIsWrittenWhole) {
  TempDir dir;
  fs::path out = dir.path / "report.sarif";
  CliRun r = vigil("scan --format sarif -o " + out.string() + " " + kDemo);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(r.out.empty());
  json log = json::parse(slurp(out));
  EXPECT_FALSE(log["runs"][0]["results"].empty());
  size_t entries = std::distance(fs::directory_iterator(dir.path), fs::directory_iterator());
  EXPECT_EQ(entries, 1u) << "temporary file left behind";
  CliRun unwritable = vigil("scan -o /nonexistent-dir/x.json " + kDemo);
  EXPECT_EQ(unwritable.code, 2);
  EXPECT_NE(unwritable.err.find("/nonexistent-dir/x.json"), std::string::npos);
}

// Every input that cannot be analysed is reported and the rest of the scan completes.
TEST(Cli, BadInputsAreReportedAndTheScanGoesOn) {
  TempDir dir;
  dir.write("good.py", kBadSql);
  dir.write("empty.py", "");
  dir.write("bom_only.py", "\xEF\xBB\xBF");
  dir.write("bom.py", "\xEF\xBB\xBF" + kBadSql);
  dir.write("crlf.py", "import sqlite3\r\ndef f(conn: sqlite3.Connection, name):\r\n    conn.execute(\"SELECT \" + name)\r\n");
  dir.write("nul.py", std::string("x = 1\n\0\n", 8));
  dir.write("latin1.py", "s = 'caf\xE9'\n");
  dir.write("syntax.py", "def broken(:\n    pass\n" + kBadSql);
  dir.write("big.py", "x = 1\n" + std::string(4000, '#') + "\n");
  ::mkfifo((dir.path / "fifo.py").c_str(), 0644);

  CliRun r = vigil("scan --format json --max-file-size 2000 " + dir.path.string());
  EXPECT_EQ(r.code, 1) << r.err;
  json doc = json::parse(r.out);
  std::map<std::string, std::string> notice_by_file;
  for (const auto& n : doc["notices"]) notice_by_file[fs::path(n["path"].get<std::string>()).filename()] = n["id"];
  EXPECT_EQ(notice_by_file["nul.py"], "binary-file");
  EXPECT_EQ(notice_by_file["latin1.py"], "invalid-utf8");
  EXPECT_EQ(notice_by_file["syntax.py"], "syntax-error");
  EXPECT_EQ(notice_by_file["big.py"], "file-too-large");
  EXPECT_EQ(notice_by_file["fifo.py"], "not-a-regular-file");
  EXPECT_EQ(notice_by_file.count("empty.py"), 0u);
  std::map<std::string, int> line_by_file;
  for (const auto& f : doc["findings"]) line_by_file[fs::path(f["path"].get<std::string>()).filename()] = f["start_line"];
  EXPECT_EQ(line_by_file["good.py"], 3);
  EXPECT_EQ(line_by_file["bom.py"], 3);
  EXPECT_EQ(line_by_file["crlf.py"], 3);
  EXPECT_EQ(line_by_file["syntax.py"], 5);  // analysed what parsed
  EXPECT_EQ(doc["summary"]["findings"], 4);

  // Text mode puts the same problems on stderr; SARIF as notifications.
  CliRun text = vigil("scan --no-color --max-file-size 2000 " + dir.path.string());
  EXPECT_NE(text.err.find("nul.py:2: skipped: file contains NUL bytes"), std::string::npos) << text.err;
  CliRun sarif = vigil("scan --format sarif --max-file-size 2000 " + dir.path.string());
  json log = json::parse(sarif.out);
  EXPECT_EQ(log["runs"][0]["invocations"][0]["toolExecutionNotifications"].size(), doc["notices"].size());
  // Raising the limit analyses the big file.
  CliRun raised = vigil("scan --format json " + dir.path.string());
  json raised_doc = json::parse(raised.out);
  for (const auto& n : raised_doc["notices"]) EXPECT_NE(n["id"], "file-too-large");
}

// ---------------------------------------------------------------- C++

namespace {

const std::string kBadCpp =
    "#include <sqlite3.h>\n"
    "#include <string>\n"
    "int f(sqlite3* db, const std::string& name) {\n"
    "  std::string q = \"SELECT * FROM t WHERE n = '\" + name + \"'\";\n"
    "  return sqlite3_exec(db, q.c_str(), nullptr, nullptr, nullptr);\n"
    "}\n";

// A compile database for the files of a temporary directory.
void write_database(TempDir& dir, const std::vector<std::string>& files, const std::string& flags = "") {
  json db = json::array();
  for (const auto& f : files)
    db.push_back({{"directory", dir.path.string()},
                  {"file", f},
                  {"command", "/usr/bin/c++ -std=c++17 " + flags + " -c " + f + " -o " + f + ".o"}});
  dir.write("compile_commands.json", db.dump());
}

}  // namespace

TEST(CliCpp, PythonAndCppReportInOneSarifRun) {
  TempDir dir;
  dir.write("a.py", kBadSql);
  dir.write("b.cpp", kBadCpp);
  write_database(dir, {"b.cpp"});
  CliRun r = vigil("scan --format sarif " + dir.path.string());
  ASSERT_EQ(r.code, 1) << r.err;
  json log = json::parse(r.out);
  ASSERT_EQ(log["runs"].size(), 1u);
  std::set<std::string> files;
  for (const auto& result : log["runs"][0]["results"])
    files.insert(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>());
  bool py = false, cpp = false;
  for (const auto& f : files) {
    py = py || f.ends_with("a.py");
    cpp = cpp || f.ends_with("b.cpp");
  }
  EXPECT_TRUE(py && cpp) << r.out;
  EXPECT_EQ(r.err.find("no-compile-database"), std::string::npos) << r.err;
}

TEST(CliCpp, WithoutADatabaseOneNoticeAndFallbackFlags) {
  TempDir dir;
  dir.write("b.cpp", kBadCpp);
  dir.write("c.cpp", kBadCpp);
  CliRun r = vigil("scan --no-color " + dir.path.string());
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find("b.cpp:5:10: VG301"), std::string::npos) << r.out;
  size_t first = r.err.find("[no-compile-database]");
  ASSERT_NE(first, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("[no-compile-database]", first + 1), std::string::npos) << "one notice, not one per file";
  // A C file gets a C standard, not the C++ fallback clang refuses for it.
  dir.write("d.c", "#include <stdio.h>\n#include <stdlib.h>\nvoid run(const char* name) {\n  char cmd[256];\n"
                   "  snprintf(cmd, sizeof cmd, \"ls %s\", name);\n  system(cmd);\n}\n");
  CliRun c = vigil("scan --no-color --no-cache " + dir.path.string());
  EXPECT_EQ(c.err.find("compile error"), std::string::npos) << c.err;
  EXPECT_NE(c.out.find("d.c:6:3: VG302"), std::string::npos) << c.out;
}

TEST(CliCpp, UnknownGccFlagsAreDroppedWithANotice) {
  TempDir dir;
  dir.write("b.cpp", kBadCpp);
  write_database(dir, {"b.cpp"}, "-fno-canonical-system-headers -Wall");
  CliRun r = vigil("scan --no-color " + dir.path.string());
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find("VG301"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.err.find("-fno-canonical-system-headers"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[unknown-compiler-flag]"), std::string::npos) << r.err;
}

TEST(CliCpp, ABrokenTranslationUnitIsReportedAndAnalysedAsFarAsItParsed) {
  TempDir dir;
  dir.write("broken.cpp", "#include <sqlite3.h>\n#include <string>\n"
                          "int f(sqlite3* db, std::string n) {\n"
                          "  undefined_type x;\n"
                          "  std::string q = \"SELECT \" + n;\n"
                          "  return sqlite3_exec(db, q.c_str(), nullptr, nullptr, nullptr);\n"
                          "}\n");
  write_database(dir, {"broken.cpp"});
  CliRun r = vigil("scan --format sarif " + dir.path.string());
  EXPECT_EQ(r.code, 1) << r.err;
  json log = json::parse(r.out);
  const json& run = log["runs"][0];
  EXPECT_EQ(run["results"].size(), 1u);
  bool noted = false;
  for (const auto& n : run["invocations"][0]["toolExecutionNotifications"])
    noted = noted || n["message"]["text"].get<std::string>().find("compile error") != std::string::npos;
  EXPECT_TRUE(noted) << run["invocations"].dump();
}

TEST(CliCpp, OutputIsIdenticalWhateverTheJobs) {
  TempDir dir;
  std::vector<std::string> files;
  for (int i = 0; i < 6; ++i) {
    files.push_back("f" + std::to_string(i) + ".cpp");
    dir.write(files.back(), kBadCpp);
  }
  write_database(dir, files);
  std::string args = "scan --format sarif " + dir.path.string();
  EXPECT_EQ(vigil(args + " --jobs 1").out, vigil(args + " --jobs 2").out);
}

TEST(CliCpp, AnUnreadableDatabaseIsAUsageError) {
  CliRun r = vigil("scan --compile-commands /no/such/compile_commands.json " + kFixtures + "/cpp");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("/no/such/compile_commands.json"), std::string::npos) << r.err;
}

TEST(CliCpp, AHeaderNamedOnTheCommandLineIsAnalysed) {
  TempDir dir;
  fs::path header = dir.write("queries.h", "#pragma once\n" + kBadCpp);
  CliRun named = vigil("scan --no-color -q " + header.string());
  EXPECT_EQ(named.code, 1) << named.err;
  EXPECT_NE(named.out.find("queries.h:6:10: VG301"), std::string::npos) << named.out << named.err;
  // Found in a directory, a header is analysed only through the files that include it.
  CliRun in_dir = vigil("scan --no-color -q " + dir.path.string());
  EXPECT_EQ(in_dir.code, 0) << in_dir.out;
}

// ---------------------------------------------------------------- configuration, suppressions, baseline

TEST(CliConfig, ConfigurationChangesTheScanAndMistakesExitTwo) {
  TempDir dir;
  dir.write("kdf.py", "import hashlib\ndef f(p, s):\n    return hashlib.pbkdf2_hmac('sha256', p, s, 700_000)\n");
  dir.write("bad.py", kBadSql);
  // Without configuration: VG301 in bad.py only (700,000 is above the default floor).
  CliRun plain = vigil("scan -q --no-color " + dir.path.string());
  EXPECT_NE(plain.out.find("bad.py"), std::string::npos) << plain.out;
  EXPECT_EQ(plain.out.find("VG603"), std::string::npos) << plain.out;
  dir.write("vigil.toml", "[rules.VG603]\nmin-iterations = 1000000\n[per-file-ignores]\n\"bad.py\" = [\"VG3\"]\n"
                          "[severity-overrides]\nVG603 = \"critical\"\n");
  CliRun configured = vigil("scan -q --no-color " + dir.path.string());
  EXPECT_NE(configured.out.find("VG603 [critical]"), std::string::npos) << configured.out;
  EXPECT_EQ(configured.out.find("bad.py"), std::string::npos) << configured.out;
  CliRun isolated = vigil("scan -q --no-color --isolated " + dir.path.string());
  EXPECT_EQ(isolated.out.find("VG603"), std::string::npos);
  CliRun shown = vigil("config " + dir.path.string());
  EXPECT_EQ(shown.code, 0);
  EXPECT_NE(shown.out.find("min-iterations = 1000000"), std::string::npos) << shown.out;
  dir.write("vigil.toml", "selct = [\"VG3\"]\n");
  CliRun bad = vigil("scan " + dir.path.string());
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("vigil.toml:1:1: unknown key 'selct'"), std::string::npos) << bad.err;
}

TEST(CliSuppressions, SuppressedFindingsStayInSarifOnly) {
  TempDir dir;
  dir.write("a.py", "import sqlite3\ndef f(conn: sqlite3.Connection, name):\n"
                    "    conn.execute(\"SELECT \" + name)  # vigil: ignore[VG301] -- name is an enum value\n");
  CliRun text = vigil("scan --no-color " + dir.path.string());
  EXPECT_EQ(text.code, 0) << text.out;
  EXPECT_NE(text.out.find("0 findings in 0 files (1 file scanned, 1 suppressed)"), std::string::npos) << text.out;
  json log = json::parse(vigil("scan --format sarif " + dir.path.string()).out);
  const json& result = log["runs"][0]["results"][0];
  EXPECT_EQ(result["suppressions"][0]["kind"], "inSource");
  EXPECT_EQ(result["suppressions"][0]["justification"], "name is an enum value");
}

TEST(CliBaseline, KnownFindingsSurviveEditsButNewCopiesAreReported) {
  TempDir dir;
  std::string bad = "    conn.execute(\"SELECT * FROM t WHERE n = '\" + name + \"'\")\n";
  std::string head = "import sqlite3\ndef f(conn: sqlite3.Connection, name, total):\n";
  dir.write("a.py", head + bad + "    return total\n");
  fs::path baseline = dir.path / "baseline.json";
  EXPECT_EQ(vigil("scan --write-baseline " + baseline.string() + " " + dir.path.string()).code, 1);
  std::string args = "scan -q --no-color --baseline " + baseline.string() + " " + dir.path.string();
  EXPECT_EQ(vigil(args).code, 0);
  // Lines inserted above, a variable renamed elsewhere: still the known finding.
  dir.write("a.py", "# a comment\n\n" + head + bad + "    count = total\n    return count\n");
  CliRun edited = vigil(args);
  EXPECT_EQ(edited.code, 0) << edited.out;
  // A second copy of the bad line is new: exactly one finding.
  dir.write("a.py", head + bad + bad + "    return total\n");
  CliRun copied = vigil(args);
  EXPECT_EQ(copied.code, 1);
  EXPECT_EQ(std::count(copied.out.begin(), copied.out.end(), '\n'), 1) << copied.out;
}

TEST(CliDiffBase, OnlyChangedLinesAreReported) {
  TempDir dir;
  std::string git = "git -C " + dir.path.string() + " -c user.email=t@t -c user.name=t ";
  ASSERT_EQ(std::system((git + "init -q").c_str()), 0);
  dir.write("a.py", kBadSql);
  ASSERT_EQ(std::system((git + "add a.py && " + git + "commit -qm base").c_str()), 0);
  dir.write("a.py", kBadSql + "    conn.execute(\"DELETE FROM t WHERE n = '\" + name + \"'\")\n");
  dir.write("new.py", kBadSql);  // untracked: every line is new
  CliRun r = vigil("scan -q --no-color --diff-base HEAD " + dir.path.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("a.py:4:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("a.py:3:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("new.py:3:"), std::string::npos) << r.out;
  CliRun bad_ref = vigil("scan --diff-base no-such-ref " + dir.path.string());
  EXPECT_EQ(bad_ref.code, 2) << bad_ref.err;
}

TEST(CliGithub, AnnotationsAndSarifCategory) {
  TempDir dir;
  dir.write("a.py", kBadSql);
  CliRun gh = vigil("scan --format github " + dir.path.string());
  EXPECT_EQ(gh.code, 1);
  EXPECT_NE(gh.out.find("::error file="), std::string::npos) << gh.out;
  EXPECT_NE(gh.out.find(",line=3,col=5,"), std::string::npos) << gh.out;
  EXPECT_NE(gh.out.find("title=VG301 sql-built-from-strings::"), std::string::npos) << gh.out;
  json log = json::parse(vigil("scan --format sarif --sarif-category backend/python " + dir.path.string()).out);
  EXPECT_EQ(log["runs"][0]["automationDetails"]["id"], "backend/python");
}

TEST(CliChecklist, TheStandardsChecklistForAProject) {
  CliRun r = vigil("checklist --format json " + kFixtures + "/python/projects/standard");
  EXPECT_EQ(r.code, 1) << r.err;  // the standard's own samples have open findings
  json doc = json::parse(r.out);
  std::map<std::string, std::string> status;
  for (const auto& item : doc["items"]) status[item["item"]] = item["status"];
  EXPECT_EQ(status["SQL injection prevention with parameterized queries"], "fail");
  EXPECT_EQ(status["CORS properly configured for allowed origins"], "pass");
  EXPECT_EQ(status["Password hashing with bcrypt (never store plaintext)"], "pass");
  EXPECT_EQ(status["Error messages don't leak sensitive information"], "pass");  // the standard logs str(e)
  CliRun md = vigil("checklist --format markdown " + kFixtures + "/python/projects/standard");
  EXPECT_NE(md.out.find("| ✘ | SQL injection prevention"), std::string::npos) << md.out;
}

// ---------------------------------------------------------------- cache

namespace {

std::vector<fs::path> cache_entries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); ++it)
    if (it->path().extension() == ".msgpack") out.push_back(it->path());
  return out;
}

}  // namespace

TEST(CliCache, AWarmRunReadsTheCacheAndTrustsOnlyMatchingEntries) {
  TempDir dir;
  fs::path cache = dir.path / "cache";
  fs::create_directories(dir.path / "src");
  dir.write("src/db.py", kBadSql);
  dir.write("src/clean.py", "x = 1\n");
  std::string args = "scan --format json --cache-dir " + cache.string() + " " + (dir.path / "src").string();
  CliRun cold = vigil(args);
  ASSERT_EQ(cold.code, 1) << cold.err;
  auto entries = cache_entries(cache);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_TRUE(fs::exists(cache / ".gitignore"));
  EXPECT_EQ(vigil(args).out, cold.out);  // warm: the same report

  // The warm run takes findings from the entry (an edited message shows)...
  fs::path db_entry;
  for (const auto& e : entries)
    if (slurp(e).find("VG301") != std::string::npos) db_entry = e;
  ASSERT_FALSE(db_entry.empty());
  auto read_entry = [](const fs::path& p) { return json::from_msgpack(slurp(p)); };
  auto write_entry = [](const fs::path& p, const json& j) {
    auto bytes = json::to_msgpack(j);
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  };
  json entry = read_entry(db_entry);
  entry["findings"][0]["message"] = "from the cache";
  write_entry(db_entry, entry);
  EXPECT_NE(vigil(args).out.find("from the cache"), std::string::npos);
  // ...but not an entry whose key does not match, nor a corrupt one: both are rewritten.
  entry["key"] = "0000-1";
  write_entry(db_entry, entry);
  EXPECT_EQ(vigil(args).out, cold.out);
  std::ofstream(db_entry) << "{ not an entry";
  EXPECT_EQ(vigil(args).out, cold.out);
  EXPECT_NO_THROW(read_entry(db_entry));

  // A changed file is analysed again.
  dir.write("src/clean.py", "import os\nos.system('ls ' + input())\n");
  EXPECT_NE(vigil(args).out.find("VG302"), std::string::npos);
  // --no-cache neither reads nor writes.
  fs::remove_all(cache);
  vigil("scan --no-cache --cache-dir " + cache.string() + " " + (dir.path / "src").string());
  EXPECT_FALSE(fs::exists(cache));
}

TEST(CliCache, AnUnwritableCacheIsReportedOnceAndTheScanGoesOn) {
  TempDir dir;
  dir.write("a.py", kBadSql);
  dir.write("b.py", kBadSql);
  dir.write("not-a-dir", "a file where the cache directory would go");
  CliRun r = vigil("scan --format json --cache-dir " + (dir.path / "not-a-dir" / "cache").string() + " " +
                   dir.path.string());
  EXPECT_EQ(r.code, 1) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["summary"]["findings"], 2);
  int unwritable = 0;
  for (const auto& n : doc["notices"]) unwritable += n["id"] == "cache-unwritable";
  EXPECT_EQ(unwritable, 1);
}

TEST(CliCache, CleanRemovesOnlyAVigilCache) {
  TempDir dir;
  dir.write("a.py", kBadSql);
  fs::path cache = dir.path / "cache";
  vigil("scan --cache-dir " + cache.string() + " " + dir.path.string());
  ASSERT_TRUE(fs::exists(cache));
  EXPECT_EQ(vigil("clean --cache-dir " + cache.string()).code, 0);
  EXPECT_FALSE(fs::exists(cache));
  fs::create_directories(dir.path / "not-a-cache");
  dir.write("not-a-cache/keep.txt", "mine");
  CliRun refused = vigil("clean --cache-dir " + (dir.path / "not-a-cache").string());
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.err.find("not a vigil cache"), std::string::npos) << refused.err;
  EXPECT_TRUE(fs::exists(dir.path / "not-a-cache/keep.txt"));
}

TEST(CliCache, ConcurrentRunsOnOneCacheAgree) {
  TempDir dir;
  for (int i = 0; i < 40; ++i) dir.write("m" + std::to_string(i) + ".py", kBadSql);
  fs::path cache = dir.path / "cache";
  std::string cmd = std::string(VIGIL_BINARY) + " scan --format json --cache-dir " + cache.string() + " " +
                    dir.path.string() + " > " + (dir.path / "out").string();
  // Two runs at once, twice: every entry is whole and every report the same.
  std::string both = "(" + cmd + "1.json & " + cmd + "2.json & wait)";
  ASSERT_EQ(std::system(both.c_str()), 0);
  ASSERT_EQ(std::system(both.c_str()), 0);
  EXPECT_EQ(slurp(dir.path / "out1.json"), slurp(dir.path / "out2.json"));
  EXPECT_EQ(json::parse(slurp(dir.path / "out1.json"))["summary"]["findings"], 40);
  for (const auto& e : cache_entries(cache)) EXPECT_NO_THROW(json::from_msgpack(slurp(e))) << e;
  for (const auto& e : fs::recursive_directory_iterator(cache))
    EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << e.path();
}

// ---------------------------------------------------------------- the bad-input suite
// Each: no crash, the problem reported (JSON notice; SARIF notification for
// the same list), the rest of the scan completes, the documented exit code.

namespace {

// Scans `dir` as JSON; returns the document, checking that SARIF reports the same notices.
json scan_json(const TempDir& dir, const std::string& extra = "", int expected_code = 1) {
  CliRun r = vigil("scan --format json --no-cache " + extra + " " + dir.path.string());
  EXPECT_EQ(r.code, expected_code) << r.err;
  json doc = json::parse(r.out);
  CliRun sarif = vigil("scan --format sarif --no-cache " + extra + " " + dir.path.string());
  json log = json::parse(sarif.out);
  EXPECT_EQ(log["runs"][0]["invocations"][0]["toolExecutionNotifications"].size(), doc["notices"].size());
  return doc;
}

std::map<std::string, std::string> notices_by_file(const json& doc) {
  std::map<std::string, std::string> out;
  for (const auto& n : doc["notices"])
    if (!n["path"].get<std::string>().empty()) out[fs::path(n["path"].get<std::string>()).filename()] = n["id"];
  return out;
}

std::map<std::string, int> finding_lines(const json& doc) {
  std::map<std::string, int> out;
  for (const auto& f : doc["findings"]) out[fs::path(f["path"].get<std::string>()).filename()] = f["start_line"];
  return out;
}

}  // namespace

TEST(BadInput, LoneCarriageReturnsAndInvalidUtf8InAnIdentifier) {
  TempDir dir;
  dir.write("good.py", kBadSql);
  dir.write("cr.py", "import sqlite3\rdef f(conn: sqlite3.Connection, name):\r    conn.execute(\"SELECT \" + name)\r");
  dir.write("ident.py", "caf\xC3 = 1\n");
  json doc = scan_json(dir);
  auto lines = finding_lines(doc);
  EXPECT_EQ(lines["good.py"], 3);
  EXPECT_EQ(lines["cr.py"], 3);  // a lone CR ends a line, as in Python
  EXPECT_EQ(notices_by_file(doc)["ident.py"], "invalid-utf8");
}

TEST(BadInput, DeepNestingAndLongFilesDoNotExhaustTheStack) {
  TempDir dir;
  dir.write("brackets.py", "x = " + std::string(10000, '(') + "1" + std::string(10000, ')') + "\n" + kBadSql);
  dir.write("lists.py", "y = " + std::string(10000, '[') + std::string(10000, ']') + "\n");
  std::string sum = "z = a";
  for (int i = 0; i < 10000; ++i) sum += " + a";
  dir.write("expression.py", sum + "\n" + kBadSql);
  std::string calls = "w = ";
  for (int i = 0; i < 3000; ++i) calls += "f(";
  dir.write("calls.py", calls + std::string(3000, ')') + "\n");
  std::string lines;
  for (int i = 0; i < 100000; ++i) lines += "v" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  dir.write("long.py", lines + kBadSql);
  json doc = scan_json(dir);
  auto found = finding_lines(doc);
  EXPECT_EQ(found["brackets.py"], 4);
  EXPECT_EQ(found["expression.py"], 4);
  EXPECT_EQ(found["long.py"], 100003);
}

TEST(BadInput, AHugeFileIsRejectedByTheLimitAndAcceptedWhenRaised) {
  TempDir dir;
  dir.write("small.py", kBadSql);
  std::string big;
  big.reserve(50u << 20);
  while (big.size() < (50u << 20)) big += "# padding padding padding padding padding padding padding padding\n";
  dir.write("huge.py", big + kBadSql);
  json doc = scan_json(dir);
  EXPECT_EQ(notices_by_file(doc)["huge.py"], "file-too-large");
  EXPECT_EQ(finding_lines(doc)["small.py"], 3);
  json raised = scan_json(dir, "--max-file-size 60000000");
  EXPECT_EQ(notices_by_file(raised).count("huge.py"), 0u);
  EXPECT_GT(finding_lines(raised)["huge.py"], 700000);
}

TEST(BadInput, SymlinkLoopsBrokenLinksAndUnreadableDirectories) {
  TempDir dir;
  fs::create_directories(dir.path / "pkg");
  dir.write("pkg/ok.py", kBadSql);
  fs::create_directory_symlink("..", dir.path / "pkg" / "loop");
  fs::create_symlink("self.py", dir.path / "self.py");  // a link to itself
  fs::create_symlink("missing.py", dir.path / "gone.py");
  json doc = scan_json(dir);
  auto notices = notices_by_file(doc);
  EXPECT_EQ(notices["loop"], "symlink-loop");
  EXPECT_EQ(notices["self.py"], "broken-symlink");
  EXPECT_EQ(notices["gone.py"], "broken-symlink");
  EXPECT_EQ(finding_lines(doc)["ok.py"], 3);

  if (::geteuid() == 0) GTEST_SKIP() << "root reads any directory: the unreadable case cannot be made here";
  fs::create_directories(dir.path / "secret");
  dir.write("secret/x.py", kBadSql);
  fs::permissions(dir.path / "secret", fs::perms::none);
  json locked = scan_json(dir);
  fs::permissions(dir.path / "secret", fs::perms::owner_all);
  EXPECT_EQ(notices_by_file(locked)["secret"], "unreadable-directory");
  EXPECT_EQ(finding_lines(locked)["ok.py"], 3);
}

// A file deleted between discovery and read: tests/test_source_file.cpp (load_source).

TEST(BadInput, BrokenCompileDatabases) {
  TempDir dir;
  dir.write("a.cpp", kBadCpp);
  dir.write("compile_commands.json", "[{\"directory\": \"x\", ");  // malformed JSON
  // Found (not named): reported, and the files are analysed with fallback flags.
  json malformed = scan_json(dir);
  EXPECT_EQ(notices_by_file(malformed)["compile_commands.json"], "compile-database-unreadable");
  EXPECT_EQ(finding_lines(malformed)["a.cpp"], 5);
  CliRun text = vigil("scan --no-cache " + dir.path.string());
  EXPECT_NE(text.err.find("malformed JSON"), std::string::npos) << text.err;
  EXPECT_EQ(text.err.find("YAML"), std::string::npos) << text.err;
  // Named with --compile-commands: a usage error.
  CliRun named = vigil("scan --no-cache -p " + (dir.path / "compile_commands.json").string() + " " + dir.path.string());
  EXPECT_EQ(named.code, 2);
  EXPECT_NE(named.err.find("malformed JSON"), std::string::npos) << named.err;
  // Entries for files that do not exist: reported, the rest analysed.
  json db = json::array({{{"directory", dir.path.string()}, {"file", "a.cpp"}, {"command", "c++ -std=c++17 -c a.cpp"}},
                         {{"directory", dir.path.string()}, {"file", "missing.cpp"}, {"command", "c++ -c missing.cpp"}}});
  dir.write("compile_commands.json", db.dump());
  CliRun missing = vigil("scan --format json --no-cache " + dir.path.string());
  EXPECT_EQ(missing.code, 1) << missing.err;
  json doc = json::parse(missing.out);
  EXPECT_EQ(finding_lines(doc)["a.cpp"], 5);
}

TEST(BadInput, APathologicalFileIsCutShortByTheTimeBudget) {
  TempDir dir;
  dir.write("good.py", kBadSql);
  std::string lines;
  for (int i = 0; i < 100000; ++i) lines += "v" + std::to_string(i) + " = open('f' + str(" + std::to_string(i) + "))\n";
  dir.write("slow.py", lines + kBadSql);
  json doc = scan_json(dir, "--file-timeout 0.05");
  EXPECT_EQ(notices_by_file(doc)["slow.py"], "analysis-timeout");
  EXPECT_EQ(finding_lines(doc)["good.py"], 3);  // the rest of the scan completes
  // The budget is configurable, and shown by `vigil config`.
  dir.write("vigil.toml", "file-timeout = 0\n");
  EXPECT_NE(vigil("config " + dir.path.string()).out.find("file-timeout = 0"), std::string::npos);
  dir.write("vigil.toml", "file-timeout = -1\n");
  EXPECT_EQ(vigil("scan " + dir.path.string()).code, 2);
}
