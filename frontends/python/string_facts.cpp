// String facts: what a Python expression's string value is built from.
#include <algorithm>

#include "frontends/python/model.h"
#include "frontends/python/syntax.h"

namespace vigil::python {
namespace {

constexpr int kMaxDepth = 64;  // bounds recursion on deeply nested expressions

StringFacts constant(std::string text) {
  StringFacts f;
  f.kind = StringFacts::Kind::constant;
  f.text = std::move(text);
  return f;
}

StringFacts opaque() { return {}; }

// Accumulates the pieces of a string being built.
class Builder {
 public:
  // Appends the value of `node` (with facts `f`) as one piece.
  void add(const StringFacts& f, TSNode node, const char* how) {
    switch (f.kind) {
      case StringFacts::Kind::constant:
        out_.text += f.text;
        break;
      case StringFacts::Kind::built:
        out_.text += f.text;
        out_.parts.insert(out_.parts.end(), f.parts.begin(), f.parts.end());
        if (!out_.built_line) out_.built_line = f.built_line;
        break;
      case StringFacts::Kind::opaque:
        out_.text += "{}";
        out_.parts.push_back({node, how});
        break;
    }
  }
  void add_text(std::string_view text) { out_.text += text; }
  StringFacts finish() {
    out_.kind = out_.parts.empty() ? StringFacts::Kind::constant : StringFacts::Kind::built;
    return std::move(out_);
  }

 private:
  StringFacts out_;
};

// Merges the facts of alternative values (branches, several definitions).
StringFacts merge(std::vector<StringFacts> alternatives) {
  if (alternatives.empty()) return opaque();
  for (auto& f : alternatives)
    if (f.is_built()) {
      StringFacts out = f;
      for (auto& g : alternatives)
        if (&g != &f && g.is_built()) out.parts.insert(out.parts.end(), g.parts.begin(), g.parts.end());
      return out;
    }
  for (auto& f : alternatives)
    if (!f.is_constant()) return opaque();
  return alternatives.front();
}

bool is_string_method_passthrough(std::string_view m) {
  return m == "strip" || m == "lstrip" || m == "rstrip" || m == "lower" || m == "upper" ||
         m == "title" || m == "casefold" || m == "replace" || m == "removeprefix" ||
         m == "removesuffix" || m == "encode" || m == "decode";
}

}  // namespace

class StringEvaluator {
 public:
  explicit StringEvaluator(const Model& model) : m_(model) {}

  StringFacts eval(TSNode e, int scope, int depth) {
    e = unparen(e);
    if (is_null(e) || depth > kMaxDepth) return opaque();
    std::string_view k = kind(e);
    if (k == "string") return eval_string(e, scope, depth);
    if (k == "concatenated_string") {
      Builder b;
      for (TSNode part : children(e)) {
        StringFacts f = eval(part, scope, depth + 1);
        if (f.kind == StringFacts::Kind::opaque) return opaque();  // t-strings
        b.add(f, part, "f-string");
      }
      return b.finish();
    }
    if (k == "binary_operator") return eval_binary(e, scope, depth);
    if (k == "call") return eval_call(e, scope, depth);
    if (k == "identifier") return eval_name(e, scope, depth);
    if (k == "integer" || k == "float" || k == "true" || k == "false" || k == "none")
      return constant(std::string(m_.text(e)));
    if (k == "conditional_expression") {
      auto parts = children(e);
      if (parts.size() == 3) return merge({eval(parts[0], scope, depth + 1), eval(parts[2], scope, depth + 1)});
    }
    return opaque();
  }

