#include "fuzz/targets.h"

#include <string>

#include "core/config.h"
#include "core/discovery.h"
#include "core/project.h"
#include "core/registry.h"
#include "core/source_file.h"
#include "core/suppression.h"
#include "frontends/python/analyzer.h"

namespace vigil::fuzz {
namespace {

const RuleSelection& every_rule() {
  static const RuleSelection selection = [] {
    std::vector<std::string> all;
    for (const auto& rule : Registry::instance().rules()) all.push_back(rule.id);
    return RuleSelection({}, {}, all);
  }();
  return selection;
}

}  // namespace

void python_file(std::string_view bytes) {
  std::string text(bytes);
  // The scanner's gate: NUL bytes and invalid UTF-8 never reach the parser.
  if (text.find('\0') != std::string::npos || find_invalid_utf8(text) != std::string::npos) return;
  SourceFile file("pkg/fuzz.py", text);
  auto analysis = python::analyze(file, "pkg", every_rule(), "pkg.fuzz");
  FileFacts facts{file.path(), "pkg.fuzz", std::move(analysis.facts)};
  auto project = check_project(ProjectFacts({&facts}), every_rule());
  std::vector<Finding*> findings;
  for (auto& f : analysis.findings) findings.push_back(&f);
  for (auto& f : project) findings.push_back(&f);
  SuppressionOptions options;
  options.report_unused = true;
  auto suppressions = parse_suppressions(text, Language::python, options);
  apply_suppressions(findings, suppressions, file.path(), text, every_rule(), options);
}

void config_and_comments(std::string_view bytes) {
  std::string text(bytes);
  for (const char* name : {"vigil.toml", "pyproject.toml"}) {
    try {
      Config config = load_config_text(name, &text);
      (void)render_config(config);
    } catch (const ConfigError&) {
      // a mistake in the file: reported to the user with its position
    }
  }
  SuppressionOptions options;
  for (auto language : {Language::cpp, Language::python}) (void)parse_suppressions(text, language, options);
  options.require_rule_ids = true;
  options.aliases = false;
  (void)parse_suppressions(text, Language::cpp, options);
}

}  // namespace vigil::fuzz
