#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "reporters/reporters.h"

namespace vigil {

std::string write_output(const std::string& path, const std::string& content) {
  if (path.empty() || path == "-") {
    std::cout << content << std::flush;
    return std::cout ? "" : "cannot write to standard output";
  }
  // Same directory as the target, so rename() is atomic: readers see the old
  // file or the whole new one, never half of it.
  std::string temp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return "cannot write " + temp + ": " + std::strerror(errno);
    out << content;
    out.flush();
    if (!out) {
      std::remove(temp.c_str());
      return "cannot write " + temp + ": " + std::strerror(errno);
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::string err = std::strerror(errno);
    std::remove(temp.c_str());
    return "cannot write " + path + ": " + err;
  }
  return "";
}

}  // namespace vigil
