// The semantic model of one Python file, built during the analyzer's single
// traversal and queried by checkers afterwards:
//  - scopes and the bindings in them (assignments, imports, parameters, loop
//    and with targets), in source order;
//  - qualified names through imports and aliases (`j.encode` -> jose.jwt.encode,
//    `s.connect().cursor().execute` -> sqlite3.connect().cursor().execute);
//  - reaching definitions of a local name at a point (branches merged);
//  - string facts: is an expression a constant string, and if built, from what.
#pragma once
#include <tree_sitter/api.h>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace vigil::python {

struct Def {
  enum class Kind { assign, aug_assign, import, param, loop, with_item, function, class_def, exception, other };
  Kind kind = Kind::other;
  uint32_t pos = 0;     // byte offset from which the binding is visible
  TSNode node{};        // the binding construct (assignment, import statement, parameter...)
  TSNode value{};       // assigned value, loop iterable, context manager, parameter annotation, caught type
  TSNode block{};       // innermost block holding the binding: it dominates what it contains
  std::string qualified;  // imports: the dotted name bound; functions/classes: module-local name
  int scope = 0;
};

// In-place changes of a local container: `x.append(v)`, `x[k] = v`, `x.update(...)`.
struct Mutation {
  uint32_t pos = 0;
  TSNode node{};   // the call or the assignment
  int scope = 0;
  TSNode block{};  // innermost block holding it: the change is certain for uses inside it
};

// A reference to a name that is not a binding of it: `x` in `f(x)`, `x.y`, `x[0]`.
// Attribute names (`.y`) and keyword names (`k=`) are not references.
struct Use {
  TSNode node{};
  TSNode parent{};
  const char* field = nullptr;  // the field of `node` in `parent`, or null
};

struct Scope {
  enum class Kind { module, function, class_body, lambda, comprehension };
  Kind kind = Kind::module;
  TSNode node{};
  int parent = -1;
  std::unordered_map<std::string, std::vector<Def>> names;  // each in source order
  std::unordered_map<std::string, std::vector<Mutation>> mutations;
  std::unordered_map<std::string, std::vector<Use>> uses;    // each in source order
  std::vector<TSNode> returns;                               // return statements of a function
  std::unordered_set<std::string> globals;                  // declared global / nonlocal
  bool star_import = false;
};

// The keys a dict expression is known to hold, for claims and header dicts.
struct DictFacts {
  // True when the dict is built here (a literal, dict(...), a copy or `**`
  // merge of another value): keys not added here are taken as absent. False
  // for a value whose contents are unknown (a parameter, a call result).
  bool built = false;
  std::unordered_set<std::string> keys;        // added on every path to the use
  std::unordered_set<std::string> maybe_keys;  // added on some paths only
  // Changed in ways that cannot be seen: updated from an unknown mapping,
  // passed to a function, aliased, or given a non-constant key.
  bool open = false;

  bool may_have(const std::string& key) const { return open || keys.count(key) || maybe_keys.count(key); }
};

// What is known about the string an expression evaluates to.
struct StringFacts {
  enum class Kind {
    constant,  // known at compile time
    built,     // built (f-string, %, format, +, join) with at least one non-constant part
    opaque,    // unknown value, not built here (a parameter, a call result...)
  };
  struct Part {
    TSNode node{};      // the non-constant expression
    std::string how;    // "f-string", "%-format", ".format()", "concatenation", "join"
  };
  Kind kind = Kind::opaque;
  // Constant text; for built strings the constant pieces with "{}" where
  // non-constant parts go. Empty for opaque values.
  std::string text;
  std::vector<Part> parts;
  uint32_t built_line = 0;  // where the string was built, when through a variable

  bool is_constant() const { return kind == Kind::constant; }
  bool is_built() const { return kind == Kind::built; }
};

class Model {
 public:
  Model(std::string_view source, std::string package);

