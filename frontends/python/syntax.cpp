#include "frontends/python/syntax.h"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace vigil::python {

TSFieldId field_id(std::string_view name) {
  static const std::unordered_map<std::string_view, TSFieldId> ids = [] {
    std::unordered_map<std::string_view, TSFieldId> m;
    const TSLanguage* lang = tree_sitter_python();
    for (TSFieldId id = 1; id <= ts_language_field_count(lang); ++id)
      if (const char* n = ts_language_field_name_for_id(lang, id)) m.emplace(n, id);
    return m;
  }();
  auto it = ids.find(name);
  return it == ids.end() ? 0 : it->second;  // 0: no such field, the child is a null node
}

namespace {
thread_local const ParentIndex* current_index = nullptr;
}

ParentIndex::ParentIndex(const TSTree* tree) : tree_(tree), root_(ts_tree_root_node(tree)), previous_(current_index) {
  uint32_t n = ts_node_child_count(root_);
  top_.reserve(n);
  starts_.reserve(n);
  TSTreeCursor cursor = ts_tree_cursor_new(root_);
  if (ts_tree_cursor_goto_first_child(&cursor)) do {
      TSNode child = ts_tree_cursor_current_node(&cursor);
      top_.push_back(child);
      starts_.push_back(ts_node_start_byte(child));
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  ts_tree_cursor_delete(&cursor);
  current_index = this;
}

ParentIndex::~ParentIndex() { current_index = previous_; }

TSNode ParentIndex::parent(TSNode n) const {
  if (n.tree != tree_ || ts_node_is_null(n) || n.id == root_.id) return ts_node_parent(n);
  uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
  // The last top-level node starting at or before n that also ends after it.
  size_t i = std::upper_bound(starts_.begin(), starts_.end(), s) - starts_.begin();
  while (i > 0) {
    TSNode top = top_[--i];
    if (ts_node_end_byte(top) < e) break;
    if (top.id == n.id) return root_;
    for (TSNode cur = top;;) {
      TSNode next = ts_node_child_with_descendant(cur, n);
      if (ts_node_is_null(next)) break;
      if (next.id == n.id) return cur;
      cur = next;
    }
  }
  return ts_node_parent(n);
}

TSNode parent_of(TSNode n) { return current_index ? current_index->parent(n) : ts_node_parent(n); }

}  // namespace vigil::python
