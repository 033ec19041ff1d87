// Reading one input file, with every reason it cannot be analysed reported.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"

namespace vigil {

// The text of one input; a lone CR is read as a line end (LF).
class SourceFile {
 public:
  SourceFile(std::string display_path, std::string text);
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  // 1-based line number -> that line without its line terminator.
  std::string_view line(uint32_t line) const;
  // Converts a 0-based byte column on a 1-based line to a 1-based code-point column.
  uint32_t column(uint32_t line, uint32_t byte_column) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

constexpr uint64_t kDefaultMaxFileSize = 5ull * 1024 * 1024;

// Loads a file for analysis. On failure returns nullopt and appends a notice
// (unreadable, too large, binary, invalid UTF-8). A UTF-8 BOM is dropped.
std::optional<SourceFile> load_source(const std::filesystem::path& file, const std::string& display,
                                      uint64_t max_size, std::vector<Notice>& notices);

// Returns the byte offset of the first invalid UTF-8 sequence, or npos.
size_t find_invalid_utf8(std::string_view text);

}  // namespace vigil
