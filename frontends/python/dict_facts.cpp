// Dict facts: which constant keys a dict expression holds where it is used.
// Followed through local variables and their in-place changes (`update`,
// `setdefault`, item assignment), `.copy()`, `dict(...)`, `**` merges and the
// return values of functions defined in the same file.
#include <algorithm>

#include "frontends/python/model.h"
#include "frontends/python/syntax.h"

namespace vigil::python {
namespace {

constexpr int kMaxDepth = 32;

DictFacts unknown() { return {}; }

// Adds `from` to `into` as a part of the same dict (a merge or an update).
void absorb(DictFacts& into, const DictFacts& from, bool certain) {
  for (const auto& k : from.keys) (certain ? into.keys : into.maybe_keys).insert(k);
  into.maybe_keys.insert(from.maybe_keys.begin(), from.maybe_keys.end());
  into.open = into.open || from.open;
}

// Alternatives (several reaching definitions, several return statements):
// a key is certain only if every alternative has it.
DictFacts either(const std::vector<DictFacts>& alternatives) {
  if (alternatives.empty()) return unknown();
  DictFacts out;
  out.built = true;
  out.keys = alternatives.front().keys;
  for (const auto& a : alternatives) {
    out.built = out.built && a.built;
    out.open = out.open || a.open;
    out.maybe_keys.insert(a.maybe_keys.begin(), a.maybe_keys.end());
    for (const auto& k : a.keys) out.maybe_keys.insert(k);
    for (auto it = out.keys.begin(); it != out.keys.end();)
      it = a.keys.count(*it) ? std::next(it) : out.keys.erase(it);
  }
  for (const auto& k : out.keys) out.maybe_keys.erase(k);
  return out;
}

// Calls that read a dict without keeping or changing it.
bool is_reading_call(std::string_view name) {
  return name == "len" || name == "print" || name == "repr" || name == "str" || name == "isinstance" ||
         name == "bool" || name == "sorted" || name == "list" || name == "json.dumps";
}

}  // namespace

class DictEvaluator {
 public:
  explicit DictEvaluator(const Model& model) : m_(model) {}

  DictFacts eval(TSNode e, int scope, int depth) {
    e = unparen(e);
    if (is_null(e) || depth > kMaxDepth) return unknown();
    std::string_view k = kind(e);
    if (k == "dictionary") return literal(e, scope, depth);
    if (k == "dictionary_comprehension") {
      DictFacts f;
      f.built = f.open = true;
      return f;
    }
    if (k == "call") return call(e, scope, depth);
    if (k == "identifier") return name(e, scope, depth);
    if (k == "binary_operator" && m_.text(field(e, "operator")) == "|") {
      DictFacts out = derived(eval(field(e, "left"), scope, depth + 1));
      absorb(out, eval(field(e, "right"), scope, depth + 1), true);
      return out;
    }
    return unknown();
  }

 private:
  // A new dict made from another value (copy, `**`, dict(x)): the keys of
  // an unknown source are taken as absent; the new dict is built here.
  static DictFacts derived(DictFacts source) {
    source.built = true;
    return source;
  }

  DictFacts literal(TSNode dict, int scope, int depth) {
    DictFacts out;
    out.built = true;
    for (TSNode item : children(dict)) {
      if (is(item, "pair")) add_key(out, field(item, "key"), scope, true);
      else if (is(item, "dictionary_splat")) absorb(out, eval(named_child(item, 0), scope, depth + 1), true);
      else out.open = true;
    }
    return out;
  }

  void add_key(DictFacts& out, TSNode key, int scope, bool certain) {
    StringFacts f = m_.string_facts(key, scope);
    if (f.is_constant()) (certain ? out.keys : out.maybe_keys).insert(f.text);
    else out.open = true;
  }

  DictFacts call(TSNode e, int scope, int depth) {
    TSNode fn = unparen(field(e, "function"));
    auto args = children(field(e, "arguments"));
    if (is(fn, "attribute") && m_.text(field(fn, "attribute")) == "copy" && args.empty())
      return derived(eval(field(fn, "object"), scope, depth + 1));
    auto name = m_.qualified_name(fn, scope);
    if (name && (*name == "copy.copy" || *name == "copy.deepcopy") && args.size() == 1)
      return derived(eval(args[0], scope, depth + 1));
    if (name && *name == "dict") {
      DictFacts out;
      out.built = true;
      for (TSNode a : args) {
        if (is(a, "keyword_argument")) out.keys.insert(std::string(m_.text(field(a, "name"))));
        else if (is(a, "dictionary_splat")) absorb(out, eval(named_child(a, 0), scope, depth + 1), true);
        else {
          // dict(mapping) copies it; dict(pairs) or dict(zip(...)) holds keys we cannot see.
          DictFacts source = eval(a, scope, depth + 1);
          if (!source.built && !is(unparen(a), "identifier")) out.open = true;
          absorb(out, source, true);
        }
      }
      return out;
    }
    if (const Def* helper = m_.called_function(e, scope)) return returned(*helper, depth);
    return unknown();
  }

