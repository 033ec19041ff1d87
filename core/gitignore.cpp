#include "core/gitignore.h"

#include <sstream>

namespace vigil {
namespace {

// Matches a '[...]' class at p (just past '['); sets `end` past ']'. Returns
// false with end == nullptr when the class is malformed (then '[' is literal).
bool match_class(const char* p, const char* pe, char c, const char*& end) {
  bool negate = p < pe && (*p == '!' || *p == '^');
  if (negate) ++p;
  bool matched = false;
  bool first = true;
  while (p < pe && (*p != ']' || first)) {
    first = false;
    char lo = *p;
    if (lo == '\\' && p + 1 < pe) lo = *++p;
    char hi = lo;
    if (p + 2 < pe && p[1] == '-' && p[2] != ']') {
      hi = p[2];
      p += 2;
    }
    if (lo <= c && c <= hi) matched = true;
    ++p;
  }
  if (p >= pe) {
    end = nullptr;
    return false;
  }
  end = p + 1;
  return matched != negate;
}

bool match_from(const char* begin, const char* p, const char* pe, const char* s, const char* se) {
  while (p < pe) {
    char pc = *p;
    if (pc == '*') {
      bool double_star = p + 1 < pe && p[1] == '*';
      bool segment_start = p == begin || p[-1] == '/';
      const char* after = p + (double_star ? 2 : 1);
      if (double_star && segment_start && (after == pe || *after == '/')) {
        if (after == pe) return true;  // trailing "/**": everything below
        ++after;                       // "**/": zero or more directories
        for (const char* t = s;;) {
          if (match_from(begin, after, pe, t, se)) return true;
          while (t < se && *t != '/') ++t;
          if (t == se) return false;
          ++t;
        }
      }
      while (after < pe && *after == '*') ++after;
      for (const char* t = s;; ++t) {
        if (match_from(begin, after, pe, t, se)) return true;
        if (t == se || *t == '/') return false;
      }
    }
    if (s == se) return false;
    if (pc == '?') {
      if (*s == '/') return false;
    } else if (pc == '[') {
      const char* end = nullptr;
      bool ok = match_class(p + 1, pe, *s, end);
      if (end) {
        if (!ok || *s == '/') return false;
        p = end;
        ++s;
        continue;
      }
      if (*s != '[') return false;  // malformed class: literal '['
    } else {
      if (pc == '\\' && p + 1 < pe) pc = *++p;
      if (*s != pc) return false;
    }
    ++p;
    ++s;
  }
  return s == se;
}

std::string_view basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  const char* p = pattern.data();
  return match_from(p, p, p + pattern.size(), path.data(), path.data() + path.size());
}

IgnoreFile IgnoreFile::parse(std::string_view text) {
  IgnoreFile file;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // Trailing spaces are dropped unless escaped with a backslash.
    while (!line.empty() && line.back() == ' ' && !(line.size() >= 2 && line[line.size() - 2] == '\\'))
      line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    Pattern pat;
    if (line[0] == '!') {
      pat.negated = true;
      line.erase(0, 1);
    }
    if (line.size() >= 2 && line[0] == '\\' && (line[1] == '!' || line[1] == '#')) line.erase(0, 1);
    if (!line.empty() && line.back() == '/') {
      pat.dir_only = true;
      line.pop_back();
    }
    if (line.empty()) continue;
    pat.anchored = line.find('/') != std::string::npos;
    if (line[0] == '/') line.erase(0, 1);
    pat.glob = line;
    file.patterns_.push_back(std::move(pat));
  }
  return file;
}

IgnoreFile::Verdict IgnoreFile::match(std::string_view relative, bool is_dir) const {
  for (auto it = patterns_.rbegin(); it != patterns_.rend(); ++it) {
    if (it->dir_only && !is_dir) continue;
    std::string_view subject = it->anchored ? relative : basename(relative);
    if (glob_match(it->glob, subject)) return it->negated ? Verdict::included : Verdict::ignored;
  }
  return Verdict::none;
}

}  // namespace vigil
