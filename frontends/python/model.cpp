#include "frontends/python/model.h"

#include <climits>
#include <cmath>
#include <cstdlib>

#include "frontends/python/syntax.h"

namespace vigil::python {
namespace {

constexpr int kMaxResolveDepth = 32;

bool is_scope_kind(std::string_view k) {
  return k == "function_definition" || k == "class_definition" || k == "lambda" ||
         k == "list_comprehension" || k == "set_comprehension" || k == "dictionary_comprehension" ||
         k == "generator_expression" || k == "module";
}

bool is_sequence_pattern(std::string_view k) {
  return k == "pattern_list" || k == "tuple_pattern" || k == "list_pattern" || k == "tuple" ||
         k == "list" || k == "expression_list";
}

// Methods that change a container in place; they feed string facts of joins.
bool is_mutating_method(std::string_view m) {
  return m == "append" || m == "extend" || m == "insert" || m == "update" || m == "add" ||
         m == "setdefault";
}

}  // namespace

Model::Model(std::string_view source, std::string package)
    : source_(source), package_(std::move(package)) {}

std::string_view Model::text(TSNode node) const {
  if (is_null(node)) return {};
  return source_.substr(start(node), end(node) - start(node));
}

int Model::push_scope(Scope::Kind kind, TSNode node) {
  Scope s;
  s.kind = kind;
  s.node = node;
  s.parent = scope_stack_.empty() ? -1 : scope_stack_.back();
  scopes_.push_back(std::move(s));
  scope_stack_.push_back(static_cast<int>(scopes_.size() - 1));
  scope_by_node_.emplace(node.id, scope_stack_.back());
  return scope_stack_.back();
}

void Model::add_def(int scope, const std::string& name, Def def) {
  def.scope = scope;
  scopes_[scope].names[name].push_back(std::move(def));
}

void Model::enter(TSNode node, TSNode parent, const char* field_name) {
  std::string_view k = kind(node);
  if (scopes_.empty() && k != "module") {  // the parser gave up on the whole file: the root is an ERROR
    push_scope(Scope::Kind::module, node);
    block_stack_.push_back(node);
  }
  if (k == "identifier") {
    record_use(node, parent, field_name);
  } else if (k == "return_statement") {
    scopes_[current_scope()].returns.push_back(node);
  } else if (k == "module") {
    push_scope(Scope::Kind::module, node);
    block_stack_.push_back(node);
  } else if (k == "block") {
    block_stack_.push_back(node);
  } else if (k == "function_definition" || k == "class_definition") {
    TSNode name = field(node, "name");
    Def def;
    def.kind = k == "class_definition" ? Def::Kind::class_def : Def::Kind::function;
    def.pos = end(node);
    def.node = node;
    def.block = current_block();
    def.qualified = "__local__." + std::string(text(name));
    add_def(current_scope(), std::string(text(name)), def);
    if (k == "class_definition") {
      push_scope(Scope::Kind::class_body, node);
    } else {
      push_scope(Scope::Kind::function, node);
      bind_parameters(node, field(node, "parameters"));
    }
  } else if (k == "lambda") {
    push_scope(Scope::Kind::lambda, node);
    bind_parameters(node, field(node, "parameters"));
  } else if (k == "list_comprehension" || k == "set_comprehension" || k == "dictionary_comprehension" ||
             k == "generator_expression") {
    push_scope(Scope::Kind::comprehension, node);
  } else if (k == "for_in_clause") {
    bind_target(field(node, "left"), field(node, "right"), Def::Kind::loop, node);
    // Comprehension targets are visible from the comprehension's start (its body comes first).
    for (auto& [name, defs] : scopes_[current_scope()].names)
      for (auto& d : defs)
        if (d.kind == Def::Kind::loop && d.node.id == node.id) d.pos = start(scopes_[current_scope()].node);
  } else if (k == "assignment") {
    if (is(parent_of(node), "assignment")) return;  // chained: handled by the outermost
    TSNode value = field(node, "right");
    while (is(value, "assignment")) value = field(value, "right");
    if (is_null(value)) return;  // annotation only: `x: int`
    for (TSNode a = node; is(a, "assignment"); a = field(a, "right"))
      bind_target(field(a, "left"), value, Def::Kind::assign, node);
  } else if (k == "augmented_assignment") {
    bind_target(field(node, "left"), field(node, "right"), Def::Kind::aug_assign, node);
  } else if (k == "named_expression") {
    bind_target(field(node, "name"), field(node, "value"), Def::Kind::assign, node);
  } else if (k == "for_statement") {
    bind_target(field(node, "left"), field(node, "right"), Def::Kind::loop, field(node, "left"));
  } else if (k == "with_item") {
    TSNode value = field(node, "value");
    if (is(value, "as_pattern")) {
      TSNode alias = field(value, "alias");
      TSNode target = named_count(alias) ? named_child(alias, 0) : alias;
      bind_target(target, named_child(value, 0), Def::Kind::with_item, value);
    }
  } else if (k == "except_clause") {
    // except ValueError as e: (tree-sitter-python: an as_pattern whose alias is the name)
    for (TSNode c : children(node))
      if (is(c, "as_pattern")) {
        TSNode alias = field(c, "alias");
        TSNode target = named_count(alias) ? named_child(alias, 0) : alias;
        if (is(target, "identifier")) {
          Def def;
          def.kind = Def::Kind::exception;
          def.pos = end(c);
          def.node = node;
          def.value = named_child(c, 0);
          def.block = current_block();
          add_def(current_scope(), std::string(text(target)), def);
        }
      }
  } else if (k == "import_statement") {
    bind_import(node);
  } else if (k == "import_from_statement") {
    bind_import_from(node);
  } else if (k == "global_statement" || k == "nonlocal_statement") {
    for (uint32_t i = 0; i < named_count(node); ++i)
      scopes_[current_scope()].globals.insert(std::string(text(named_child(node, i))));
  } else if (k == "call") {
    record_mutation(node);
  }
}

void Model::leave(TSNode node) {
  std::string_view k = kind(node);
  // Only the block this node opened (error recovery can leave a "block" that was never entered).
  if ((k == "block" || k == "module") && !block_stack_.empty() && block_stack_.back().id == node.id)
    block_stack_.pop_back();
  if (is_scope_kind(k) && k != "module" && scope_stack_.size() > 1 &&
      scopes_[scope_stack_.back()].node.id == node.id)
    scope_stack_.pop_back();
}

void Model::bind_target(TSNode target, TSNode value, Def::Kind def_kind, TSNode at) {
  target = unparen(target);
  if (is_null(target)) return;
  std::string_view k = kind(target);
  if (k == "identifier") {
    Def def;
    def.kind = def_kind;
    def.pos = end(at);
    def.node = at;
    def.value = value;
    def.block = current_block();
    add_def(current_scope(), std::string(text(target)), def);
  } else if (is_sequence_pattern(k)) {
    TSNode values = unparen(value);
    auto targets = children(target), items = children(values);
    bool pairwise = def_kind == Def::Kind::assign && !is_null(values) && is_sequence_pattern(kind(values)) &&
                    items.size() == targets.size();
    for (size_t i = 0; i < targets.size(); ++i)
      bind_target(targets[i], pairwise ? items[i] : TSNode{},
                  def_kind == Def::Kind::loop ? Def::Kind::other : def_kind, at);
  } else if (k == "list_splat_pattern") {
    if (named_count(target)) bind_target(named_child(target, 0), TSNode{}, Def::Kind::other, at);
  } else if (k == "subscript") {
    TSNode base = unparen(field(target, "value"));
    if (is(base, "identifier")) {
      Mutation m{end(at), at, current_scope(), current_block()};
      scopes_[current_scope()].mutations[std::string(text(base))].push_back(m);
    }
  }
  // Attribute targets (self.x = ...) are not tracked yet.
}

void Model::bind_parameters(TSNode function, TSNode params) {
  if (is_null(params)) return;
  TSNode body = field(function, "body");
  uint32_t pos = is_null(body) ? end(params) : start(body);
  for (TSNode p : children(params)) {
    std::string_view k = kind(p);
    TSNode name{}, annotation{};
    if (k == "identifier") {
      name = p;
    } else if (k == "typed_parameter") {
      name = named_child(p, 0);
      annotation = field(p, "type");
    } else if (k == "default_parameter" || k == "typed_default_parameter") {
      name = field(p, "name");
      annotation = field(p, "type");
    } else if (k == "list_splat_pattern" || k == "dictionary_splat_pattern") {
      name = named_child(p, 0);
    }
    if (is(name, "list_splat_pattern") || is(name, "dictionary_splat_pattern")) name = named_child(name, 0);
    if (!is(name, "identifier")) continue;
    Def def;
    def.kind = Def::Kind::param;
    def.pos = pos;
    def.node = p;
    def.value = annotation;
    def.block = is_null(body) ? function : body;
    add_def(current_scope(), std::string(text(name)), def);
  }
}

void Model::bind_import(TSNode stmt) {
  for (TSNode item : children(stmt)) {
    Def def;
    def.kind = Def::Kind::import;
    def.pos = end(stmt);
    def.node = stmt;
    def.block = current_block();
    if (is(item, "aliased_import")) {
      def.qualified = text(field(item, "name"));
      add_def(current_scope(), std::string(text(field(item, "alias"))), def);
    } else if (is(item, "dotted_name")) {
      // `import a.b.c` binds `a`, which resolves to the package a.
      std::string dotted(text(item));
      def.qualified = dotted.substr(0, dotted.find('.'));
      add_def(current_scope(), def.qualified, def);
    }
  }
}

void Model::bind_import_from(TSNode stmt) {
  TSNode module = field(stmt, "module_name");
  std::string base;
  if (is(module, "relative_import")) {
    std::string_view raw = text(module);
    size_t level = raw.find_first_not_of('.');
    if (level == std::string_view::npos) level = raw.size();
    std::string rest(raw.substr(level));
    // Resolve against the file's package: one dot is the package itself.
    std::string pkg = package_;
    bool known = !pkg.empty();
    for (size_t up = 1; up < level && known; ++up) {
      size_t dot = pkg.rfind('.');
      if (dot == std::string::npos) known = false;
      else pkg.erase(dot);
    }
    if (known) base = rest.empty() ? pkg : pkg + "." + rest;
    else base = std::string(level, '.') + rest;
  } else {
    base = text(module);
  }
  uint32_t count = ts_node_child_count(stmt);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode item = ts_node_child(stmt, i);
    if (is(item, "wildcard_import")) {
      scopes_[current_scope()].star_import = true;
      continue;
    }
    const char* f = ts_node_field_name_for_child(stmt, i);
    if (!f || std::string_view(f) != "name") continue;
    TSNode name = item, alias = item;
    if (is(item, "aliased_import")) {
      name = field(item, "name");
      alias = field(item, "alias");
    }
    Def def;
    def.kind = Def::Kind::import;
    def.pos = end(stmt);
    def.node = stmt;
    def.block = current_block();
    std::string sep = !base.empty() && base.back() == '.' ? "" : ".";
    def.qualified = base + sep + std::string(text(name));
    add_def(current_scope(), std::string(text(alias)), def);
  }
}

