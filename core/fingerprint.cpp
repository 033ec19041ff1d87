#include "core/fingerprint.h"

#include <cctype>
#include <cstdio>
#include <map>

namespace vigil {

uint64_t fnv1a64(std::string_view data, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

void assign_fingerprints(std::vector<Finding>& findings) {
  std::map<uint64_t, int> occurrences;
  for (auto& f : findings) {
    std::string normalized;
    for (char c : f.source_line)
      if (!std::isspace(static_cast<unsigned char>(c))) normalized += c;
    uint64_t h = fnv1a64(f.rule_id);
    h = fnv1a64("\x1f" + f.path, h);
    h = fnv1a64("\x1f" + normalized, h);
    int n = occurrences[h]++;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%016llx:%d", static_cast<unsigned long long>(h), n + 1);
    f.fingerprint = buf;
  }
}

}  // namespace vigil
