// libFuzzer target: arbitrary bytes as a configuration file and as source
// comments (see targets.h).
#include <cstddef>
#include <cstdint>

#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::fuzz::config_and_comments({reinterpret_cast<const char*>(data), size});
  return 0;
}
