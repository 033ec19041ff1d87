// libFuzzer target: arbitrary bytes as a Python file (see targets.h).
#include <cstddef>
#include <cstdint>

#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::fuzz::python_file({reinterpret_cast<const char*>(data), size});
  return 0;
}