void Model::record_mutation(TSNode call) {
  TSNode fn = field(call, "function");
  if (!is(fn, "attribute")) return;
  TSNode object = unparen(field(fn, "object"));
  if (!is(object, "identifier") || !is_mutating_method(text(field(fn, "attribute")))) return;
  Mutation m{end(call), call, current_scope(), current_block()};
  scopes_[current_scope()].mutations[std::string(text(object))].push_back(m);
}

void Model::record_use(TSNode id, TSNode parent, const char* field_name) {
  std::string_view f = field_name ? field_name : "";
  std::string_view pk = is_null(parent) ? "" : kind(parent);
  if (pk == "attribute" && f == "attribute") return;  // `.name`
  if (pk == "keyword_argument" && f == "name") return;
  if ((pk == "function_definition" || pk == "class_definition") && f == "name") return;
  scopes_[current_scope()].uses[std::string(text(id))].push_back({id, parent, field_name});
}

const std::vector<Use>& Model::uses(std::string_view name, int scope) const {
  static const std::vector<Use> none;
  if (scope < 0 || scope >= static_cast<int>(scopes_.size())) return none;
  auto it = scopes_[scope].uses.find(std::string(name));
  return it == scopes_[scope].uses.end() ? none : it->second;
}

const Def* Model::called_function(TSNode call, int scope) const {
  TSNode fn = unparen(field(call, "function"));
  if (!is(fn, "identifier")) return nullptr;
  auto defs = reaching_defs(text(fn), scope, fn);
  if (defs.size() != 1 || defs[0]->kind != Def::Kind::function) return nullptr;
  return defs[0];
}

