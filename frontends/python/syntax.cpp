#include "frontends/python/syntax.h"

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

}  // namespace vigil::python
