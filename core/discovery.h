// Turning command-line paths into the list of files to analyse.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/finding.h"

namespace vigil {

enum class Language { unknown, python, cpp };  // cpp: C and C++ sources and headers

Language language_of(const std::filesystem::path& file);

struct DiscoveryOptions {
  std::vector<std::string> excludes;  // gitignore-syntax globs, relative to each scanned directory
  bool respect_gitignore = true;
};

struct DiscoveredFile {
  std::filesystem::path path;  // absolute, lexically normal
  std::string display;         // relative to the working directory when below it
  Language language = Language::unknown;
  uint64_t size = 0;
};

struct Discovery {
  std::vector<DiscoveredFile> files;  // sorted by display path, no duplicates
  std::vector<Notice> notices;
  std::vector<std::string> missing;   // command-line paths that do not exist
};

Discovery discover(const std::vector<std::string>& inputs, const DiscoveryOptions& options);

// The path as vigil prints it: relative to the working directory when below it.
std::string display_path(const std::filesystem::path& absolute);

}  // namespace vigil
