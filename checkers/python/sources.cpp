#include "checkers/python/sources.h"

#include <unordered_set>

#include "checkers/python/common.h"

namespace vigil::python {
namespace {

constexpr int kMaxDepth = 10;

// Flask: members of `flask.request` that carry client data.
const std::unordered_set<std::string_view> kFlaskRequest = {"args", "form", "values", "json", "files", "cookies",
                                                            "headers", "data", "get_json", "get_data", "view_args"};
// Django (and DRF): members of a view's `request`.
const std::unordered_set<std::string_view> kDjangoRequest = {"GET", "POST", "FILES", "COOKIES", "META", "body",
                                                             "headers", "data", "query_params"};
// Starlette / FastAPI: members of a `Request`.
const std::unordered_set<std::string_view> kStarletteRequest = {"query_params", "path_params", "headers", "cookies",
                                                                "json", "body", "form", "url", "stream"};
// Parameter defaults that are not client data (injected by the framework).
const std::unordered_set<std::string_view> kInjected = {"fastapi.Depends", "fastapi.Security", "fastapi.params.Depends",
                                                        "fastapi.params.Security"};
// Annotations that are framework objects, not client data.
const std::unordered_set<std::string_view> kFrameworkTypes = {
    "fastapi.Request", "starlette.requests.Request", "fastapi.Response", "fastapi.BackgroundTasks",
    "fastapi.WebSocket", "sqlalchemy.orm.Session", "sqlalchemy.ext.asyncio.AsyncSession"};
const std::unordered_set<std::string_view> kRouteMethods = {"get", "post", "put", "patch", "delete", "route",
                                                            "api_route", "websocket"};

// Parameter types whose values are numbers, flags or ids: they carry no syntax.
const std::unordered_set<std::string_view> kScalarTypes = {
    "int()", "float()", "bool()", "uuid.UUID()", "datetime.date()", "datetime.datetime()", "decimal.Decimal()",
    "pydantic.PositiveInt()", "pydantic.NonNegativeInt()", "pydantic.UUID4()", "pydantic.conint()"};

// `request.args.get("n", type=int)`: Flask converts (or drops) the value.
bool converted_to_scalar(TSNode call, const Context& ctx) {
  if (!is(call, "call")) return false;
  for (TSNode a : children(field(call, "arguments")))
    if (is(a, "keyword_argument") && ctx.text(field(a, "name")) == "type") {
      TSNode type = field(a, "value");
      auto q = ctx.model().qualified_name(type, ctx.scope());
      std::string name = q ? *q : std::string(ctx.text(type));
      return name == "int" || name == "float" || name == "bool" || name == "uuid.UUID";
    }
  return false;
}

bool is_request_object(TSNode e, const Context& ctx) {
  auto q = ctx.model().qualified_name(e, ctx.scope());
  return q && (*q == "fastapi.Request()" || *q == "starlette.requests.Request()");
}

}  // namespace

TSNode enclosing_function_node(const Context& ctx) {
  int fn = ctx.model().enclosing_function(ctx.scope());
  return fn < 0 ? TSNode{} : ctx.model().scope(fn).node;
}

bool is_route_handler(TSNode function, const Context& ctx) {
  if (!is(function, "function_definition") || is_test_file(ctx.file().path())) return false;
  TSNode parent = parent_of(function);
  if (is(parent, "decorated_definition"))
    for (TSNode d : children(parent)) {
      if (!is(d, "decorator")) continue;
      TSNode expr = named_count(d) ? named_child(d, 0) : TSNode{};
      TSNode fn = is(expr, "call") ? field(expr, "function") : expr;
      int own = ctx.model().scope_of_node(function, -1);
      auto q = ctx.model().qualified_name(fn, own < 0 ? 0 : ctx.model().scope(own).parent);
      if (q && q->starts_with("pytest.")) return false;  // @pytest.fixture def client(request)
      if (is(fn, "attribute") && kRouteMethods.count(ctx.text(field(fn, "attribute")))) return true;
    }
  // Django function views and DRF methods take the request first; middleware
  // hooks (process_view, process_template_response, __call__) do too but are not views.
  std::string_view name = ctx.text(field(function, "name"));
  if (name.starts_with("process_") || name.starts_with("__")) return false;
  auto params = children(field(function, "parameters"));
  size_t first = !params.empty() && ctx.text(params[0]) == "self" ? 1 : 0;
  return params.size() > first && ctx.text(params[first]) == "request";
}

std::string untrusted_source(TSNode expr, const Context& ctx, int depth, bool request_only) {
  expr = unparen(expr);
  if (is_null(expr) || depth > kMaxDepth) return {};
  std::string_view k = kind(expr);
  if (k == "await") return untrusted_source(named_child(expr, 0), ctx, depth + 1);
  if (converted_to_scalar(expr, ctx)) return {};
  if (k == "identifier") {  // page = request.args.get("page", type=int)
    auto defs = ctx.model().reaching_defs(ctx.text(expr), ctx.scope(), expr);
    bool all_converted = !defs.empty();
    for (const Def* d : defs) all_converted = all_converted && d->kind == Def::Kind::assign && converted_to_scalar(d->value, ctx);
    if (all_converted) return {};
  }
  auto q = ctx.model().qualified_name(expr, ctx.scope());
  if (q && !request_only) {
    if (*q == "input()") return "`input()`";
    if (q->starts_with("sys.argv")) return "`sys.argv`";
    if (q->starts_with("os.environ") || *q == "os.getenv()") return "the environment";
  }
  if (q) {
    if (q->starts_with("flask.request.")) {
      std::string member = q->substr(14);
      member = member.substr(0, member.find_first_of(".()[]"));
      if (kFlaskRequest.count(member)) return "Flask `request." + member + "`";
    }
  }
  if (k == "attribute" || k == "subscript" || k == "call") {
    // Walk to the base object: request.GET["q"], request.query_params.get("q"), body.name
    TSNode base = expr;
    std::string member;
    while (true) {
      if (is(base, "attribute")) {
        member = ctx.text(field(base, "attribute"));
        TSNode object = unparen(field(base, "object"));
        if (is(object, "identifier")) {
          std::string_view name = ctx.text(object);
          if ((name == "request" || name == "req") && kDjangoRequest.count(member) && !is_request_object(object, ctx))
            return "Django `request." + member + "`";
          if (is_request_object(object, ctx) && kStarletteRequest.count(member)) return "`request." + member + "`";
        }
        base = object;
      } else if (is(base, "subscript")) {
        base = unparen(field(base, "value"));
      } else if (is(base, "call")) {
        base = unparen(field(base, "function"));
      } else {
        break;
      }
    }
    if (is(base, "identifier") && base.id != expr.id) return untrusted_source(base, ctx, depth + 1, request_only);
  }
  if (k == "identifier") {
    auto defs = ctx.model().reaching_defs(ctx.text(expr), ctx.scope(), expr);
    for (const Def* d : defs) {
      if (d->scope != ctx.scope()) continue;
      if (d->kind == Def::Kind::param) {
        TSNode fn = ctx.model().scope(d->scope).node;
        if (!is_route_handler(fn, ctx)) continue;
        std::string_view name = ctx.text(expr);
        if (name == "request" || name == "self" || name == "req") continue;
        TSNode def_value = is(d->node, "default_parameter") || is(d->node, "typed_default_parameter")
                               ? field(d->node, "value")
                               : TSNode{};
        if (is(def_value, "call")) {
          auto dq = ctx.model().qualified_name(field(def_value, "function"), ctx.model().scope(d->scope).parent);
          if (dq && kInjected.count(*dq)) continue;
        }
        if (!is_null(d->value)) {
          auto type = ctx.model().qualified_name(expr, ctx.scope());
          if (type && kFrameworkTypes.count(type->substr(0, type->size() - 2))) continue;
          if (type && kScalarTypes.count(*type)) continue;  // FastAPI converts and rejects: no `../`, no quotes
          std::string annotation(ctx.text(d->value));
          if (annotation.find("Depends(") != std::string::npos || annotation.find("Security(") != std::string::npos)
            continue;
        }
        // Django/Flask views take path parameters by name; FastAPI's are query, path or body.
        return "request parameter `" + std::string(name) + "`";
      }
      if (d->kind == Def::Kind::assign || d->kind == Def::Kind::aug_assign || d->kind == Def::Kind::loop ||
          d->kind == Def::Kind::with_item) {
        std::string s = untrusted_source(d->value, ctx, depth + 1, request_only);
        if (!s.empty()) return s;
      }
    }
    return {};
  }
  // Strings built from untrusted parts.
  StringFacts facts = ctx.model().string_facts(expr, ctx.scope());
  for (const auto& part : facts.parts)
    if (part.node.id != expr.id)
      if (std::string s = untrusted_source(part.node, ctx, depth + 1, request_only); !s.empty()) return s;
  return {};
}

}  // namespace vigil::python
