#include "frontends/python/analyzer.h"

#include <filesystem>
#include <memory>

#include "frontends/python/checker.h"
#include "frontends/python/model.h"
#include "frontends/python/syntax.h"

namespace vigil::python {
namespace {

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};
struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};

// One parser per thread, created once.
TSParser* thread_parser() {
  thread_local std::unique_ptr<TSParser, ParserDeleter> parser = [] {
    std::unique_ptr<TSParser, ParserDeleter> p(ts_parser_new());
    ts_parser_set_language(p.get(), tree_sitter_python());
    return p;
  }();
  return parser.get();
}

// Checkers indexed by the grammar symbol of the node kinds they visit; built
// once per process.
const std::vector<std::vector<const Checker*>>& dispatch_table() {
  static const std::vector<std::vector<const Checker*>> table = [] {
    const TSLanguage* lang = tree_sitter_python();
    std::vector<std::vector<const Checker*>> t(ts_language_symbol_count(lang));
    for (const auto& checker : checker_list())
      for (const auto& k : checker->node_kinds()) {
        TSSymbol sym = ts_language_symbol_for_name(lang, k.data(), k.size(), true);
        if (sym == 0) throw std::logic_error("checker subscribes to unknown node kind " + k);
        t[sym].push_back(checker.get());
      }
    return t;
  }();
  return table;
}

bool any_rule_enabled(const Checker& c, const RuleSelection& selection) {
  for (const auto& id : c.rule_ids())
    if (selection.enabled(id)) return true;
  return false;
}

struct Visit {
  TSNode node;
  int scope;
  const std::vector<const Checker*>* checkers;
};

struct SyntaxErrors {
  uint32_t count = 0;
  uint32_t first_line = 0;
  void note(TSNode n) {
    if (!ts_node_is_error(n) && !ts_node_is_missing(n)) return;
    if (count++ == 0) first_line = line_of(n);
  }
};

}  // namespace

FileAnalysis analyze(const SourceFile& file, const std::string& package, const RuleSelection& selection) {
  FileAnalysis result;
  const std::string& source = file.text();
  std::unique_ptr<TSTree, TreeDeleter> tree(
      ts_parser_parse_string(thread_parser(), nullptr, source.data(), static_cast<uint32_t>(source.size())));
  if (!tree) {
    result.notices.push_back({Notice::Level::error, "parse-failed", file.path(), 0, "the parser gave up on this file"});
    return result;
  }
  const auto& table = dispatch_table();
  Model model(source, package);
  std::vector<Visit> visits;
  SyntaxErrors errors;

  // The single traversal, iterative so that deep nesting cannot overflow the stack.
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree.get()));
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    bool named = ts_node_is_named(node);
    if (named) {
      errors.note(node);
      const auto& subscribers = table[ts_node_symbol(node)];
      if (!subscribers.empty()) visits.push_back({node, model.current_scope(), &subscribers});
      model.enter(node);
    } else if (ts_node_is_missing(node)) {
      errors.note(node);
    }
    if (ts_tree_cursor_goto_first_child(&cursor)) continue;
    if (named) model.leave(node);
    bool done = false;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        done = true;
        break;
      }
      TSNode parent = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_named(parent)) model.leave(parent);
    }
    if (done) break;
  }
  ts_tree_cursor_delete(&cursor);

  if (errors.count)
    result.notices.push_back({Notice::Level::warning, "syntax-error", file.path(), errors.first_line,
                              "parsed with " + std::to_string(errors.count) + " syntax error" +
                                  (errors.count == 1 ? "" : "s") + " (first on line " +
                                  std::to_string(errors.first_line) + "); analysed what parsed"});

  Context ctx(file, model, selection, result.findings);
  for (const Visit& v : visits)
    for (const Checker* c : *v.checkers) {
      if (!any_rule_enabled(*c, selection)) continue;
      ctx.set_scope(v.scope);
      c->check(v.node, ctx);
    }
  return result;
}

std::string package_of(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string package;
  for (fs::path dir = fs::path(path).parent_path(); !dir.empty() && fs::exists(dir / "__init__.py", ec);
       dir = dir.parent_path()) {
    package = dir.filename().string() + (package.empty() ? "" : "." + package);
    if (dir == dir.parent_path()) break;
  }
  return package;
}

}  // namespace vigil::python
