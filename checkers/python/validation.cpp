// Family 4, input validation: VG404 unvalidated-request-body, VG405
// unbounded-string-field (opt-in). (Uploads, VG401-VG403, are in uploads.cpp.)
#include <unordered_set>

#include "checkers/python/common.h"
#include "checkers/python/sources.h"

namespace vigil::python {
namespace {

// Calls that validate a raw body against a schema.
bool is_validator_call(TSNode call, const Context& ctx) {
  std::string_view m = method_name(call, ctx);
  auto q = callee(call, ctx);
  bool parser = q && (q->starts_with("json.") || q->starts_with("orjson.") || q->starts_with("ujson.") ||
                      q->starts_with("pickle."));
  if (parser) return false;  // json.loads parses; it does not validate
  if (m == "model_validate" || m == "parse_obj" || m == "validate" || m == "load" || m == "loads" ||
      m == "is_valid" || m == "validate_python" || m == "model_validate_json" || m == "parse_raw")
    return true;
  if (q && (*q == "jsonschema.validate" || q->ends_with(".validate"))) return true;
  // Model(**data), SomeForm(request.POST), Serializer(data=...): a class builds a validated object.
  std::string name = q ? last_component(*q) : std::string(ctx.text(field(call, "function")));
  return !name.empty() && std::isupper(static_cast<unsigned char>(name[0]));
}

// Is the raw body handed to a validator: directly (`Item(**await request.json())`)
// or through the local it is bound to?
bool validated(TSNode read, const Context& ctx) {
  TSNode n = parent_of(read);
  for (int i = 0; i < 4 && !is_null(n); ++i, n = parent_of(n)) {
    if (is(n, "call") && is_validator_call(n, ctx)) return true;
    if (is(n, "assignment")) {
      TSNode target = field(n, "left");
      if (!is(target, "identifier")) return false;
      for (const Use& u : ctx.model().uses(ctx.text(target), ctx.scope())) {
        if (start(u.node) <= end(n)) continue;
        TSNode p = u.parent;
        if (is(p, "dictionary_splat") || is(p, "keyword_argument")) p = parent_of(p);
        if (is(p, "argument_list") && is_validator_call(parent_of(p), ctx)) return true;
      }
      return false;
    }
  }
  return false;
}

class UnvalidatedRequestBody : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG404"}; }
  std::vector<std::string> node_kinds() const override { return {"call", "attribute", "function_definition"}; }

  void check(TSNode node, Context& ctx) const override {
    if (is_test_file(ctx.file().path())) return;
    if (is(node, "function_definition")) return check_parameters(node, ctx);
    std::string what = raw_body(node, ctx);
    if (what.empty()) return;
    TSNode fn = enclosing_function_node(ctx);
    if (is_null(fn) || !is_view(fn, ctx) || validated(node, ctx)) return;
    ctx.report("VG404", node, what + " goes into the handler without a schema: fields, types and sizes are whatever "
                                     "the client sent; declare a pydantic model (or a marshmallow/DRF serializer)");
  }

 private:
  // A route handler, not a middleware hook that also takes the request.
  static bool is_view(TSNode fn, const Context& ctx) {
    std::string_view name = ctx.text(field(fn, "name"));
    if (name == "__call__" || name == "dispatch" || name.starts_with("process_")) return false;
    return is_route_handler(fn, ctx);
  }

  // "`await request.json()`", "`request.get_json()`", "`json.loads(request.body)`", or "".
  static std::string raw_body(TSNode node, const Context& ctx) {
    if (is(node, "attribute")) {
      TSNode parent = parent_of(node);
      if (is(parent, "call")) return {};
      if (is(parent, "comparison_operator")) return {};  // "email" in request.form
      auto q = ctx.model().qualified_name(node, ctx.scope());
      if (is(parent, "attribute")) {  // request.form.to_dict() hands over every field
        bool whole = ctx.text(field(parent, "attribute")) == "to_dict" || ctx.text(field(parent, "attribute")) == "copy";
        return whole && q && (*q == "flask.request.form" || *q == "flask.request.values" || *q == "flask.request.json")
                   ? "`" + std::string(ctx.text(parent)) + "()`"
                   : std::string();
      }
      if (q && *q == "flask.request.json") return "`request.json`";
      // Form data is flat strings read field by field (`request.form["title"]`): only the whole form counts.
      if (q && (*q == "flask.request.form" || *q == "flask.request.values") && !is(parent_of(node), "subscript"))
        return "`" + std::string(ctx.text(node)) + "`";
      return {};
    }
    auto q = callee(node, ctx);
    std::string_view m = method_name(node, ctx);
    if (q && (*q == "flask.request.get_json")) return "`request.get_json()`";
    // request.body() is raw bytes (webhook signatures hash it): it counts once parsed, below.
    if ((m == "json" || m == "form") && q &&
        (q->starts_with("fastapi.Request()") || q->starts_with("starlette.requests.Request()")))
      return "`request." + std::string(m) + "()`";
    if (q && (*q == "json.loads" || *q == "orjson.loads") &&
        ctx.text(positional_arg(node, 0)).find("request.body") != std::string_view::npos)
      return "`" + std::string(ctx.text(node).substr(0, 60)) + "`";
    return {};
  }

  // `= Depends(...)`, `= Query(...)`, `= Header(...)`: not the request body (`= Body(...)` is).
  static bool injected_or_not_body(TSNode value, const Context& ctx, int inner) {
    if (!is(value, "call")) return false;
    auto q = ctx.model().qualified_name(field(value, "function"), inner >= 0 ? ctx.model().scope(inner).parent : 0);
    return q && q->starts_with("fastapi.") && *q != "fastapi.Body" && *q != "fastapi.params.Body";
  }

