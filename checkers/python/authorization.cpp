// Family 2, authorisation: VG201 endpoint-missing-authentication (a project
// rule: routers are protected where they are included, dependencies are
// defined in other modules), VG202 missing-ownership-check.
//
// Facts (names are project-global: "app.api.deps.get_current_user"):
//   auth.route     a route: method, path, router, local evidence of protection,
//                  and the dependencies it names (resolved in the project phase)
//   auth.provider  a module-level dependency, alias or security scheme, whether
//                  it authenticates by itself, and the dependencies it names
//   auth.router    a router or blueprint protected as a whole (or by deps)
//   auth.include   router included into another (app or router), with deps
//   auth.global    an app, middleware or DRF default protecting everything
#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "checkers/python/common.h"
#include "checkers/python/sources.h"

namespace vigil::python {
namespace {

const std::unordered_set<std::string_view> kRouteMethods = {"get", "post", "put", "patch", "delete", "route",
                                                            "api_route"};
const std::unordered_set<std::string_view> kStateChanging = {"post", "put", "patch", "delete"};

bool has(const std::vector<std::string>& words, std::initializer_list<std::string_view> any) {
  for (const auto& w : words)
    for (auto a : any)
      if (w == a) return true;
  return false;
}

// Does a dependency, decorator or hook name say it authenticates or authorises?
// Ambiguous words count only in company: get_current_user (not
// get_current_tenant), require_role (not require_json).
bool is_auth_name(std::string_view name) {
  auto words = words_of(name);
  if (has(words, {"csrf"})) return false;
  for (const auto& w : words)
    for (std::string_view part : {"auth", "jwt", "bearer", "apikey", "oauth", "login", "permission", "superuser"})
      if (w.find(part) != std::string::npos) return true;
  if (has(words, {"token", "tokens", "role", "roles", "admin", "principal", "staff", "identity", "guard",
                  "credentials", "signin", "authenticated"}))
    return true;
  bool api_key = false;
  for (size_t i = 0; i + 1 < words.size(); ++i) api_key = api_key || (words[i] == "api" && words[i + 1] == "key");
  if (api_key) return true;
  bool who = has(words, {"user", "account", "member"});
  return who && has(words, {"current", "active", "logged", "signed", "verify", "verified", "require", "requires",
                            "required", "ensure", "check", "session"});
}

// A name as the project knows it: imports resolved, locals prefixed by their module.
std::string project_name(TSNode expr, const Context& ctx, int scope) {
  auto q = ctx.model().qualified_name(expr, scope);
  if (!q) return {};
  if (q->starts_with("__local__.")) return ctx.module() + "." + q->substr(10);
  return *q;
}

// The project name of the object a variable holds: `router` assigned in
// this module is "<module>.router"; `from app.api import items` makes
// `items.router` "app.api.items.router". (The model's qualified_name would
// follow the assignment to `fastapi.APIRouter()`.)
std::string binding_name(TSNode expr, const Context& ctx, int scope) {
  expr = unparen(expr);
  if (is(expr, "identifier")) {
    auto defs = ctx.model().reaching_defs(ctx.text(expr), scope, expr);
    bool imported = !defs.empty() && std::all_of(defs.begin(), defs.end(), [](const Def* d) {
      return d->kind == Def::Kind::import;
    });
    return imported ? project_name(expr, ctx, scope) : ctx.module() + "." + std::string(ctx.text(expr));
  }
  if (is(expr, "attribute")) {
    std::string object = binding_name(field(expr, "object"), ctx, scope);
    return object.empty() ? std::string() : object + "." + std::string(ctx.text(field(expr, "attribute")));
  }
  return {};
}

bool is_security_scheme(const std::string& callee) {
  return callee.starts_with("fastapi.security.") || callee.starts_with("fastapi_users.") ||
         callee.starts_with("fastapi_login.");
}

// What the dependencies of an expression (a parameter's default or
// annotation, a `dependencies=[...]` list) say about authentication.
struct Dependencies {
  bool authenticates = false;     // judged here: Security(...), an auth-named dependency, a scheme
  std::string shown;              // the dependency to name in messages
  std::vector<std::string> names; // project-global names to judge in the project phase
};

void collect(TSNode expr, const Context& ctx, int scope, Dependencies& out, int depth = 0) {
  expr = unparen(expr);
  if (is_null(expr) || depth > 6) return;
  if (is(expr, "call")) {
    auto q = ctx.model().qualified_name(field(expr, "function"), scope);
    bool depends = q && (*q == "fastapi.Depends" || *q == "fastapi.params.Depends");
    bool security = q && (*q == "fastapi.Security" || *q == "fastapi.params.Security");
    if (depends || security) {
      TSNode dep = unparen(positional_arg(expr, 0));
      TSNode target = is(dep, "call") ? field(dep, "function") : dep;
      std::string text(ctx.text(target));
      std::string global = is(dep, "call") ? project_name(target, ctx, scope) : binding_name(target, ctx, scope);
      if (!global.empty()) out.names.push_back(global);
      bool scheme = is(dep, "call") && is_security_scheme(global);  // Depends(HTTPBearer())
      if (is(target, "identifier")) {                                 // security = HTTPBearer()
        auto defs = ctx.model().reaching_defs(text, scope, target);
        if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign && is(unparen(defs[0]->value), "call"))
          scheme = scheme || is_security_scheme(project_name(field(unparen(defs[0]->value), "function"), ctx,
                                                             defs[0]->scope));
      }
      if (security || scheme || is_auth_name(text)) {
        out.authenticates = true;
        if (out.shown.empty()) out.shown = text;
      }
      return;
    }
  }
  if (is(expr, "identifier")) {  // CurrentUser = Annotated[User, Depends(get_current_user)]
    std::string_view name = ctx.text(expr);
    auto defs = ctx.model().reaching_defs(name, scope, expr);
    if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign)
      return collect(defs[0]->value, ctx, defs[0]->scope, out, depth + 1);
    std::string global = project_name(expr, ctx, scope);
    if (!global.empty() && !global.starts_with(ctx.module() + ".")) out.names.push_back(global);  // imported alias
    return;
  }
  if (is(expr, "attribute")) {  // deps.CurrentUser
    std::string global = project_name(expr, ctx, scope);
    if (!global.empty()) out.names.push_back(global);
    return;
  }
  for (TSNode c : children(expr)) collect(c, ctx, scope, out, depth + 1);
}

