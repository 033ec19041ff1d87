#include "checkers/python/common.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

namespace vigil::python {
namespace {

constexpr int kMaxDepth = 16;

// The value bound to a name once (locally or at module level), else the expression.
TSNode through_binding(TSNode expr, const Context& ctx) {
  expr = unparen(expr);
  if (!is(expr, "identifier")) return expr;
  auto defs = ctx.model().reaching_defs(ctx.text(expr), ctx.scope(), expr);
  if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign) return unparen(defs[0]->value);
  return expr;
}

}  // namespace

std::vector<std::string> constant_strings(TSNode value, const Context& ctx) {
  std::vector<std::string> out;
  value = through_binding(value, ctx);
  if (auto one = constant_string(value, ctx)) {
    std::string item;
    for (char c : *one + ",") {
      if (c == ',' || c == ' ') {
        if (!item.empty()) out.push_back(item);
        item.clear();
      } else {
        item += c;
      }
    }
    return out;
  }
  for (TSNode item : children(value))
    if (auto s = constant_string(item, ctx)) out.push_back(*s);
  return out;
}

TSNode dict_literal(TSNode expr, const Context& ctx) {
  TSNode v = through_binding(expr, ctx);
  return is(v, "dictionary") ? v : TSNode{};
}

TSNode dict_value(TSNode dict, std::string_view key, const Context& ctx) {
  for (TSNode pair : children(dict))
    if (is(pair, "pair") && constant_string(field(pair, "key"), ctx) == std::string(key)) return field(pair, "value");
  return TSNode{};
}

TSNode keyword_arg(TSNode call, std::string_view name, const Context& ctx) {
  for (TSNode a : children(field(call, "arguments")))
    if (is(a, "keyword_argument") && ctx.text(field(a, "name")) == name) return field(a, "value");
  return TSNode{};
}

TSNode positional_arg(TSNode call, size_t index) {
  TSNode args = field(call, "arguments");
  if (!is(args, "argument_list")) return TSNode{};
  size_t i = 0;
  for (TSNode a : children(args)) {
    if (is(a, "keyword_argument") || is(a, "list_splat") || is(a, "dictionary_splat")) break;
    if (i++ == index) return a;
  }
  return TSNode{};
}

TSNode call_arg(TSNode call, size_t index, std::string_view name, const Context& ctx) {
  TSNode a = positional_arg(call, index);
  return is_null(a) ? keyword_arg(call, name, ctx) : a;
}

std::optional<std::string> callee(TSNode call, const Context& ctx) {
  return ctx.model().qualified_name(field(call, "function"), ctx.scope());
}

std::string_view method_name(TSNode call, const Context& ctx) {
  TSNode fn = field(call, "function");
  return is(fn, "attribute") ? ctx.text(field(fn, "attribute")) : std::string_view{};
}

TSNode receiver(TSNode call) {
  TSNode fn = field(call, "function");
  return is(fn, "attribute") ? field(fn, "object") : TSNode{};
}

std::string last_component(std::string name) {
  while (name.size() >= 2 && name.compare(name.size() - 2, 2, "()") == 0) name.resize(name.size() - 2);
  size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

std::optional<std::string> constant_string(TSNode expr, const Context& ctx) {
  if (is_null(expr)) return std::nullopt;
  StringFacts f = ctx.model().string_facts(expr, ctx.scope());
  if (!f.is_constant()) return std::nullopt;
  TSNode e = unparen(expr);
  // Numbers are constants of string_facts too; only strings count here.
  if (is(e, "integer") || is(e, "float") || is(e, "true") || is(e, "false") || is(e, "none")) return std::nullopt;
  return f.text;
}

bool is_plain_string_literal(TSNode node, const Context& ctx) {
  node = unparen(node);
  if (!is(node, "string") && !is(node, "concatenated_string")) return false;
  return ctx.model().string_facts(node, ctx.scope()).is_constant();
}

std::optional<bool> constant_bool(TSNode expr, const Context& ctx) {
  expr = unparen(expr);
  if (is(expr, "true")) return true;
  if (is(expr, "false")) return false;
  if (is(expr, "identifier")) {
    auto defs = ctx.model().reaching_defs(ctx.text(expr), ctx.scope(), expr);
    if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign) {
      TSNode v = unparen(defs[0]->value);
      if (is(v, "true")) return true;
      if (is(v, "false")) return false;
    }
  }
  return std::nullopt;
}