  // "dict" or "Any" when a body type accepts free-form JSON: dict, Dict[...],
  // Any, also inside Optional/Union/`| None`/List/Annotated; "" otherwise.
  static std::string loose_type(TSNode type, const Context& ctx, int scope, int depth) {
    if (is_null(type) || depth > 5) return {};
    while (is(type, "type") && named_count(type)) type = named_child(type, 0);
    if (is(type, "union_type") || is(type, "binary_operator")) {
      for (TSNode c : children(type))
        if (auto t = loose_type(c, ctx, scope, depth + 1); !t.empty()) return t;
      return {};
    }
    TSNode head = type;
    std::vector<TSNode> args;
    if (is(type, "generic_type") && named_count(type) >= 2) {
      head = named_child(type, 0);
      args = children(named_child(type, 1));
    } else if (is(type, "subscript")) {
      head = field(type, "value");
      for (TSNode c : children(type))
        if (c.id != head.id) args.push_back(c);
    }
    auto q = ctx.model().qualified_name(head, scope);
    std::string t = q ? *q : std::string(ctx.text(head));
    if (t == "typing.Any" || t == "Any") return "Any";
    if (t == "dict" || t == "typing.Dict" || t == "Dict") return "dict";
    bool wrapper = t == "typing.Optional" || t == "Optional" || t == "typing.Union" || t == "Union" ||
                   t == "typing.List" || t == "List" || t == "list" || t == "typing.Annotated" || t == "Annotated";
    if (!wrapper || args.empty()) return {};
    if (t.ends_with("Annotated")) {  // Annotated[dict, Depends(...)] is injected, Annotated[dict, Body()] is the body
      for (size_t i = 1; i < args.size(); ++i) {
        TSNode meta = args[i];
        while (is(meta, "type") && named_count(meta)) meta = named_child(meta, 0);
        if (is(meta, "call") && injected_or_not_body(meta, ctx, -1)) return {};
      }
      return loose_type(args[0], ctx, scope, depth + 1);
    }
    for (TSNode a : args)
      if (auto inner = loose_type(a, ctx, scope, depth + 1); !inner.empty()) return inner;
    return {};
  }

  // FastAPI body parameters typed dict / Dict / Any on a state-changing route.
  static void check_parameters(TSNode fn, Context& ctx) {
    if (!is_route_handler(fn, ctx)) return;
    int inner = ctx.model().scope_of_node(fn, -1);
    for (TSNode p : children(field(fn, "parameters"))) {
      if (!is(p, "typed_parameter") && !is(p, "typed_default_parameter")) continue;
      if (is(p, "typed_default_parameter") && injected_or_not_body(field(p, "value"), ctx, inner)) continue;
      TSNode type = field(p, "type");
      int outer = inner >= 0 ? ctx.model().scope(inner).parent : ctx.scope();
      std::string loose = loose_type(type, ctx, outer, 0);
      if (loose.empty()) continue;
      TSNode name = is(p, "typed_parameter") ? named_child(p, 0) : field(p, "name");
      ctx.report("VG404", p, "body parameter `" + std::string(ctx.text(name)) + "` is `" + std::string(ctx.text(type)) +
                                 "`: " + (loose == "Any" ? "any JSON is accepted" : "any keys are accepted") +
                                 "; declare a pydantic model for it");
    }
  }
};

// ---------------------------------------------------------------- VG405

class UnboundedStringField : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG405"}; }
  std::vector<std::string> node_kinds() const override { return {"class_definition"}; }

  void check(TSNode cls, Context& ctx) const override {
    std::string name(ctx.text(field(cls, "name")));
    for (const char* suffix : {"Response", "Out", "Read", "Public", "InDB", "Settings"})
      if (name.ends_with(suffix)) return;  // response and settings models
    bool model = false;
    for (TSNode base : children(field(cls, "superclasses"))) {
      if (is(base, "keyword_argument") && ctx.text(field(base, "name")) == "table") return;  // SQLModel table
      auto q = ctx.model().qualified_name(base, ctx.scope());
      model = model || (q && (*q == "pydantic.BaseModel" || *q == "pydantic.main.BaseModel" || *q == "sqlmodel.SQLModel"));
    }
    if (!model) return;
    for (TSNode stmt : children(field(cls, "body"))) {
      TSNode assign = is(stmt, "expression_statement") && named_count(stmt) ? named_child(stmt, 0) : stmt;
      if (!is(assign, "assignment") || !is(field(assign, "left"), "identifier")) continue;
      TSNode type = field(assign, "type");
      std::string t(ctx.text(type));
      bool text = t == "str" || t == "Optional[str]" || t == "str | None" || t == "typing.Optional[str]";
      if (!text) continue;
      TSNode value = unparen(field(assign, "right"));
      if (is(value, "call") && !is_null(keyword_arg(value, "max_length", ctx))) continue;
      ctx.report("VG405", assign, "`" + std::string(ctx.text(field(assign, "left"))) +
                                      ": str` has no length limit: a request can carry megabytes in it; add "
                                      "`Field(..., max_length=...)`");
    }
  }
};

}  // namespace

VIGIL_REGISTER_PYTHON_CHECKER(UnvalidatedRequestBody);
VIGIL_REGISTER_PYTHON_CHECKER(UnboundedStringField);

}  // namespace vigil::python
