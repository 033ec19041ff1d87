// The per-file result cache (`.vigil_cache/`, like Ruff's): a Python file whose
// content, path, package, vigil version and rule configuration are unchanged
// is not parsed again; its findings, notices and project facts come from the
// cache, so project rules see unchanged files without re-reading them.
// Entries are untrusted: one that does not parse or whose key differs is a
// miss and is rewritten. Writes go to a temporary file renamed into place, so
// concurrent runs (two pre-commit hooks) never see half an entry.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "core/project.h"

namespace vigil {

struct CachedFile {
  std::vector<Finding> findings;
  std::vector<Notice> notices;
  std::vector<Fact> facts;
};

class ResultCache {
 public:
  // `dir` is the cache directory; `config_key` identifies the rule configuration.
  ResultCache(std::filesystem::path dir, std::string config_key);

  // What identifies one file's result: its text and where it sits.
  std::string key(const std::string& path, const std::string& module, const std::string& package,
                  const std::string& text) const;
  std::optional<CachedFile> load(const std::string& path, const std::string& key) const;
  // False when the entry could not be written: the scan goes on uncached
  // and says so once (a `cache-unwritable` notice).
  bool store(const std::string& path, const std::string& key, const CachedFile& entry) const;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path entry_path(const std::string& path) const;
  std::filesystem::path dir_;
  std::string config_key_;
};

// The cache directory for a scan: `explicit_dir` if given, else
// $VIGIL_CACHE_DIR, else
// `.vigil_cache` in the configuration's directory, else in the project root of
// the first path, else in the working directory.
std::filesystem::path cache_dir_for(const std::string& explicit_dir, const std::string& config_dir,
                                    const std::string& first_path);

// Removes a cache directory (only if it is one: it holds vigil's marker).
bool remove_cache(const std::filesystem::path& dir, std::string& error);

}  // namespace vigil