// ---------------------------------------------------------------- paths

std::vector<std::string> path_parameters(const std::string& path) {
  std::vector<std::string> out;
  for (size_t i = 0; i < path.size(); ++i) {
    char open = path[i];
    if (open != '{' && open != '<') continue;
    size_t close = path.find(open == '{' ? '}' : '>', i);
    if (close == std::string::npos) break;
    std::string p = path.substr(i + 1, close - i - 1);
    if (size_t colon = p.rfind(':'); colon != std::string::npos) p = p.substr(colon + 1);  // <int:id>, {path:path}
    out.push_back(p);
    i = close;
  }
  return out;
}

bool is_id_parameter(const std::string& name) {
  auto words = words_of(name);
  return !words.empty() && (words.back() == "id" || words.back() == "pk" || words.back() == "uuid");
}

std::vector<std::string> static_segments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string seg = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!seg.empty() && seg.find_first_of("{<") == std::string::npos) out.push_back(seg);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

// Public by design: the login/registration/token endpoints (the last segment
// says so: /auth/login, /users/register, /password/forgot), health and docs,
// webhooks; never a path addressing a resource by id. Configurable:
// [rules.VG201] public-routes.
bool is_public_path(const std::string& path, const Context& ctx) {
  const auto& configured = ctx.option("VG201", "public-routes");
  if (configured.is_array())
    for (const auto& p : configured)
      if (p.is_string() && path.starts_with(p.get<std::string>())) return true;
  for (const auto& p : path_parameters(path))
    if (is_id_parameter(p)) return false;
  auto segments = static_segments(path);
  if (segments.empty()) return false;
  for (const auto& seg : segments)
    if (has(words_of(seg), {"health", "healthz", "docs", "openapi", "redoc", "webhook", "webhooks", "hooks",
                            "callback", "callbacks", "public", "graphql"}))
      return true;
  return has(words_of(segments.back()),
             {"login", "logout", "signin", "signup", "register", "token", "refresh", "forgot", "reset", "verify",
              "confirm", "ready", "readiness", "liveness", "livez", "readyz", "ping", "callback", "activate"});
}