  // ---- building, called by the analyzer's traversal in source order ----
  // `parent` and `field` locate the node in the tree (the traversal knows them).
  void enter(TSNode node, TSNode parent = TSNode{}, const char* field = nullptr);
  void leave(TSNode node);
  int current_scope() const { return scope_stack_.empty() ? 0 : scope_stack_.back(); }

  // ---- queries ----
  std::string_view text(TSNode node) const;
  const Scope& scope(int index) const { return scopes_[index]; }
  // The scope a scope-making node (function, lambda, comprehension...) opened.
  int scope_of_node(TSNode node, int fallback) const;
  // Definitions of `name` that may reach `use` (evaluated in scope `scope`).
  std::vector<const Def*> reaching_defs(std::string_view name, int scope, TSNode use) const;
  // Mutations of `name` in `scope` between byte offsets [from, to).
  std::vector<const Mutation*> mutations(std::string_view name, int scope, uint32_t from, uint32_t to) const;
  // Dotted name an expression resolves to; calls add "()", subscripts "[]".
  std::optional<std::string> qualified_name(TSNode expr, int scope) const;
  StringFacts string_facts(TSNode expr, int scope) const;
  // The value of a numeric constant expression (literals, arithmetic, names
  // bound once to constants), or nullopt.
  std::optional<double> number(TSNode expr, int scope) const;
  // The keys of a dict expression at its point of use, through local
  // variables, `.copy()`, `.update()`, item assignment, `**` merges and the
  // return values of functions of this file.
  DictFacts dict_facts(TSNode expr, int scope) const;
  // References to `name` in exactly `scope`, in source order.
  const std::vector<Use>& uses(std::string_view name, int scope) const;
  // The function of this file a call's callee resolves to, or null.
  const Def* called_function(TSNode call, int scope) const;
  // The scope a function definition opened.
  int function_scope(const Def& function) const { return scope_of_node(function.node, -1); }
  // The innermost function scope enclosing `scope` (itself included), or -1.
  int enclosing_function(int scope) const;
  size_t scope_count() const { return scopes_.size(); }
  // Called once the traversal is over: queries may then be memoised (many
  // checkers ask for the callee of the same call).
  void finish() { finished_ = true; }

 private:
  friend class StringEvaluator;
  friend class DictEvaluator;
  std::optional<double> number(TSNode expr, int scope, int depth) const;
  void record_use(TSNode id, TSNode parent, const char* field);
  std::optional<std::string> qualified_name(TSNode expr, int scope, int depth) const;
  std::optional<std::string> resolve_def(const Def& def, int depth) const;
  std::optional<std::string> resolve_annotation(TSNode type, int scope, int depth) const;
  int push_scope(Scope::Kind kind, TSNode node);
  void add_def(int scope, const std::string& name, Def def);
  void bind_target(TSNode target, TSNode value, Def::Kind kind, TSNode at);
  void bind_parameters(TSNode function, TSNode params);
  void bind_import(TSNode stmt);
  void bind_import_from(TSNode stmt);
  void record_mutation(TSNode call);
  TSNode current_block() const { return block_stack_.empty() ? TSNode{} : block_stack_.back(); }

  std::string_view source_;
  std::string package_;
  std::vector<Scope> scopes_;
  std::vector<int> scope_stack_;
  std::vector<TSNode> block_stack_;
  std::unordered_map<const void*, int> scope_by_node_;
  bool finished_ = false;
  struct QualifiedKey {
    const void* id;
    uint32_t start;
    int scope;
    bool operator==(const QualifiedKey&) const = default;
  };
  struct QualifiedKeyHash {
    size_t operator()(const QualifiedKey& k) const {
      return std::hash<const void*>()(k.id) ^ (size_t(k.start) << 20) ^ size_t(k.scope);
    }
  };
  mutable std::unordered_map<QualifiedKey, std::optional<std::string>, QualifiedKeyHash> qualified_cache_;
};

}  // namespace vigil::python
