#include "frontends/python/checker.h"

#include <stdexcept>

#include "frontends/python/syntax.h"

namespace vigil::python {

std::vector<std::unique_ptr<Checker>>& checker_list() {
  static std::vector<std::unique_ptr<Checker>> list;
  return list;
}

Finding Context::located(TSNode at) const {
  Finding f;
  f.path = file_.path();
  TSPoint s = ts_node_start_point(at), e = ts_node_end_point(at);
  f.region.start_line = s.row + 1;
  f.region.start_column = file_.column(s.row + 1, s.column);
  f.region.end_line = e.row + 1;
  f.region.end_column = file_.column(e.row + 1, e.column);
  f.source_line = std::string(file_.line(s.row + 1));
  return f;
}

void Context::report(std::string_view rule_id, TSNode at, std::string message, std::optional<Severity> severity) {
  if (!selection_.enabled(rule_id)) return;
  const RuleMeta* rule = Registry::instance().find(rule_id);
  if (!rule) throw std::logic_error("checker reported unknown rule " + std::string(rule_id));
  Finding f = located(at);
  f.rule_id = rule->id;
  f.severity = severity.value_or(rule->severity);
  f.message = std::move(message);
  out_.push_back(std::move(f));
}

void Context::fact(std::string kind, TSNode at, nlohmann::json data) {
  facts_.push_back({std::move(kind), std::move(data), located(at)});
}

}  // namespace vigil::python
