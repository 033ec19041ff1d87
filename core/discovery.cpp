#include "core/discovery.h"

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_set>

#include "core/gitignore.h"

namespace vigil {
namespace fs = std::filesystem;

namespace {

// Directories that never hold code worth scanning (caches, VCS, build and
// dependency trees). Virtualenvs are also recognised by their pyvenv.cfg.
const std::unordered_set<std::string> kSkippedDirs = {
    ".git", ".hg", ".svn", ".bzr", ".tox", ".nox", ".venv", "venv", ".eggs", "__pycache__",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".vigil_cache", ".pytype", ".direnv",
    "node_modules", "site-packages", "__pypackages__", "build", "dist", "_build", "buck-out",
    ".ipynb_checkpoints", ".idea", ".vscode"};

// A chain of .gitignore files and exclude lists, innermost first.
struct IgnoreChain {
  std::shared_ptr<const IgnoreChain> parent;
  fs::path base;
  IgnoreFile rules;
};
using ChainPtr = std::shared_ptr<const IgnoreChain>;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

ChainPtr push(ChainPtr parent, const fs::path& base, IgnoreFile rules) {
  if (rules.empty()) return parent;
  return std::make_shared<const IgnoreChain>(IgnoreChain{std::move(parent), base, std::move(rules)});
}

ChainPtr push_gitignore(ChainPtr parent, const fs::path& dir) {
  std::error_code ec;
  fs::path file = dir / ".gitignore";
  if (!fs::is_regular_file(file, ec)) return parent;
  return push(std::move(parent), dir, IgnoreFile::parse(read_text(file)));
}

bool ignored(const IgnoreChain* chain, const fs::path& path, bool is_dir) {
  for (; chain; chain = chain->parent.get()) {
    std::string rel = path.lexically_relative(chain->base).generic_string();
    auto verdict = chain->rules.match(rel, is_dir);
    if (verdict != IgnoreFile::Verdict::none) return verdict == IgnoreFile::Verdict::ignored;
  }
  return false;
}

// .gitignore files between the enclosing git work tree's top and `dir`
// (exclusive), outermost first; none when `dir` is not inside a work tree.
ChainPtr ancestor_gitignores(const fs::path& dir) {
  std::vector<fs::path> ancestors;
  std::error_code ec;
  for (fs::path p = dir.parent_path(); !p.empty(); p = p.parent_path()) {
    ancestors.push_back(p);
    if (fs::exists(p / ".git", ec)) {
      ChainPtr chain;
      for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) chain = push_gitignore(chain, *it);
      return chain;
    }
    if (p == p.parent_path()) break;
  }
  return nullptr;
}

Notice notice(Notice::Level level, const char* id, std::string path, std::string message) {
  Notice n;
  n.level = level;
  n.id = id;
  n.path = std::move(path);
  n.message = std::move(message);
  return n;
}

bool is_below(const fs::path& path, const fs::path& root) {
  auto rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

class Walker {
 public:
  Walker(const DiscoveryOptions& options, Discovery& out) : options_(options), out_(out) {}

  void walk_root(const fs::path& root) {
    std::error_code ec;
    fs::path canonical_root = fs::canonical(root, ec);
    if (ec) canonical_root = root;
    ChainPtr chain = options_.respect_gitignore ? ancestor_gitignores(root) : nullptr;
    std::string excludes;
    for (const auto& e : options_.excludes) excludes += e + "\n";
    chain = push(chain, root, IgnoreFile::parse(excludes));
    std::vector<std::pair<fs::path, ChainPtr>> stack{{root, chain}};
    while (!stack.empty()) {
      auto [dir, parent_chain] = std::move(stack.back());
      stack.pop_back();
      fs::path canonical_dir = fs::canonical(dir, ec);
      if (ec) canonical_dir = dir;
      if (!visited_dirs_.insert(canonical_dir.string()).second) {
        out_.notices.push_back(notice(Notice::Level::warning, "symlink-loop", display_path(dir),
                                      "directory already visited (symlink loop?); not scanned again"));
        continue;
      }
      ChainPtr dir_chain = options_.respect_gitignore ? push_gitignore(parent_chain, dir) : parent_chain;
      std::vector<fs::directory_entry> entries;
      fs::directory_iterator it(dir, ec);
      if (ec) {
        out_.notices.push_back(notice(Notice::Level::error, "unreadable-directory", display_path(dir),
                                      "cannot read directory: " + ec.message()));
        continue;
      }
      for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        entries.push_back(*it);
      }
      std::sort(entries.begin(), entries.end(),
                [](const auto& a, const auto& b) { return a.path() > b.path(); });
      for (const auto& entry : entries) visit_entry(entry, canonical_root, dir_chain, stack);
    }
  }

  void add_file(const fs::path& path, Language language) {
    std::error_code ec;
    fs::path canonical = fs::canonical(path, ec);
    if (!seen_files_.insert(ec ? path.string() : canonical.string()).second) return;
    DiscoveredFile file;
    file.path = path;
    file.display = display_path(path);
    file.language = language;
    file.size = fs::file_size(path, ec);
    out_.files.push_back(std::move(file));
  }

 private:
  void visit_entry(const fs::directory_entry& entry, const fs::path& canonical_root, const ChainPtr& chain,
                   std::vector<std::pair<fs::path, ChainPtr>>& stack) {
    std::error_code ec;
    const fs::path& path = entry.path();
    bool is_dir = entry.is_directory(ec);
    if (entry.is_symlink(ec)) {
      fs::path target = fs::canonical(path, ec);
      if (ec) {  // dangling, or a loop of links: said when it names a file we would scan
        if (language_of(path) != Language::unknown && !ignored(chain.get(), path, false))
          out_.notices.push_back(notice(Notice::Level::warning, "broken-symlink", display_path(path),
                                        "symlink cannot be resolved (" + ec.message() + "); not scanned"));
        return;
      }
      if (!is_below(target, canonical_root) && target != canonical_root) {
        out_.notices.push_back(notice(Notice::Level::note, "symlink-outside-root", display_path(path),
                                      "symlink points outside the scanned root; not followed"));
        return;
      }
    }
    std::string name = path.filename().string();
    if (is_dir) {
      if (kSkippedDirs.count(name) || fs::exists(path / "pyvenv.cfg", ec)) return;
      if (ignored(chain.get(), path, true)) return;
      stack.emplace_back(path, chain);
      return;
    }
    Language language = language_of(path);
    if (language == Language::unknown) return;
    if (!entry.is_regular_file(ec)) {
      out_.notices.push_back(notice(Notice::Level::warning, "not-a-regular-file", display_path(path),
                                    "not a regular file (FIFO, socket or device); not scanned"));
      return;
    }
    if (ignored(chain.get(), path, false)) return;
    add_file(path, language);
  }

  const DiscoveryOptions& options_;
  Discovery& out_;
  std::set<std::string> visited_dirs_;
  std::unordered_set<std::string> seen_files_;
};

}  // namespace

