#include "frontends/python/analyzer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
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

bool past(std::chrono::steady_clock::time_point deadline) { return std::chrono::steady_clock::now() > deadline; }

}  // namespace

ParsedModule::ParsedModule(const SourceFile& file, const std::string& package,
                           std::chrono::steady_clock::time_point deadline)
    : model_(std::make_unique<Model>(file.text(), package)), deadline_(deadline) {
  const std::string& source = file.text();
  TSParser* parser = thread_parser();
  if (deadline == std::chrono::steady_clock::time_point::max()) {
    tree_ = ts_parser_parse_string(parser, nullptr, source.data(), static_cast<uint32_t>(source.size()));
  } else {
    // The parser asks now and then whether to go on.
    TSParseOptions options{&deadline_, [](TSParseState* state) {
                             return past(*static_cast<std::chrono::steady_clock::time_point*>(state->payload));
                           }};
    TSInput input{const_cast<std::string*>(&source),
                  [](void* payload, uint32_t byte, TSPoint, uint32_t* read) -> const char* {
                    const auto& text = *static_cast<const std::string*>(payload);
                    if (byte >= text.size()) {
                      *read = 0;
                      return "";
                    }
                    *read = static_cast<uint32_t>(text.size() - byte);
                    return text.data() + byte;
                  },
                  TSInputEncodingUTF8, nullptr};
    tree_ = ts_parser_parse_with_options(parser, nullptr, input, options);
    if (!tree_) {
      ts_parser_reset(parser);  // a cancelled parse must not be resumed by the next file
      timed_out_ = true;
    }
  }
  if (tree_) {
    parents_ = std::make_unique<ParentIndex>(tree_);
    traverse();
  }
  model_->finish();
}

ParsedModule::~ParsedModule() {
  parents_.reset();
  if (tree_) ts_tree_delete(tree_);
}

TSNode ParsedModule::root() const { return ts_tree_root_node(tree_); }

// The single traversal: builds the model and collects the nodes checkers
// subscribed to. Iterative, so that deep nesting cannot overflow the stack.
void ParsedModule::traverse() {
  const auto& table = dispatch_table();
  auto note_error = [this](TSNode n) {
    if (!ts_node_is_error(n) && !ts_node_is_missing(n)) return;
    if (syntax_errors_++ == 0) first_error_line_ = line_of(n);
  };
  TSTreeCursor cursor = ts_tree_cursor_new(root());
  std::vector<TSNode> ancestors;  // the path from the root to the current node
  bool budget = deadline_ != std::chrono::steady_clock::time_point::max();
  for (uint32_t count = 0;; ++count) {
    if (budget && (count & 4095) == 0 && past(deadline_)) {
      timed_out_ = true;
      break;
    }
    TSNode node = ts_tree_cursor_current_node(&cursor);
    bool named = ts_node_is_named(node);
    if (named) {
      note_error(node);
      TSSymbol symbol = ts_node_symbol(node);  // ERROR nodes have symbol 65535
      if (symbol < table.size() && !table[symbol].empty())
        visits_.push_back({node, model_->current_scope(), &table[symbol]});
      model_->enter(node, ancestors.empty() ? TSNode{} : ancestors.back(),
                    ts_tree_cursor_current_field_name(&cursor));
    } else {
      note_error(node);
    }
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      ancestors.push_back(node);
      continue;
    }
    if (named) model_->leave(node);
    bool done = false;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        done = true;
        break;
      }
      ancestors.pop_back();
      TSNode parent = ts_tree_cursor_current_node(&cursor);
      if (ts_node_is_named(parent)) model_->leave(parent);
    }
    if (done) break;
  }
  ts_tree_cursor_delete(&cursor);
}

namespace {

void report_timeout(FileAnalysis& result, const SourceFile& file, double seconds, uint32_t line) {
  result.complete = false;
  char budget[32];
  std::snprintf(budget, sizeof budget, "%g", seconds);
  result.notices.push_back({Notice::Level::warning, "analysis-timeout", file.path(), line,
                            std::string("analysis stopped after the per-file budget of ") + budget + " s" +
                                (line ? " (at line " + std::to_string(line) + ")" : "") +
                                "; findings of this file may be missing (raise it with --file-timeout)"});
}

}  // namespace

FileAnalysis analyze(const SourceFile& file, const std::string& package, const RuleSelection& selection,
                     const std::string& module, double timeout_seconds) {
  FileAnalysis result;
  auto deadline = std::chrono::steady_clock::time_point::max();
  if (timeout_seconds > 0)
    deadline = std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(timeout_seconds));
  ParsedModule parsed(file, package, deadline);
  if (parsed.timed_out()) {  // a half-built model would mislead the checkers: nothing is reported
    report_timeout(result, file, timeout_seconds, 0);
    return result;
  }
  if (!parsed.ok()) {
    result.notices.push_back({Notice::Level::error, "parse-failed", file.path(), 0, "the parser gave up on this file"});
    return result;
  }
  if (uint32_t n = parsed.syntax_errors())
    result.notices.push_back({Notice::Level::warning, "syntax-error", file.path(), parsed.first_error_line(),
                              "parsed with " + std::to_string(n) + " syntax error" + (n == 1 ? "" : "s") +
                                  " (first on line " + std::to_string(parsed.first_error_line()) +
                                  "); analysed what parsed"});
  std::vector<const Checker*> active;
  for (const auto& c : checker_list())
    if (any_rule_enabled(*c, selection)) active.push_back(c.get());
  Context ctx(file, parsed.model(), selection, result.findings, result.facts, module);
  size_t count = 0;
  for (const auto& v : parsed.visits()) {
    if ((++count & 255) == 0 && past(deadline)) {  // what was found so far stays reported
      report_timeout(result, file, timeout_seconds, ts_node_start_point(v.node).row + 1);
      break;
    }
    for (const Checker* c : *v.checkers) {
      if (std::find(active.begin(), active.end(), c) == active.end()) continue;
      ctx.set_scope(v.scope);
      c->check(v.node, ctx);
    }
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
