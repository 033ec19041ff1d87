// Findings and notifications: what every frontend produces and every reporter reads.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace vigil {

enum class Severity { low, medium, high, critical };

const char* severity_name(Severity s);
bool parse_severity(const std::string& text, Severity& out);

// 1-based lines and columns; columns count Unicode code points.
struct Region {
  uint32_t start_line = 0, start_column = 0;
  uint32_t end_line = 0, end_column = 0;
};

// A safe mechanical change that resolves a finding: byte ranges of the
// file replaced by new text (regions are for SARIF).
struct Edit {
  uint32_t start_byte = 0, end_byte = 0;
  Region region;
  std::string replacement;
};
struct Fix {
  std::string description;
  std::vector<Edit> edits;  // in one file: the finding's
};

struct Finding {
  std::string rule_id;
  Severity severity = Severity::medium;
  std::string message;
  std::string path;         // as displayed: relative to the working directory when below it
  Region region;
  std::string source_line;  // the text of region.start_line, for code frames and fingerprints
  std::string fingerprint;  // stable across inserted lines; filled by the scanner
  // Suppressed in the source (kept in SARIF, left out of text and exit codes).
  bool suppressed = false;
  std::string suppression;  // the justification, or the comment that suppressed it
  std::vector<Fix> fixes;
};

// A problem with one input (unreadable, not UTF-8, syntax errors...): it is
// reported and the scan goes on.
struct Notice {
  enum class Level { note, warning, error };
  Level level = Level::warning;
  std::string id;       // short kebab-case kind, e.g. "invalid-utf8"
  std::string path;     // may be empty for run-level notices
  uint32_t line = 0;    // 0 when not tied to a line
  std::string message;
};

const char* notice_level_name(Notice::Level level);

}  // namespace vigil
