#include "core/source_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace vigil {

SourceFile::SourceFile(std::string display_path, std::string text)
    : path_(std::move(display_path)), text_(std::move(text)) {
  // A lone CR ends a line in Python (and old Mac files): it becomes a LF, so
  // the parser, line numbers and suppression comments agree. Byte offsets
  // are unchanged (fixes still apply to the file on disk).
  for (size_t i = text_.find('\r'); i != std::string::npos; i = text_.find('\r', i + 1))
    if (i + 1 == text_.size() || text_[i + 1] != '\n') text_[i] = '\n';
  line_starts_.push_back(0);
  const char* begin = text_.data();
  const char* end = begin + text_.size();
  for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\n', end - p))); ++p)
    line_starts_.push_back(static_cast<uint32_t>(p - begin + 1));
}

std::string_view SourceFile::line(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  uint32_t begin = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1 : text_.size();
  std::string_view view(text_.data() + begin, end - begin);
  if (!view.empty() && view.back() == '\r') view.remove_suffix(1);
  return view;
}

uint32_t SourceFile::column(uint32_t line, uint32_t byte_column) const {
  std::string_view text = this->line(line);
  uint32_t points = 0;
  for (uint32_t i = 0; i < byte_column && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++points;
  return points + 1;
}

size_t find_invalid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    // ASCII runs, eight bytes at a time: most source text.
    while (i + 8 <= s.size()) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= s.size()) break;
    unsigned char c = s[i];
    size_t len;
    uint32_t min;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { len = 2; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; min = 0x10000; }
    else return i;
    if (i + len > s.size()) return i;
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = s[i + k];
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

namespace {

Notice file_notice(Notice::Level level, const char* id, const std::string& path, std::string message,
                   uint32_t line = 0) {
  Notice n;
  n.level = level;
  n.id = id;
  n.path = path;
  n.line = line;
  n.message = std::move(message);
  return n;
}

uint32_t line_of(std::string_view text, size_t offset) {
  uint32_t line = 1;
  for (size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') ++line;
  return line;
}

}  // namespace

std::optional<SourceFile> load_source(const std::filesystem::path& file, const std::string& display,
                                      uint64_t max_size, std::vector<Notice>& notices) {
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(file, ec);
  if (ec) {
    notices.push_back(file_notice(Notice::Level::error, "unreadable", display,
                                  "cannot read file: " + ec.message()));
    return std::nullopt;
  }
  if (size > max_size) {
    notices.push_back(file_notice(Notice::Level::warning, "file-too-large", display,
                                  "skipped: file is " + std::to_string(size) + " bytes, over the limit of " +
                                      std::to_string(max_size) + " (raise it with --max-file-size)"));
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    notices.push_back(file_notice(Notice::Level::error, "unreadable", display,
                                  std::string("cannot read file: ") + std::strerror(errno)));
    return std::nullopt;
  }
  // One read of the size stat gave, then whatever the file grew by since.
  std::string text;
  text.resize(size);
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<size_t>(in.gcount()));
  for (char buf[65536]; in && in.read(buf, sizeof buf).gcount() > 0;) text.append(buf, static_cast<size_t>(in.gcount()));
  if (text.size() > max_size) {
    notices.push_back(file_notice(Notice::Level::warning, "file-too-large", display,
                                  "skipped: file grew to " + std::to_string(text.size()) + " bytes while read, over the limit of " +
                                      std::to_string(max_size) + " (raise it with --max-file-size)"));
    return std::nullopt;
  }
  if (in.bad()) {
    notices.push_back(file_notice(Notice::Level::error, "unreadable", display, "read error"));
    return std::nullopt;
  }
  if (size_t nul = text.find('\0'); nul != std::string::npos) {
    notices.push_back(file_notice(Notice::Level::warning, "binary-file", display,
                                  "skipped: file contains NUL bytes (binary?)", line_of(text, nul)));
    return std::nullopt;
  }
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  if (size_t bad = find_invalid_utf8(text); bad != std::string::npos) {
    notices.push_back(file_notice(Notice::Level::warning, "invalid-utf8", display,
                                  "skipped: not valid UTF-8 at byte " + std::to_string(bad),
                                  line_of(text, bad)));
    return std::nullopt;
  }
  return SourceFile(display, std::move(text));
}

}  // namespace vigil