  // Facts shared by every element of an iterable (for join and loops).
  StringFacts elements(TSNode e, int scope, int depth) {
    e = unparen(e);
    if (is_null(e) || depth > kMaxDepth) return opaque();
    std::string_view k = kind(e);
    if (k == "list" || k == "tuple" || k == "set") {
      std::vector<StringFacts> items;
      for (TSNode item : children(e)) {
        items.push_back(is(item, "list_splat") ? elements(named_child(item, 0), scope, depth + 1)
                                               : eval(item, scope, depth + 1));
      }
      return items.empty() ? constant("") : merge(std::move(items));
    }
    if (k == "list_comprehension" || k == "generator_expression" || k == "set_comprehension") {
      int inner = m_.scope_of_node(e, scope);
      return eval(field(e, "body"), inner, depth + 1);
    }
    if (k == "binary_operator" && m_.text(field(e, "operator")) == "*") {
      TSNode left = unparen(field(e, "left"));
      if (is(left, "list") || is(left, "tuple")) return elements(left, scope, depth + 1);
    }
    if (k == "call") {
      TSNode fn = field(e, "function");
      auto name = m_.qualified_name(fn, scope);
      TSNode args = field(e, "arguments");
      auto list = children(args);
      if (name && (*name == "list" || *name == "tuple" || *name == "sorted" || *name == "set") && list.size() == 1)
        return elements(list[0], scope, depth + 1);
    }
    if (k == "identifier") return name_elements(e, scope, depth);
    StringFacts whole = eval(e, scope, depth + 1);
    return whole.is_constant() ? whole : opaque();  // iterating a constant string
  }

 private:
  StringFacts eval_string(TSNode s, int scope, int depth) {
    Builder b;
    for (TSNode child : children(s)) {
      std::string_view ck = kind(child);
      if (ck == "string_start") {
        std::string_view prefix = m_.text(child);
        // t-strings make Template objects, not str: not a built string.
        if (prefix.find_first_of("tT") != std::string_view::npos) return opaque();
      } else if (ck == "string_content") {
        b.add_text(m_.text(child));
      } else if (ck == "interpolation") {
        TSNode expr = field(child, "expression");
        b.add(eval(expr, scope, depth + 1), expr, "f-string");
      }
    }
    return b.finish();
  }

  StringFacts eval_binary(TSNode e, int scope, int depth) {
    std::string_view op = m_.text(field(e, "operator"));
    TSNode left = field(e, "left"), right = field(e, "right");
    if (op == "+") {
      StringFacts l = eval(left, scope, depth + 1), r = eval(right, scope, depth + 1);
      if (l.kind == StringFacts::Kind::opaque && r.kind == StringFacts::Kind::opaque) return opaque();
      Builder b;
      b.add(l, left, "concatenation");
      b.add(r, right, "concatenation");
      return b.finish();
    }
    if (op == "%") {
      StringFacts l = eval(left, scope, depth + 1);
      if (l.kind == StringFacts::Kind::opaque) return opaque();
      Builder b;
      b.add(l, left, "%-format");
      TSNode args = unparen(right);
      if (is(args, "tuple")) {
        for (TSNode item : children(args)) add_format_arg(b, item, scope, depth, "%-format");
      } else if (is(args, "dictionary")) {
        for (TSNode pair : children(args)) {
          add_format_arg(b, is(pair, "pair") ? field(pair, "value") : pair, scope, depth, "%-format");
        }
      } else {
        add_format_arg(b, args, scope, depth, "%-format");
      }
      return b.finish();
    }
    if (op == "*") {
      // "?" * n repeats constant text: still constant content.
      StringFacts l = eval(left, scope, depth + 1);
      if (l.is_constant()) return l;
      StringFacts r = eval(right, scope, depth + 1);
      if (r.is_constant() && is(unparen(right), "string")) return r;
    }
    return opaque();
  }

  // A formatting argument contributes no text of its own to `text`, only parts.
  void add_format_arg(Builder& b, TSNode arg, int scope, int depth, const char* how) {
    StringFacts f = eval(arg, scope, depth + 1);
    if (f.is_constant()) return;
    if (f.is_built()) {
      StringFacts parts_only = f;
      parts_only.text.clear();
      b.add(parts_only, arg, how);
    } else {
      StringFacts op = opaque();
      b.add(op, arg, how);
    }
  }