int Model::enclosing_function(int scope) const {
  for (int s = scope; s >= 0; s = scopes_[s].parent)
    if (scopes_[s].kind == Scope::Kind::function) return s;
  return -1;
}

std::optional<double> Model::number(TSNode expr, int scope) const { return number(expr, scope, 0); }

std::optional<double> Model::number(TSNode e, int scope, int depth) const {
  e = unparen(e);
  if (is_null(e) || depth > kMaxResolveDepth) return std::nullopt;
  std::string_view k = kind(e);
  if (k == "integer" || k == "float") {
    std::string digits;
    for (char c : text(e))
      if (c != '_') digits += c;
    if (digits.empty() || digits.back() == 'j' || digits.back() == 'J') return std::nullopt;
    char* stop = nullptr;
    double v = k == "float" ? std::strtod(digits.c_str(), &stop)
                            : static_cast<double>(std::strtoll(digits.c_str(), &stop, 0));
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'o' || digits[1] == 'O'))
      v = static_cast<double>(std::strtoll(digits.c_str() + 2, &stop, 8));
    else if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B'))
      v = static_cast<double>(std::strtoll(digits.c_str() + 2, &stop, 2));
    return v;
  }
  if (k == "unary_operator") {
    auto v = number(field(e, "argument"), scope, depth + 1);
    if (!v) return std::nullopt;
    std::string_view op = text(field(e, "operator"));
    if (op == "-") return -*v;
    if (op == "+") return *v;
    return std::nullopt;
  }
  if (k == "binary_operator") {
    auto l = number(field(e, "left"), scope, depth + 1);
    auto r = number(field(e, "right"), scope, depth + 1);
    if (!l || !r) return std::nullopt;
    std::string_view op = text(field(e, "operator"));
    if (op == "+") return *l + *r;
    if (op == "-") return *l - *r;
    if (op == "*") return *l * *r;
    if (op == "**") return std::pow(*l, *r);
    if (*r == 0) return std::nullopt;
    if (op == "/") return *l / *r;
    if (op == "//") return std::floor(*l / *r);
    return std::nullopt;
  }
  if (k == "identifier") {
    auto defs = reaching_defs(text(e), scope, e);
    if (defs.size() != 1 || defs[0]->kind != Def::Kind::assign) return std::nullopt;
    return number(defs[0]->value, defs[0]->scope, depth + 1);
  }
  return std::nullopt;
}