// ---------------------------------------------------------------- routes

struct RouteInfo {
  TSNode decorator{};
  std::string method, path, router;  // router: project name of the decorated object
  Dependencies deps;                 // of the route decorator's dependencies=[...]
  bool decorated_auth = false;       // @login_required, @require_role(...), @jwt_required()
};

// The route decorators of a function (FastAPI/Starlette/Flask).
std::vector<RouteInfo> routes_of(TSNode function, const Context& ctx) {
  std::vector<RouteInfo> out;
  TSNode parent = parent_of(function);
  if (!is(parent, "decorated_definition")) return out;
  int scope = ctx.model().scope_of_node(function, -1);
  scope = scope >= 0 ? ctx.model().scope(scope).parent : ctx.scope();
  bool decorated_auth = false;
  for (TSNode d : children(parent)) {
    if (!is(d, "decorator")) continue;
    TSNode expr = named_count(d) ? named_child(d, 0) : TSNode{};
    TSNode fn = is(expr, "call") ? field(expr, "function") : expr;
    if (is(fn, "attribute") && kRouteMethods.count(ctx.text(field(fn, "attribute"))) && is(expr, "call")) {
      RouteInfo r;
      r.decorator = d;
      r.method = std::string(ctx.text(field(fn, "attribute")));
      r.path = constant_string(positional_arg(expr, 0), ctx).value_or("");
      if (r.method == "route" || r.method == "api_route") {
        auto methods = constant_strings(keyword_arg(expr, "methods", ctx), ctx);
        r.method = "get";
        for (auto& m : methods)
          if (kStateChanging.count(lower(m))) r.method = lower(m);
      }
      r.router = binding_name(field(fn, "object"), ctx, scope);
      collect(keyword_arg(expr, "dependencies", ctx), ctx, scope, r.deps);
      out.push_back(r);
    } else if (is_auth_name(ctx.text(fn))) {
      decorated_auth = true;
    }
  }
  for (auto& r : out) r.decorated_auth = decorated_auth;
  return out;
}

// The parameter that carries the authenticated user (and what its dependency is), or a null node.
TSNode auth_parameter(TSNode function, const Context& ctx, Dependencies& all) {
  int inner = ctx.model().scope_of_node(function, -1);
  int outer = inner >= 0 ? ctx.model().scope(inner).parent : ctx.scope();
  TSNode found{};
  for (TSNode p : children(field(function, "parameters"))) {
    Dependencies deps;
    if (is(p, "default_parameter") || is(p, "typed_default_parameter")) collect(field(p, "value"), ctx, outer, deps);
    if (is(p, "typed_parameter") || is(p, "typed_default_parameter")) collect(field(p, "type"), ctx, outer, deps);
    // An imported alias named like one (`current_user: CurrentUser`) counts here too.
    bool named = false;
    for (const auto& n : deps.names) named = named || is_auth_name(last_component(n));
    if ((deps.authenticates || named) && is_null(found)) {
      found = p;
      all.shown = deps.shown.empty() && !deps.names.empty() ? last_component(deps.names[0]) : deps.shown;
    }
    all.authenticates = all.authenticates || deps.authenticates;
    all.names.insert(all.names.end(), deps.names.begin(), deps.names.end());
  }
  return found;
}

std::string parameter_name(TSNode p, const Context& ctx) {
  if (is(p, "identifier")) return std::string(ctx.text(p));
  if (is(p, "typed_parameter")) return std::string(ctx.text(named_child(p, 0)));
  return std::string(ctx.text(field(p, "name")));
}

// Checks in the handler's own body: Flask-Login's is_authenticated,
// Flask-JWT-Extended's verify_jwt_in_request, a webhook's signature check.
bool checks_in_body(TSNode fn, const Context& ctx) {
  std::string_view body = ctx.text(field(fn, "body"));
  for (std::string_view s : {"is_authenticated", "verify_jwt_in_request", "compare_digest", "construct_event",
                             "verify_signature", "check_signature", "validate_signature"})
    if (body.find(s) != std::string_view::npos) return true;
  return false;
}

