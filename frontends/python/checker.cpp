#include "frontends/python/checker.h"

#include <algorithm>
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

Edit Context::edit(uint32_t start_byte, uint32_t end_byte, std::string replacement) const {
  Edit e;
  e.start_byte = start_byte;
  e.end_byte = end_byte;
  e.replacement = std::move(replacement);
  auto position = [&](uint32_t byte, uint32_t& line, uint32_t& column) {
    const std::string& text = file_.text();
    line = 1 + static_cast<uint32_t>(std::count(text.begin(), text.begin() + byte, '\n'));
    size_t line_start = text.rfind('\n', byte == 0 ? 0 : byte - 1);
    line_start = byte == 0 || line_start == std::string::npos ? 0 : line_start + 1;
    column = file_.column(line, byte - static_cast<uint32_t>(line_start));
  };
  position(start_byte, e.region.start_line, e.region.start_column);
  position(end_byte, e.region.end_line, e.region.end_column);
  return e;
}

void Context::report_with_fix(std::string_view rule_id, TSNode at, std::string message, TSNode at_fix,
                              std::string replacement, std::string description) {
  size_t before = out_.size();
  report(rule_id, at, std::move(message));
  if (out_.size() == before || is_null(at_fix)) return;
  out_.back().fixes.push_back({std::move(description), {edit(start(at_fix), end(at_fix), std::move(replacement))}});
}

void Context::attach_fix(Fix fix) {
  if (!out_.empty()) out_.back().fixes.push_back(std::move(fix));
}

void Context::fact(std::string kind, TSNode at, nlohmann::json data) {
  facts_.push_back({std::move(kind), std::move(data), located(at)});
}

}  // namespace vigil::python
