// Reporters turn a finished scan into text, JSON or SARIF 2.1.0. Each returns
// the whole document as a string, so output files are written in one piece.
#pragma once
#include <string>

#include "core/scanner.h"

namespace vigil {

struct TextOptions {
  bool color = false;
  bool quiet = false;  // findings only: no code frames, no summary
};

std::string render_text(const ScanResult& result, const TextOptions& options);
// Notices for stderr in text mode: "vigil: warning: path:line: message [id]".
std::string render_notices_text(const ScanResult& result, bool color);
std::string render_json(const ScanResult& result);
struct SarifOptions {
  std::string category;          // runs[].automationDetails.id (GitHub code scanning categories)
  size_t max_results = 25000;    // GitHub's limit per run; the least severe are dropped beyond it
};
// `source_root` is the absolute directory that %SRCROOT% stands for.
std::string render_sarif(const ScanResult& result, const std::string& source_root, const SarifOptions& options = {});
// GitHub Actions workflow commands: `::error file=...,line=...::message`.
std::string render_github(const ScanResult& result);

// Writes `content` to `path` atomically (temporary file + rename) or to
// stdout when path is empty or "-". Returns an error message, or "".
std::string write_output(const std::string& path, const std::string& content);

}  // namespace vigil