  // What a function of this file returns, over all its return statements.
  DictFacts returned(const Def& function, int depth) {
    if (std::find(active_functions_.begin(), active_functions_.end(), &function) != active_functions_.end())
      return unknown();
    int inner = m_.function_scope(function);
    if (inner < 0 || m_.scope(inner).returns.empty()) return unknown();
    active_functions_.push_back(&function);
    std::vector<DictFacts> alternatives;
    for (TSNode ret : m_.scope(inner).returns) {
      auto value = children(ret);
      alternatives.push_back(value.empty() ? unknown() : eval(value[0], inner, depth + 1));
    }
    active_functions_.pop_back();
    return either(alternatives);
  }

  DictFacts name(TSNode id, int scope, int depth) {
    auto defs = m_.reaching_defs(m_.text(id), scope, id);
    if (defs.empty()) return unknown();
    std::vector<DictFacts> alternatives;
    for (const Def* d : defs) {
      if (d->kind != Def::Kind::assign || std::find(active_.begin(), active_.end(), d) != active_.end())
        return unknown();
      active_.push_back(d);
      DictFacts f = eval(d->value, d->scope, depth + 1);
      if (f.built) {
        for (const Mutation* mu : m_.mutations(m_.text(id), d->scope, d->pos, start(id)))
          apply(f, *mu, contains(mu->block, id), depth);
        if (escapes(m_.text(id), d->scope, d->pos, id)) f.open = true;
      }
      active_.pop_back();
      alternatives.push_back(std::move(f));
    }
    return either(alternatives);
  }

  void apply(DictFacts& f, const Mutation& mu, bool certain, int depth) {
    if (!is(mu.node, "call")) {  // x[key] = value
      TSNode target = field(mu.node, "left");
      if (is(target, "subscript")) add_key(f, field(target, "subscript"), mu.scope, certain);
      return;
    }
    std::string_view method = m_.text(field(field(mu.node, "function"), "attribute"));
    auto args = children(field(mu.node, "arguments"));
    if (method == "setdefault" && !args.empty()) {
      add_key(f, args[0], mu.scope, certain);
    } else if (method == "update") {
      for (TSNode a : args) {
        if (is(a, "keyword_argument")) {
          (certain ? f.keys : f.maybe_keys).insert(std::string(m_.text(field(a, "name"))));
          continue;
        }
        DictFacts added = eval(is(a, "dictionary_splat") ? named_child(a, 0) : a, mu.scope, depth + 1);
        if (!added.built) f.open = true;  // updated from a mapping we cannot see
        absorb(f, added, certain);
      }
    }
  }

  // Is the dict handed to code that may change it, between its binding and
  // the use: passed to a call, or bound to another name?
  bool escapes(std::string_view name, int scope, uint32_t from, TSNode use) {
    for (const Use& u : m_.uses(name, scope)) {
      if (start(u.node) <= from || start(u.node) >= start(use)) continue;
      std::string_view pk = is_null(u.parent) ? "" : kind(u.parent);
      if (pk == "argument_list" || pk == "keyword_argument") {
        TSNode call = is(u.parent, "argument_list") ? parent_of(u.parent) : parent_of(parent_of(u.parent));
        auto callee = is(call, "call") ? m_.qualified_name(field(call, "function"), scope) : std::nullopt;
        if (!callee || !is_reading_call(*callee)) return true;
      } else if ((pk == "assignment" && u.field && std::string_view(u.field) == "right") || pk == "expression_list") {
        return true;
      }
    }
    return false;
  }

  const Model& m_;
  std::vector<const Def*> active_;
  std::vector<const Def*> active_functions_;
};

DictFacts Model::dict_facts(TSNode expr, int scope) const {
  DictEvaluator evaluator(*this);
  return evaluator.eval(expr, scope, 0);
}

}  // namespace vigil::python
