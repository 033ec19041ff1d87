// The parse-only bound for Python scans: reads every .py file under the given
// paths and parses it with the same tree-sitter build vigil uses, optionally
// walking every node once (what vigil's single traversal costs at least).
// No rules, no model. Used by bench/run.py; never by the tests.
//
//   vigil-parse-bound [--jobs N] [--visit] PATH...
#include <tree_sitter/api.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern "C" const TSLanguage* tree_sitter_python();

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> python_files(const std::vector<std::string>& roots) {
  std::vector<fs::path> out;
  for (const auto& root : roots) {
    std::error_code ec;
    if (fs::is_regular_file(root, ec)) {
      out.emplace_back(root);
      continue;
    }
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      std::string name = it->path().filename().string();
      if (it->is_directory(ec) && name.size() > 1 && name[0] == '.') {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec) && it->path().extension() == ".py") out.push_back(it->path());
    }
  }
  return out;
}

uint64_t visit_all(TSTree* tree) {
  uint64_t nodes = 0;
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  for (;;) {
    ++nodes;
    if (ts_tree_cursor_goto_first_child(&cursor)) continue;
    bool done = false;
    while (!ts_tree_cursor_goto_next_sibling(&cursor))
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        done = true;
        break;
      }
    if (done) break;
  }
  ts_tree_cursor_delete(&cursor);
  return nodes;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  bool visit = false;
  std::vector<std::string> roots;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--jobs") && i + 1 < argc) jobs = static_cast<unsigned>(std::stoul(argv[++i]));
    else if (!std::strcmp(argv[i], "--visit")) visit = true;
    else roots.emplace_back(argv[i]);
  }
  if (roots.empty()) {
    std::fprintf(stderr, "usage: vigil-parse-bound [--jobs N] [--visit] PATH...\n");
    return 2;
  }
  auto files = python_files(roots);
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> bytes{0}, nodes{0};
  auto worker = [&] {
    TSParser* parser = ts_parser_new();
    ts_parser_set_language(parser, tree_sitter_python());
    for (size_t i; (i = next.fetch_add(1)) < files.size();) {
      std::ifstream in(files[i], std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      std::string source = text.str();
      TSTree* tree = ts_parser_parse_string(parser, nullptr, source.data(), static_cast<uint32_t>(source.size()));
      if (!tree) continue;
      if (visit) nodes += visit_all(tree);
      bytes += source.size();
      ts_tree_delete(tree);
    }
    ts_parser_delete(parser);
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  std::printf("{\"files\": %zu, \"bytes\": %llu, \"nodes\": %llu}\n", files.size(),
              static_cast<unsigned long long>(bytes.load()), static_cast<unsigned long long>(nodes.load()));
  return 0;
}
