// Reading input files (core/source_file.cpp).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/source_file.h"

namespace fs = std::filesystem;

TEST(BadInput, AFileGoneBetweenDiscoveryAndReadIsReported) {
  // The scanner reads each file after discovery; one deleted in between
  // reaches load_source, which reports it (and the scan goes on).
  fs::path gone = fs::temp_directory_path() / ("vigil-gone-" + std::to_string(::getpid()) + ".py");
  std::ofstream(gone) << "x = 1\n";
  fs::remove(gone);
  std::vector<vigil::Notice> notices;
  EXPECT_FALSE(vigil::load_source(gone, "gone.py", vigil::kDefaultMaxFileSize, notices));
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].id, "unreadable");
  EXPECT_EQ(notices[0].path, "gone.py");
}