std::string name_of(TSNode expr, const Context& ctx) {
  expr = unparen(expr);
  if (is(expr, "identifier")) return std::string(ctx.text(expr));
  if (is(expr, "attribute")) return std::string(ctx.text(field(expr, "attribute")));
  if (is(expr, "subscript")) return constant_string(field(expr, "subscript"), ctx).value_or("");
  if (is(expr, "call") && method_name(expr, ctx) == "get")
    return constant_string(positional_arg(expr, 0), ctx).value_or("");
  return {};
}







namespace {

bool is_passthrough_method(std::string_view m) {
  return m == "strip" || m == "lstrip" || m == "rstrip" || m == "encode" || m == "decode";
}

std::string callee_text(TSNode call, const Context& ctx) {
  auto q = callee(call, ctx);
  return q ? *q : std::string(ctx.text(field(call, "function")));
}

}  // namespace

bool is_plaintext_password(TSNode expr, const Context& ctx, int depth) {
  expr = unparen(expr);
  if (is_null(expr) || depth > kMaxDepth) return false;
  std::string_view k = kind(expr);
  if (k == "identifier") {
    std::string_view name = ctx.text(expr);
    auto defs = ctx.model().reaching_defs(name, ctx.scope(), expr);
    bool all_computed = !defs.empty();  // every binding is some other call's result
    for (const Def* d : defs) {
      TSNode v = unparen(d->value);
      bool assigned = d->kind == Def::Kind::assign || d->kind == Def::Kind::aug_assign;
      if (assigned && is(v, "await")) v = unparen(named_child(v, 0));
      if (assigned && is(v, "call") && is_hashing_callee(callee_text(v, ctx))) return false;  // hashed on some path
      if (!assigned || !is(v, "call")) {
        all_computed = false;
      } else {
        auto q = callee(v, ctx);
        // typed by the user, or read from the request: still the password
        if ((q && (*q == "input" || *q == "getpass.getpass")) || is_plaintext_password(v, ctx, depth + 1))
          all_computed = false;
      }
    }
    if (is_password_name(name)) return !all_computed;  // `pwd = os.getcwd()` is a directory
    if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign && defs[0]->scope == ctx.scope())
      return is_plaintext_password(defs[0]->value, ctx, depth + 1);
    return false;
  }
  if (k == "attribute") return is_password_name(ctx.text(field(expr, "attribute")));
  if (k == "subscript") return is_password_name(name_of(expr, ctx));
  if (k == "call") {
    std::string_view m = method_name(expr, ctx);
    if (is_passthrough_method(m)) return is_plaintext_password(receiver(expr), ctx, depth + 1);
    if (m == "get") return is_password_name(name_of(expr, ctx));
    auto name = callee(expr, ctx);
    if (name && *name == "str") return is_plaintext_password(positional_arg(expr, 0), ctx, depth + 1);
  }
  return false;
}

bool mentions_plaintext_password(TSNode expr, const Context& ctx, int depth) {
  expr = unparen(expr);
  if (is_null(expr) || depth > kMaxDepth) return false;
  if (is_plaintext_password(expr, ctx, depth)) return true;
  std::string_view k = kind(expr);
  if (k == "binary_operator")
    return mentions_plaintext_password(field(expr, "left"), ctx, depth + 1) ||
           mentions_plaintext_password(field(expr, "right"), ctx, depth + 1);
  if (k == "string") {
    for (TSNode part : children(expr))
      if (is(part, "interpolation") && mentions_plaintext_password(field(part, "expression"), ctx, depth + 1))
        return true;
    return false;
  }
  if (k == "call") {
    std::string_view m = method_name(expr, ctx);
    if (is_passthrough_method(m)) return mentions_plaintext_password(receiver(expr), ctx, depth + 1);
    auto name = callee(expr, ctx);
    if (name && (*name == "str" || *name == "bytes"))
      return mentions_plaintext_password(positional_arg(expr, 0), ctx, depth + 1);
    return false;
  }
  if (k == "identifier") {
    auto defs = ctx.model().reaching_defs(ctx.text(expr), ctx.scope(), expr);
    if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign && defs[0]->scope == ctx.scope())
      return mentions_plaintext_password(defs[0]->value, ctx, depth + 1);
  }
  return false;
}

}  // namespace vigil::python
