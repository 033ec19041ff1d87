#include "core/fixes.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace vigil {
namespace fs = std::filesystem;

std::vector<FixedFile> plan_fixes(const std::vector<Finding>& findings) {
  std::map<std::string, std::vector<const Edit*>> edits;
  std::map<std::string, size_t> counts;
  for (const auto& f : findings) {
    if (f.suppressed || f.fixes.empty()) continue;
    for (const Edit& e : f.fixes.front().edits) edits[f.path].push_back(&e);
    ++counts[f.path];
  }
  std::vector<FixedFile> out;
  for (auto& [path, list] : edits) {
    std::ifstream in(fs::absolute(path), std::ios::binary);
    if (!in) continue;
    std::stringstream buffer;
    buffer << in.rdbuf();
    FixedFile file{path, buffer.str(), "", counts[path]};
    std::sort(list.begin(), list.end(), [](const Edit* a, const Edit* b) { return a->start_byte > b->start_byte; });
    std::string text = file.before;
    uint32_t limit = UINT32_MAX;  // edits apply from the end; one that overlaps a later one is dropped
    for (const Edit* e : list) {
      if (e->end_byte > limit || e->end_byte > text.size() || e->start_byte > e->end_byte) continue;
      text.replace(e->start_byte, e->end_byte - e->start_byte, e->replacement);
      limit = e->start_byte;
    }
    file.after = std::move(text);
    if (file.after != file.before) out.push_back(std::move(file));
  }
  return out;
}

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

}  // namespace

std::string unified_diff(const FixedFile& file) {
  // Fixes change few lines: strip the common head and tail, then show the
  // changed middle region by region, split where several unchanged lines
  // separate changes of the same length.
  auto a = lines(file.before), b = lines(file.after);
  std::ostringstream out;
  out << "--- a/" << file.path << "\n+++ b/" << file.path << "\n";
  size_t i = 0, j = 0, printed = 0;  // lines of `a` already shown
  const size_t context = 3;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      ++i, ++j;
      continue;
    }
    // A change starts at (i, j): find where the lines agree again.
    size_t ei = i, ej = j;
    bool found = false;
    for (size_t span = 1; !found && span <= std::max(a.size() - i, b.size() - j) + 1; ++span)
      for (size_t di = 0; di <= span && !found; ++di) {
        size_t dj = span - di;
        if (i + di <= a.size() && j + dj <= b.size() &&
            (i + di == a.size() || j + dj == b.size() ? i + di == a.size() && j + dj == b.size()
                                                       : a[i + di] == b[j + dj])) {
          ei = i + di, ej = j + dj;
          found = true;
        }
      }
    if (!found) ei = a.size(), ej = b.size();
    size_t from = std::max(printed, i > context ? i - context : 0), fromb = j - (i - from);
    size_t to = std::min(a.size(), ei + context), tob = ej + (to - ei);
    out << "@@ -" << from + 1 << "," << to - from << " +" << fromb + 1 << "," << tob - fromb << " @@\n";
    for (size_t k = from; k < i; ++k) out << " " << a[k] << "\n";
    for (size_t k = i; k < ei; ++k) out << "-" << a[k] << "\n";
    for (size_t k = j; k < ej; ++k) out << "+" << b[k] << "\n";
    for (size_t k = ei; k < to; ++k) out << " " << a[k] << "\n";
    i = to, j = tob, printed = to;
  }
  return out.str();
}

}  // namespace vigil
