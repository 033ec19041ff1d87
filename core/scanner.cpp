#include "core/scanner.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <numeric>
#include <thread>
#include <tuple>

#include "core/fingerprint.h"
#include "frontends/python/analyzer.h"

namespace vigil {
namespace {

struct FileOutcome {
  std::vector<Finding> findings;
  std::vector<Notice> notices;
  bool analysed = false;
};

FileOutcome analyse_file(const DiscoveredFile& file, const ScanOptions& options) {
  FileOutcome out;
  auto source = load_source(file.path, file.display, options.max_file_size, out.notices);
  if (!source) return out;
  try {
    auto analysis = python::analyze(*source, python::package_of(file.path.string()), options.selection);
    out.findings = std::move(analysis.findings);
    out.notices.insert(out.notices.end(), analysis.notices.begin(), analysis.notices.end());
    out.analysed = true;
  } catch (const std::exception& e) {
    // A defect in a checker must not lose the rest of the scan.
    out.notices.push_back({Notice::Level::error, "internal-error", file.display, 0,
                           std::string("analysis failed: ") + e.what()});
  }
  return out;
}

}  // namespace

void finalize(ScanResult& result) {
  auto& f = result.findings;
  std::sort(f.begin(), f.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.path, a.region.start_line, a.region.start_column, a.rule_id, a.message) <
           std::tie(b.path, b.region.start_line, b.region.start_column, b.rule_id, b.message);
  });
  assign_fingerprints(f);
  auto& n = result.notices;
  std::stable_sort(n.begin(), n.end(), [](const Notice& a, const Notice& b) {
    return std::tie(a.path, a.line, a.id) < std::tie(b.path, b.line, b.id);
  });
}

ScanResult scan(const ScanOptions& options) {
  ScanResult result;
  Discovery discovery = discover(options.paths, options.discovery);
  result.missing_paths = std::move(discovery.missing);
  result.notices = std::move(discovery.notices);
  const auto& files = discovery.files;

  // Largest files first keeps both cores busy until the end.
  std::vector<size_t> order(files.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return files[a].size > files[b].size; });

  std::vector<FileOutcome> outcomes(files.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < order.size();) outcomes[order[i]] = analyse_file(files[order[i]], options);
  };
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, std::max<size_t>(1, files.size()));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  for (auto& o : outcomes) {
    if (o.analysed) ++result.files_scanned;
    std::move(o.findings.begin(), o.findings.end(), std::back_inserter(result.findings));
    std::move(o.notices.begin(), o.notices.end(), std::back_inserter(result.notices));
  }
  finalize(result);
  return result;
}

}  // namespace vigil