// A function that turns callers away: abort(401), HTTPException(403), Unauthorized.
bool rejects_callers(TSNode fn, const Context& ctx) {
  std::string_view body = ctx.text(field(fn, "body"));
  for (std::string_view s : {"abort(401", "abort(403", "HTTP_401", "HTTP_403", "status_code=401", "status_code=403",
                             "Unauthorized", "Forbidden", "PermissionDenied", "NotAuthenticated",
                             "HTTPException(401", "HTTPException(403"})
    if (body.find(s) != std::string_view::npos) return true;
  return false;
}

nlohmann::json names_json(const std::vector<std::string>& names) { return nlohmann::json(names); }

// ---------------------------------------------------------------- facts

class AuthorizationFacts : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG201"}; }
  std::vector<std::string> node_kinds() const override {
    return {"function_definition", "call", "class_definition", "assignment"};
  }

  void check(TSNode node, Context& ctx) const override {
    if (is_test_file(ctx.file().path())) return;
    if (is(node, "function_definition")) return on_function(node, ctx);
    if (is(node, "class_definition")) return on_class(node, ctx);
    if (is(node, "assignment")) return on_assignment(node, ctx);
    on_call(node, ctx);
  }

 private:
  static void on_function(TSNode fn, Context& ctx) {
    hooks(fn, ctx);
    std::string name(ctx.text(field(fn, "name")));
    Dependencies signature;
    bool has_user = !is_null(auth_parameter(fn, ctx, signature));
    if (ctx.scope() == 0)  // a module-level function other routes can depend on
      ctx.fact("auth.provider", field(fn, "name"),
               {{"name", ctx.module() + "." + name},
                {"direct", has_user || signature.authenticates || is_auth_name(name) || rejects_callers(fn, ctx)},
                {"deps", names_json(signature.names)}});
    auto routes = routes_of(fn, ctx);
    if (routes.empty()) return;
    bool body = checks_in_body(fn, ctx) || class_dependencies(fn, ctx);
    for (const auto& r : routes) {
      bool id_param = false;
      for (const auto& p : path_parameters(r.path)) id_param = id_param || is_id_parameter(p);
      std::vector<std::string> deps = signature.names;
      deps.insert(deps.end(), r.deps.names.begin(), r.deps.names.end());
      ctx.fact("auth.route", r.decorator,
               {{"function", name}, {"method", r.method}, {"path", r.path}, {"router", r.router},
                {"protected", has_user || signature.authenticates || r.deps.authenticates || r.decorated_auth || body},
                {"public", is_public_path(r.path, ctx)}, {"state_changing", kStateChanging.count(r.method) > 0},
                {"id_param", id_param}, {"deps", names_json(deps)}});
    }
  }

  // fastapi-utils class-based views: `user: User = Depends(get_current_user)`
  // on the class serves every route method.
  static bool class_dependencies(TSNode fn, const Context& ctx) {
    TSNode n = parent_of(fn);
    if (is(n, "decorated_definition")) n = parent_of(n);
    TSNode cls = is(n, "block") ? parent_of(n) : TSNode{};
    if (!is(cls, "class_definition")) return false;
    for (TSNode stmt : children(field(cls, "body"))) {
      TSNode a = is(stmt, "expression_statement") && named_count(stmt) ? named_child(stmt, 0) : TSNode{};
      if (!is(a, "assignment")) continue;
      Dependencies deps;
      collect(field(a, "right"), ctx, 0, deps);
      collect(field(a, "type"), ctx, 0, deps);
      if (deps.authenticates) return true;
    }
    return false;
  }

  // Flask `@bp.before_request` and FastAPI `@app.middleware("http")` functions
  // that check the login protect their blueprint or app.
  static void hooks(TSNode fn, Context& ctx) {
    TSNode parent = parent_of(fn);
    if (!is(parent, "decorated_definition")) return;
    std::string name(ctx.text(field(fn, "name")));
    bool auth = is_auth_name(name) || checks_in_body(fn, ctx) || rejects_callers(fn, ctx) ||
                ctx.text(field(fn, "body")).find("login") != std::string_view::npos;
    std::vector<TSNode> hook_decorators;
    for (TSNode d : children(parent)) {
      TSNode expr = is(d, "decorator") && named_count(d) ? named_child(d, 0) : TSNode{};
      TSNode f = is(expr, "call") ? field(expr, "function") : expr;
      std::string_view attr = is(f, "attribute") ? ctx.text(field(f, "attribute")) : std::string_view{};
      if (attr == "before_request" || attr == "middleware") hook_decorators.push_back(d);
      else if (is_auth_name(ctx.text(f))) auth = true;  // @login_required on the hook itself
    }
    if (!auth) return;
    for (TSNode d : hook_decorators) {
      TSNode expr = named_child(d, 0);
      TSNode f = is(expr, "call") ? field(expr, "function") : expr;
      ctx.fact("auth.router", d, {{"router", binding_name(field(f, "object"), ctx, ctx.scope())},
                                  {"protected", true}, {"deps", nlohmann::json::array()}});
    }
  }

  static void on_call(TSNode call, Context& ctx) {
    auto q = callee(call, ctx);
    std::string_view m = method_name(call, ctx);
    if (m == "add_middleware") {  // app.add_middleware(AuthenticationMiddleware, backend=JWTBackend())
      TSNode cls = positional_arg(call, 0);
      auto cq = ctx.model().qualified_name(cls, ctx.scope());
      if (is_auth_name(cq ? last_component(*cq) : std::string(ctx.text(cls))))
        ctx.fact("auth.global", call, {{"how", "authentication middleware"}});
      return;
    }
    if (m == "before_request" && is(field(call, "function"), "attribute")) {  // bp.before_request(check_login)
      TSNode hook = positional_arg(call, 0);
      ctx.fact("auth.router", call, {{"router", binding_name(receiver(call), ctx, ctx.scope())},
                                     {"protected", is_auth_name(ctx.text(hook))},
                                     {"deps", nlohmann::json::array({binding_name(hook, ctx, ctx.scope())})}});
      return;
    }
    Dependencies deps;
    collect(keyword_arg(call, "dependencies", ctx), ctx, ctx.scope(), deps);
    if (q && (*q == "fastapi.APIRouter" || *q == "fastapi.routing.APIRouter")) {
      TSNode parent = parent_of(call);
      if (is(parent, "assignment") && is(field(parent, "left"), "identifier") && !deps.names.empty())
        ctx.fact("auth.router", call, {{"router", ctx.module() + "." + std::string(ctx.text(field(parent, "left")))},
                                       {"protected", deps.authenticates}, {"deps", names_json(deps.names)}});
    } else if (q && (*q == "fastapi.FastAPI" || *q == "starlette.applications.Starlette")) {
      if (deps.authenticates) ctx.fact("auth.global", call, {{"how", "app dependencies"}});
    } else if (m == "include_router") {
      ctx.fact("auth.include", call,
               {{"router", binding_name(positional_arg(call, 0), ctx, ctx.scope())},
                {"into", binding_name(receiver(call), ctx, ctx.scope())},
                {"protected", deps.authenticates}, {"deps", names_json(deps.names)}});
    }
  }

  // DRF class views: the state-changing methods they define or inherit, when
  // the class sets no permission_classes (or an empty list, or AllowAny).
  static void on_class(TSNode cls, Context& ctx) {
    bool view = false, writes_inherited = false;
    for (TSNode base : children(field(cls, "superclasses"))) {
      auto q = ctx.model().qualified_name(base, ctx.scope());
      if (!q || !q->starts_with("rest_framework.")) continue;
      view = view || q->ends_with("APIView") || q->ends_with("ViewSet") || q->find("generics.") != std::string::npos ||
             q->find("mixins.") != std::string::npos;
      for (std::string_view w : {"ModelViewSet", "CreateAPIView", "UpdateAPIView", "DestroyAPIView", "ListCreateAPIView",
                                 "RetrieveUpdateAPIView", "RetrieveDestroyAPIView", "RetrieveUpdateDestroyAPIView",
                                 "CreateModelMixin", "UpdateModelMixin", "DestroyModelMixin"})
        writes_inherited = writes_inherited || q->ends_with(w);
    }
    if (!view) return;
    bool permissions = false, allow_any = false;
    std::vector<std::pair<TSNode, std::string>> actions;  // anchor, method
    for (TSNode stmt : children(field(cls, "body"))) {
      TSNode s = is(stmt, "expression_statement") && named_count(stmt) ? named_child(stmt, 0) : stmt;
      if (is(s, "assignment") && ctx.text(field(s, "left")) == "permission_classes") {
        TSNode value = unparen(field(s, "right"));
        allow_any = ctx.text(value).find("AllowAny") != std::string_view::npos;
        permissions = !((is(value, "list") || is(value, "tuple")) && children(value).empty());
      }
      TSNode def = is(s, "decorated_definition") ? field(s, "definition") : s;
      if (!is(def, "function_definition")) continue;
      std::string name(ctx.text(field(def, "name")));
      if (name == "get_permissions") permissions = true;
      std::string method = http_method(name);
      if (is(s, "decorated_definition")) method = action_method(s, ctx, method);
      if (kStateChanging.count(method)) actions.emplace_back(field(def, "name"), method);
    }
    if (actions.empty() && writes_inherited) actions.emplace_back(field(cls, "name"), "post");
    std::string cls_name(ctx.text(field(cls, "name")));
    for (const auto& [anchor, method] : actions)
      ctx.fact("auth.route", anchor,
               {{"function", cls_name + (anchor.id == field(cls, "name").id ? "" : "." + std::string(ctx.text(anchor)))},
                {"method", method}, {"path", ""}, {"router", "drf"}, {"protected", permissions && !allow_any},
                {"public", allow_any}, {"state_changing", true}, {"id_param", false},
                {"deps", nlohmann::json::array()}});
  }

  // A DRF view or viewset action's HTTP method.
  static std::string http_method(std::string_view action) {
    if (action == "post" || action == "create") return "post";
    if (action == "put" || action == "update") return "put";
    if (action == "patch" || action == "partial_update") return "patch";
    if (action == "delete" || action == "destroy") return "delete";
    return std::string(action);
  }

  // @action(detail=True, methods=["post"]): the action's method.
  static std::string action_method(TSNode decorated, const Context& ctx, std::string fallback) {
    for (TSNode d : children(decorated)) {
      TSNode expr = is(d, "decorator") && named_count(d) ? named_child(d, 0) : TSNode{};
      if (!is(expr, "call") || last_component(std::string(ctx.text(field(expr, "function")))) != "action") continue;
      auto methods = constant_strings(keyword_arg(expr, "methods", ctx), ctx);
      std::string method = "get";
      for (auto& m : methods)
        if (kStateChanging.count(lower(m))) method = lower(m);
      return method;
    }
    return fallback;
  }

  // Module-level: dependency aliases and security schemes other modules
  // import; DRF's default permission classes in settings.
  static void on_assignment(TSNode assign, Context& ctx) {
    if (ctx.scope() != 0) return;
    TSNode left = field(assign, "left"), right = field(assign, "right");
    if (is(left, "identifier")) {
      std::string name(ctx.text(left));
      if (name == "REST_FRAMEWORK") {
        return drf_defaults(dict_value(dict_literal(right, ctx), "DEFAULT_PERMISSION_CLASSES", ctx), assign, ctx);
      }
      Dependencies deps;
      collect(right, ctx, ctx.scope(), deps);
      // security = HTTPBearer(), manager = LoginManager(...), allow_admin = RoleChecker(["admin"])
      TSNode made = is(unparen(right), "call") ? field(unparen(right), "function") : TSNode{};
      bool scheme = !is_null(made) && (is_security_scheme(project_name(made, ctx, ctx.scope())) ||
                                       is_auth_name(last_component(std::string(ctx.text(made)))));
      if (deps.authenticates || scheme || !deps.names.empty())
        ctx.fact("auth.provider", left, {{"name", ctx.module() + "." + name},
                                         {"direct", deps.authenticates || scheme || is_auth_name(name)},
                                         {"deps", names_json(deps.names)}});
    } else if (is(left, "subscript") && ctx.text(field(left, "value")) == "REST_FRAMEWORK" &&
               constant_string(field(left, "subscript"), ctx) == "DEFAULT_PERMISSION_CLASSES") {
      drf_defaults(right, assign, ctx);
    }
  }

  static void drf_defaults(TSNode classes, TSNode at, Context& ctx) {
    for (const auto& c : constant_strings(classes, ctx))
      if (c.find("AllowAny") == std::string::npos) {
        ctx.fact("auth.global", at, {{"how", "DRF default permission classes"}, {"drf", true}});
        return;
      }
  }
};