std::vector<const Def*> Model::reaching_defs(std::string_view name, int scope, TSNode use) const {
  std::string key(name);
  bool origin = true;
  for (int s = scope; s >= 0;) {
    const Scope& sc = scopes_[s];
    if (sc.globals.count(key) && s != 0) {
      s = 0;
      origin = false;
      continue;
    }
    auto it = sc.names.find(key);
    if (it != sc.names.end() && !it->second.empty()) {
      // A function body runs after its enclosing scope has been built, so
      // every outer binding counts; in the origin scope only earlier ones.
      uint32_t limit = origin ? start(use) : UINT_MAX;
      std::vector<const Def*> reaching;
      const auto& defs = it->second;
      for (auto d = defs.rbegin(); d != defs.rend(); ++d) {
        if (d->pos > limit) continue;
        reaching.push_back(&*d);
        // A binding whose block contains the use is unconditional on the way
        // to it: it hides older ones. Bindings in branches merge.
        if (is_null(d->block) || contains(d->block, use)) break;
      }
      return reaching;  // a name bound in a scope is local to it
    }
    s = sc.parent;
    while (s >= 0 && scopes_[s].kind == Scope::Kind::class_body) s = scopes_[s].parent;
    origin = false;
  }
  return {};
}

std::vector<const Mutation*> Model::mutations(std::string_view name, int scope, uint32_t from,
                                              uint32_t to) const {
  std::vector<const Mutation*> out;
  const Scope& sc = scopes_[scope];
  auto it = sc.mutations.find(std::string(name));
  if (it == sc.mutations.end()) return out;
  for (const auto& m : it->second)
    if (m.pos > from && m.pos <= to) out.push_back(&m);
  return out;
}

int Model::scope_of_node(TSNode node, int fallback) const {
  auto it = scope_by_node_.find(node.id);
  return it == scope_by_node_.end() ? fallback : it->second;
}

std::optional<std::string> Model::qualified_name(TSNode expr, int scope) const {
  if (!finished_ || ts_node_is_null(expr)) return qualified_name(expr, scope, 0);
  QualifiedKey key{expr.id, ts_node_start_byte(expr), scope};
  if (auto it = qualified_cache_.find(key); it != qualified_cache_.end()) return it->second;
  auto q = qualified_name(expr, scope, 0);
  qualified_cache_.emplace(key, q);
  return q;
}