Language language_of(const fs::path& file) {
  auto ext = file.extension().string();
  if (ext == ".py" || ext == ".pyi") return Language::python;
  static const std::unordered_set<std::string> kCpp = {".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".h",
                                                       ".hh", ".hpp", ".hxx", ".h++", ".ipp", ".inl"};
  if (kCpp.count(ext)) return Language::cpp;
  return Language::unknown;
}

std::string display_path(const fs::path& absolute) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (!ec && is_below(absolute, cwd)) return absolute.lexically_relative(cwd).generic_string();
  if (!ec && absolute == cwd) return ".";
  return absolute.generic_string();
}

Discovery discover(const std::vector<std::string>& inputs, const DiscoveryOptions& options) {
  Discovery out;
  Walker walker(options, out);
  std::error_code ec;
  for (const auto& input : inputs) {
    fs::path path = fs::absolute(input, ec).lexically_normal();
    if (path.has_filename() == false && path.has_parent_path()) path = path.parent_path();
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      out.missing.push_back(input);
      continue;
    }
    if (fs::is_directory(status)) {
      walker.walk_root(path);
    } else if (language_of(path) == Language::unknown) {
      // Named explicitly, so never skipped silently.
      out.notices.push_back(notice(Notice::Level::warning, "unsupported-file", display_path(path),
                                   "not a Python or C/C++ source file; not scanned"));
    } else {
      walker.add_file(path, language_of(path));  // named files are scanned even if ignored
    }
  }
  std::sort(out.files.begin(), out.files.end(),
            [](const auto& a, const auto& b) { return a.display < b.display; });
  return out;
}

}  // namespace vigil