class AuthorizationProject : public ProjectChecker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG201"}; }

  void check(const ProjectFacts& facts, ProjectContext& ctx) const override {
    bool app_wide = false, drf_default = false;
    for (const Fact* g : facts.of_kind("auth.global")) (g->data.value("drf", false) ? drf_default : app_wide) = true;
    auto providers = authenticating_providers(facts);
    auto authenticates = [&](const nlohmann::json& deps) {
      for (const auto& d : deps)
        if (providers.count(d.get<std::string>())) return true;
      return false;
    };
    auto routers = protected_routers(facts, authenticates);
    for (const Fact* r : facts.of_kind("auth.route")) {
      const auto& d = r->data;
      if (d["protected"].get<bool>() || d["public"].get<bool>()) continue;
      if (!d["state_changing"].get<bool>() && !d["id_param"].get<bool>()) continue;
      std::string router = d["router"];
      if (router == "drf" ? drf_default : (app_wide || routers.count(router) || authenticates(d["deps"]))) continue;
      std::string method = d["method"];
      std::transform(method.begin(), method.end(), method.begin(), ::toupper);
      std::string path = d["path"];
      ctx.report("VG201", *r,
                 "`" + d["function"].get<std::string>() + "` (" + method + (path.empty() ? "" : " " + path) +
                     ") has no authentication: nothing in its signature, decorators, router, app or include_router "
                     "authenticates the caller; add one (`Depends(get_current_user)`, `@login_required`, DRF "
                     "`permission_classes`) or list the route in [rules.VG201] public-routes");
    }
  }

 private:
  // Providers that authenticate: directly, or through a dependency that does.
  static std::set<std::string> authenticating_providers(const ProjectFacts& facts) {
    std::map<std::string, std::vector<std::string>> depends_on;
    std::set<std::string> out;
    for (const Fact* p : facts.of_kind("auth.provider")) {
      std::string name = p->data["name"];
      if (p->data["direct"].get<bool>()) out.insert(name);
      for (const auto& d : p->data["deps"]) depends_on[name].push_back(d);
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& [name, deps] : depends_on)
        if (!out.count(name) && std::any_of(deps.begin(), deps.end(), [&](const auto& d) { return out.count(d); }))
          changed = out.insert(name).second;
    }
    return out;
  }

  // Routers protected by their own dependencies or hooks, by the include that
  // adds them, or by the (protected) router they are included into.
  template <typename Authenticates>
  static std::set<std::string> protected_routers(const ProjectFacts& facts, const Authenticates& authenticates) {
    std::set<std::string> out;
    for (const Fact* f : facts.of_kind("auth.router"))
      if (f->data["protected"].get<bool>() || authenticates(f->data["deps"])) out.insert(f->data["router"]);
    std::vector<std::pair<std::string, std::string>> edges;  // into -> router
    for (const Fact* f : facts.of_kind("auth.include")) {
      if (f->data["protected"].get<bool>() || authenticates(f->data["deps"])) out.insert(f->data["router"]);
      edges.emplace_back(f->data["into"], f->data["router"]);
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& [into, router] : edges)
        if (out.count(into) && !out.count(router)) changed = out.insert(router).second;
    }
    return out;
  }
};