std::optional<std::string> Model::resolve_def(const Def& def, int depth) const {
  switch (def.kind) {
    case Def::Kind::import:
    case Def::Kind::function:
    case Def::Kind::class_def:
      return def.qualified;
    case Def::Kind::assign:
    case Def::Kind::with_item:
      return qualified_name(def.value, def.scope, depth + 1);
    case Def::Kind::param: {
      if (is_null(def.value)) return std::nullopt;
      auto type = resolve_annotation(def.value, scopes_[def.scope].parent, depth + 1);
      if (!type) return std::nullopt;
      return *type + "()";  // an instance of the annotated class
    }
    default:
      return std::nullopt;
  }
}

namespace {

// Generic annotations that wrap the actual type as their first argument.
bool is_type_wrapper(const std::string& name) {
  return name == "typing.Optional" || name == "typing.Annotated" || name == "typing_extensions.Annotated" ||
         name == "Optional" || name == "Annotated";
}

// The first type argument of `X[A, ...]` (a subscript in an expression, a
// generic_type in an annotation).
TSNode first_type_argument(TSNode generic) {
  if (is(generic, "subscript")) return field(generic, "subscript");
  auto parts = children(generic);
  if (parts.size() < 2) return TSNode{};
  TSNode params = parts[1];
  if (is(params, "type_parameter")) {
    auto args = children(params);
    return args.empty() ? TSNode{} : args[0];
  }
  return params;
}

}  // namespace

std::optional<std::string> Model::resolve_annotation(TSNode type, int scope, int depth) const {
  if (depth > kMaxResolveDepth) return std::nullopt;
  if (is(type, "type")) {
    auto inner = children(type);
    if (inner.empty()) return std::nullopt;
    type = inner[0];
  }
  type = unparen(type);
  if (is(type, "generic_type") || is(type, "subscript")) {
    // Optional[X] and Annotated[X, ...] are X; other generics are not
    // instances of a class we know.
    TSNode head = is(type, "subscript") ? field(type, "value") : children(type)[0];
    auto name = qualified_name(head, scope, depth + 1);
    if (name && is_type_wrapper(*name)) return resolve_annotation(first_type_argument(type), scope, depth + 1);
    return std::nullopt;
  }
  if (is(type, "binary_operator")) {  // X | None
    TSNode left = field(type, "left"), right = field(type, "right");
    if (text(right) == "None") return resolve_annotation(left, scope, depth + 1);
    if (text(left) == "None") return resolve_annotation(right, scope, depth + 1);
    return std::nullopt;
  }
  if (is(type, "identifier")) {
    // A type alias (`Db = Annotated[Connection, Depends(get_db)]`) stands for its value.
    auto defs = reaching_defs(text(type), scope, type);
    if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign) {
      TSNode value = unparen(defs[0]->value);
      if (is(value, "subscript")) return resolve_annotation(value, defs[0]->scope, depth + 1);
    }
  }
  if (is(type, "identifier") || is(type, "attribute")) return qualified_name(type, scope, depth + 1);
  return std::nullopt;
}

std::optional<std::string> Model::qualified_name(TSNode expr, int scope, int depth) const {
  if (depth > kMaxResolveDepth || scope < 0) return std::nullopt;
  expr = unparen(expr);
  if (is_null(expr)) return std::nullopt;
  std::string_view k = kind(expr);
  if (k == "identifier") {
    auto defs = reaching_defs(text(expr), scope, expr);
    if (defs.empty()) {
      // Unbound here: a builtin, unless a star import may have bound it.
      if (scopes_[0].star_import) return std::nullopt;
      return std::string(text(expr));
    }
    std::optional<std::string> agreed;
    for (const Def* d : defs) {
      auto q = resolve_def(*d, depth);
      if (!q || (agreed && *agreed != *q)) return std::nullopt;
      agreed = q;
    }
    return agreed;
  }
  if (k == "attribute") {
    auto object = qualified_name(field(expr, "object"), scope, depth + 1);
    if (!object) return std::nullopt;
    return *object + "." + std::string(text(field(expr, "attribute")));
  }
  if (k == "call") {
    auto fn = qualified_name(field(expr, "function"), scope, depth + 1);
    if (!fn) return std::nullopt;
    return *fn + "()";
  }
  if (k == "await") return qualified_name(named_child(expr, 0), scope, depth + 1);
  if (k == "subscript") {
    auto value = qualified_name(field(expr, "value"), scope, depth + 1);
    if (!value) return std::nullopt;
    return *value + "[]";
  }
  return std::nullopt;
}

}  // namespace vigil::python
