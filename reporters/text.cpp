#include <algorithm>
#include <set>
#include <vector>
#include <sstream>

#include "reporters/reporters.h"

namespace vigil {
namespace {

struct Palette {
  const char *bold = "", *red = "", *yellow = "", *cyan = "", *dim = "", *reset = "";
  explicit Palette(bool on) {
    if (!on) return;
    bold = "\x1b[1m", red = "\x1b[31m", yellow = "\x1b[33m", cyan = "\x1b[36m", dim = "\x1b[2m",
    reset = "\x1b[0m";
  }
};

// Caret line under the finding's span on its first line (columns are code points).
std::string caret_line(const Finding& f) {
  uint32_t width = 0;
  for (unsigned char c : f.source_line)
    if ((c & 0xC0) != 0x80) ++width;
  uint32_t from = f.region.start_column;
  uint32_t to = f.region.end_line == f.region.start_line ? f.region.end_column : width + 1;
  std::string out;
  uint32_t column = 1;
  for (size_t i = 0; i < f.source_line.size() && column < from; ++i) {
    unsigned char c = f.source_line[i];
    if ((c & 0xC0) == 0x80) continue;
    out += c == '\t' ? '\t' : ' ';
    ++column;
  }
  out.append(std::max<uint32_t>(1, to > from ? to - from : 1), '^');
  return out;
}

constexpr uint32_t kFrameWidth = 160;  // code points of a source line shown in a frame

// The finding with its source line cut to a window around the span, so a
// minified or generated line does not flood the terminal.
Finding framed(const Finding& f) {
  std::vector<size_t> starts;  // byte offset of each code point
  for (size_t i = 0; i < f.source_line.size(); ++i)
    if ((static_cast<unsigned char>(f.source_line[i]) & 0xC0) != 0x80) starts.push_back(i);
  if (starts.size() <= kFrameWidth) return f;
  uint32_t first = f.region.start_column > 40 ? f.region.start_column - 40 : 1;  // 1-based code point
  uint32_t last = std::min<uint32_t>(first + kFrameWidth - 1, static_cast<uint32_t>(starts.size()));
  size_t from = starts[first - 1], to = last < starts.size() ? starts[last] : f.source_line.size();
  Finding g = f;
  g.source_line = (first > 1 ? "..." : "") + f.source_line.substr(from, to - from) + (to < f.source_line.size() ? "..." : "");
  uint32_t shift = first - 1 - (first > 1 ? 3 : 0);
  g.region.start_column -= shift;
  uint32_t end = f.region.end_line == f.region.start_line ? std::min(f.region.end_column, last + 1) : last + 1;
  g.region.end_column = end - shift;
  g.region.end_line = g.region.start_line;
  return g;
}

}  // namespace

std::string render_text(const ScanResult& result, const TextOptions& options) {
  Palette p(options.color);
  std::ostringstream out;
  std::set<std::string> files;
  size_t shown = 0, suppressed = 0;
  for (const auto& f : result.findings) {
    if (f.suppressed) {
      ++suppressed;
      continue;
    }
    ++shown;
    files.insert(f.path);
    const char* sev_color = f.severity >= Severity::high ? p.red : p.yellow;
    out << p.bold << f.path << ":" << f.region.start_line << ":" << f.region.start_column << ":" << p.reset
        << " " << sev_color << p.bold << f.rule_id << p.reset << " [" << severity_name(f.severity) << "] "
        << f.message << "\n";
    if (options.quiet) continue;
    std::string number = std::to_string(f.region.start_line);
    std::string gutter(number.size(), ' ');
    Finding shown = framed(f);
    out << p.cyan << " " << number << " |" << p.reset << " " << shown.source_line << "\n";
    out << p.cyan << " " << gutter << " |" << p.reset << " " << sev_color << caret_line(shown) << p.reset << "\n";
  }
  if (!options.quiet) {
    size_t n = shown;
    out << (n ? "\n" : "") << n << (n == 1 ? " finding" : " findings") << " in " << files.size()
        << (files.size() == 1 ? " file" : " files") << " (" << result.files_scanned
        << (result.files_scanned == 1 ? " file" : " files") << " scanned";
    if (suppressed) out << ", " << suppressed << " suppressed";
    out << ")\n";
  }
  return out.str();
}

std::string render_notices_text(const ScanResult& result, bool color) {
  Palette p(color);
  std::ostringstream out;
  for (const auto& n : result.notices) {
    const char* c = n.level == Notice::Level::error ? p.red : n.level == Notice::Level::warning ? p.yellow : p.dim;
    out << "vigil: " << c << notice_level_name(n.level) << p.reset << ": ";
    if (!n.path.empty()) out << n.path << (n.line ? ":" + std::to_string(n.line) : "") << ": ";
    out << n.message << " [" << n.id << "]\n";
  }
  return out.str();
}

}  // namespace vigil