// ---------------------------------------------------------------- VG202

class MissingOwnershipCheck : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG202"}; }
  std::vector<std::string> node_kinds() const override { return {"function_definition"}; }

  void check(TSNode fn, Context& ctx) const override {
    if (is_test_file(ctx.file().path())) return;
    auto routes = routes_of(fn, ctx);
    if (routes.empty()) return;
    Dependencies deps;
    TSNode user = auth_parameter(fn, ctx, deps);
    if (is_null(user) || is_admin_dependency(deps)) return;
    std::string user_name = parameter_name(user, ctx);
    std::string owner = owner_parameter(routes[0].path);
    if (owner.empty()) return;
    int inner = ctx.model().scope_of_node(fn, -1);
    if (inner < 0 || !writes(inner, ctx) || checks_owner(fn, owner, user_name, ctx)) return;
    bool user_id = words_of(owner).front() == "user";
    ctx.report("VG202", field(fn, "name"),
               "`" + std::string(ctx.text(field(fn, "name"))) + "` changes the resource of `" + owner +
                   "` without checking it against `" + user_name + "` (or an admin role): any logged-in user can "
                   "change anyone's; " +
                   (user_id ? "compare `" + owner + "` with the current user's id first"
                            : "check that the current user owns it (`x.owner_id == " + user_name + ".id`) first"));
  }

 private:
  // get_current_admin_user, get_current_active_superuser: only admins get here.
  static bool is_admin_dependency(const Dependencies& deps) {
    auto words = words_of(deps.shown);
    return has(words, {"admin", "superuser", "staff"});
  }

  // A path parameter naming another user's resource (user_id, owner_id,
  // account_id...), unless the route acts on that user rather than changing
  // their data (/users/{user_id}/follow).
  static std::string owner_parameter(const std::string& path) {
    std::string owner;
    for (const auto& p : path_parameters(path)) {
      auto words = words_of(p);
      if (words.size() >= 2 && words.back() == "id" &&
          has({words[words.size() - 2]}, {"user", "owner", "account", "member", "profile", "author"}))
        owner = p;
    }
    auto segments = static_segments(path);
    if (!segments.empty() && has(words_of(segments.back()), {"follow", "unfollow", "like", "block", "unblock", "report",
                                                             "message", "messages", "invite", "friend"}))
      return {};
    return owner;
  }

  static bool writes(int scope, const Context& ctx) {
    static const std::unordered_set<std::string_view> kWrites = {"commit", "save", "delete", "update", "add",
                                                                 "remove", "put", "flush", "write", "update_one",
                                                                 "delete_one", "replace_one", "execute"};
    for (const auto& [name, uses] : ctx.model().scope(scope).uses)
      for (const Use& u : uses) {
        if (!is(u.parent, "attribute") || !kWrites.count(ctx.text(field(u.parent, "attribute")))) continue;
        if (ctx.text(field(u.parent, "attribute")) != "execute") return true;
        // execute(select(...)) reads; execute(update(...)) / "UPDATE ..." writes.
        TSNode call = parent_of(u.parent);
        std::string statement = lower(is(call, "call") ? ctx.text(positional_arg(call, 0)) : std::string_view{});
        for (const char* verb : {"update", "delete", "insert"})
          if (statement.find(verb) != std::string::npos) return true;
      }
    return false;
  }

  // Does `node` contain the identifier `name` (current_user in `current_user.id`, `user["id"]`)?
  static bool mentions(TSNode node, const std::string& name, const Context& ctx) {
    if (is(node, "identifier")) return ctx.text(node) == name;
    for (TSNode c : children(node))
      if (mentions(c, name, ctx)) return true;
    return false;
  }

  // An ownership check: the owner id, or a loaded resource's owner, compared
  // with the current user (either order, also inside a query filter:
  // `Account.owner_id == current_user.id`, `filter_by(owner_id=current_user.id)`),
  // or an admin-role check.
  static bool checks_owner(TSNode fn, const std::string& owner, const std::string& user, const Context& ctx) {
    int inner = ctx.model().scope_of_node(fn, -1);
    for (const Use& u : ctx.model().uses(owner, inner)) {
      if (is(u.parent, "comparison_operator") && mentions(u.parent, user, ctx)) return true;
      if (is(u.parent, "argument_list") && mentions(u.parent, user, ctx)) return true;  // can_edit(current_user, user_id)
    }
    for (const Use& u : ctx.model().uses(user, inner)) {
      TSNode n = u.node;
      for (int i = 0; i < 4 && !is_null(n); ++i, n = parent_of(n)) {
        if (is(n, "comparison_operator")) return true;
        if (is(n, "keyword_argument") && has(words_of(ctx.text(field(n, "name"))), {"owner", "user", "author"}))
          return true;
      }
      if (is(u.parent, "attribute")) {
        std::string_view attr = ctx.text(field(u.parent, "attribute"));
        if (attr == "role" || attr == "roles" || attr == "is_admin" || attr == "is_superuser" || attr == "is_staff")
          return true;
      }
    }
    return false;
  }
};

}  // namespace

VIGIL_REGISTER_PYTHON_CHECKER(AuthorizationFacts);
VIGIL_REGISTER_PROJECT_CHECKER(AuthorizationProject);
VIGIL_REGISTER_PYTHON_CHECKER(MissingOwnershipCheck);

}  // namespace vigil::python
