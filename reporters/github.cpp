// GitHub Actions workflow commands: each finding becomes an annotation on the
// pull request's diff (`::error file=app.py,line=3,col=5::message`).
#include <sstream>

#include "reporters/reporters.h"

namespace vigil {
namespace {

// Workflow command escaping: data escapes %, CR, LF; properties also : and ,.
std::string escape(const std::string& s, bool property) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

const char* command(Severity s) {
  if (s >= Severity::high) return "error";
  if (s == Severity::medium) return "warning";
  return "notice";
}

}  // namespace

std::string render_github(const ScanResult& result) {
  std::ostringstream out;
  for (const auto& f : result.findings) {
    if (f.suppressed) continue;
    const RuleMeta* rule = Registry::instance().find(f.rule_id);
    std::string title = f.rule_id + (rule ? " " + rule->name : "");
    out << "::" << command(f.severity) << " file=" << escape(f.path, true) << ",line=" << f.region.start_line
        << ",col=" << f.region.start_column << ",endLine=" << f.region.end_line << ",endColumn=" << f.region.end_column
        << ",title=" << escape(title, true) << "::" << escape(f.message, false) << "\n";
  }
  for (const auto& n : result.notices) {
    out << "::" << (n.level == Notice::Level::error ? "error" : "warning");
    if (!n.path.empty()) out << " file=" << escape(n.path, true) << (n.line ? ",line=" + std::to_string(n.line) : "");
    out << "::" << escape("vigil: " + n.message + " [" + n.id + "]", false) << "\n";
  }
  return out.str();
}

}  // namespace vigil