  StringFacts eval_call(TSNode e, int scope, int depth) {
    TSNode fn = field(e, "function");
    TSNode args = field(e, "arguments");
    if (is(fn, "attribute")) {
      std::string_view method = m_.text(field(fn, "attribute"));
      TSNode object = field(fn, "object");
      if (method == "format") {
        StringFacts o = eval(object, scope, depth + 1);
        if (o.kind == StringFacts::Kind::opaque) return opaque();
        Builder b;
        b.add(o, object, ".format()");
        for (TSNode arg : children(args)) {
          if (is(arg, "keyword_argument")) arg = field(arg, "value");
          add_format_arg(b, arg, scope, depth, ".format()");
        }
        return b.finish();
      }
      // `sep.join(x for x in xs)`: the generator is the whole argument list.
      auto list = children(args);
      if (method == "join" && (is(args, "generator_expression") || list.size() == 1)) {
        StringFacts sep = eval(object, scope, depth + 1);
        if (!sep.is_constant()) return opaque();
        TSNode iterable = is(args, "generator_expression") ? args : list[0];
        StringFacts items = elements(iterable, scope, depth + 1);
        Builder b;
        if (items.is_built()) items.text = "{}";
        b.add(items, iterable, "join");
        return b.finish();
      }
      if (is_string_method_passthrough(method)) return eval(object, scope, depth + 1);
      return opaque();
    }
    auto name = m_.qualified_name(fn, scope);
    if (auto list = children(args); name && *name == "str" && list.size() == 1) {
      StringFacts f = eval(list[0], scope, depth + 1);
      if (f.is_constant()) return f;
    }
    return opaque();
  }

  StringFacts eval_name(TSNode id, int scope, int depth) {
    auto defs = m_.reaching_defs(m_.text(id), scope, id);
    if (defs.empty()) return opaque();
    std::vector<StringFacts> alternatives;
    for (const Def* d : defs) {
      if (std::find(active_.begin(), active_.end(), d) != active_.end()) return opaque();
      active_.push_back(d);
      StringFacts f = eval_def(*d, depth + 1);
      active_.pop_back();
      if (f.is_built() && !f.built_line) f.built_line = line_of(d->node);
      alternatives.push_back(std::move(f));
    }
    return merge(std::move(alternatives));
  }

  StringFacts eval_def(const Def& d, int depth) {
    switch (d.kind) {
      case Def::Kind::assign:
        return eval(d.value, d.scope, depth);
      case Def::Kind::aug_assign: {
        std::string_view op = m_.text(field(d.node, "operator"));
        TSNode target = field(d.node, "left");
        StringFacts before = eval(target, d.scope, depth);  // bindings before this one
        StringFacts added = eval(d.value, d.scope, depth);
        if (op == "+=") {
          if (before.kind == StringFacts::Kind::opaque && added.kind == StringFacts::Kind::opaque) return opaque();
          Builder b;
          b.add(before, target, "concatenation");
          b.add(added, d.value, "concatenation");
          return b.finish();
        }
        if (op == "%=" && before.kind != StringFacts::Kind::opaque) {
          Builder b;
          b.add(before, target, "%-format");
          add_format_arg(b, d.value, d.scope, depth, "%-format");
          return b.finish();
        }
        return opaque();
      }
      case Def::Kind::loop:
        return elements(d.value, d.scope, depth);
      default:
        return opaque();
    }
  }

  StringFacts name_elements(TSNode id, int scope, int depth) {
    auto defs = m_.reaching_defs(m_.text(id), scope, id);
    if (defs.empty()) return opaque();
    std::vector<StringFacts> alternatives;
    for (const Def* d : defs) {
      if (d->kind != Def::Kind::assign || std::find(active_.begin(), active_.end(), d) != active_.end())
        return opaque();
      active_.push_back(d);
      alternatives.push_back(elements(d->value, d->scope, depth + 1));
      for (const Mutation* mu : m_.mutations(m_.text(id), d->scope, d->pos, start(id)))
        alternatives.push_back(mutation_elements(*mu, depth + 1));
      active_.pop_back();
    }
    return merge(std::move(alternatives));
  }

  StringFacts mutation_elements(const Mutation& mu, int depth) {
    if (!is(mu.node, "call")) return eval(field(mu.node, "right"), mu.scope, depth);  // x[k] = v
    std::string_view method = m_.text(field(field(mu.node, "function"), "attribute"));
    TSNode args = field(mu.node, "arguments");
    auto list = children(args);
    if (list.empty()) return opaque();
    TSNode last = list.back();
    if (method == "append" || method == "add" || method == "insert") return eval(last, mu.scope, depth);
    if (method == "extend") return elements(last, mu.scope, depth);
    return opaque();
  }

  const Model& m_;
  std::vector<const Def*> active_;  // definitions being evaluated (cycle guard)
};

StringFacts Model::string_facts(TSNode expr, int scope) const {
  StringEvaluator evaluator(*this);
  return evaluator.eval(expr, scope, 0);
}

}  // namespace vigil::python
