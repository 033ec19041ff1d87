// Small helpers over tree-sitter nodes of the Python grammar, so checkers and
// the model read as Python concepts rather than tree-sitter calls.
#pragma once
#include <tree_sitter/api.h>

#include <cstring>
#include <string_view>
#include <vector>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace vigil::python {

inline bool is_null(TSNode n) { return ts_node_is_null(n); }
inline std::string_view kind(TSNode n) { return ts_node_type(n); }
inline bool is(TSNode n, std::string_view k) { return !ts_node_is_null(n) && kind(n) == k; }
// Field ids by name, looked up once per process: tree-sitter's own lookup
// compares the name with every field name of the grammar on each call.
TSFieldId field_id(std::string_view name);
inline TSNode field(TSNode n, const char* name) { return ts_node_child_by_field_id(n, field_id(name)); }

// The parent of a node. ts_node_parent walks down from the root through
// every earlier sibling, so in a module of 100,000 statements each call is
// slow; the analysed tree's top-level statements are indexed (ParentIndex,
// one per thread while a file is analysed) and only the statement holding
// the node is walked.
TSNode parent_of(TSNode n);
class ParentIndex {
 public:
  explicit ParentIndex(const TSTree* tree);
  ~ParentIndex();
  ParentIndex(const ParentIndex&) = delete;
  ParentIndex& operator=(const ParentIndex&) = delete;
  TSNode parent(TSNode n) const;

 private:
  const TSTree* tree_;
  TSNode root_;
  std::vector<TSNode> top_;
  std::vector<uint32_t> starts_;
  const ParentIndex* previous_;
};
inline uint32_t named_count(TSNode n) { return ts_node_named_child_count(n); }
inline TSNode named_child(TSNode n, uint32_t i) { return ts_node_named_child(n, i); }
inline uint32_t start(TSNode n) { return ts_node_start_byte(n); }
inline uint32_t end(TSNode n) { return ts_node_end_byte(n); }
inline uint32_t line_of(TSNode n) { return ts_node_start_point(n).row + 1; }
inline bool contains(TSNode outer, TSNode inner) {
  return start(outer) <= start(inner) && end(inner) <= end(outer);
}
// Named children without comments (tree-sitter keeps comments as named
// "extra" nodes anywhere, e.g. between call arguments).
inline std::vector<TSNode> children(TSNode n) {
  std::vector<TSNode> out;
  if (ts_node_is_null(n)) return out;
  uint32_t count = named_count(n);
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode c = named_child(n, i);
    if (!ts_node_is_extra(c)) out.push_back(c);
  }
  return out;
}
// Skips redundant parentheses: ((x)) -> x.
inline TSNode unparen(TSNode n) {
  while (is(n, "parenthesized_expression")) {
    auto inner = children(n);
    if (inner.size() != 1) break;
    n = inner[0];
  }
  return n;
}

}  // namespace vigil::python
