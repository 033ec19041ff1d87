// Matching of .gitignore patterns (and --exclude globs, which use the same syntax).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// gitignore wildcard match of a whole '/'-separated path: '*' and '?' do not
// cross '/', '[...]' classes, '\' escapes, and '**' as a whole segment.
bool glob_match(std::string_view pattern, std::string_view path);

class IgnoreFile {
 public:
  enum class Verdict { none, ignored, included };
  // Parses the text of one .gitignore whose directory is the patterns' base.
  static IgnoreFile parse(std::string_view text);
  // `relative` is the path below the base directory, '/'-separated. The last
  // matching pattern decides, as in git.
  Verdict match(std::string_view relative, bool is_dir) const;
  bool empty() const { return patterns_.empty(); }

 private:
  struct Pattern {
    std::string glob;
    bool negated = false, dir_only = false, anchored = false;
  };
  std::vector<Pattern> patterns_;
};

}  // namespace vigil
