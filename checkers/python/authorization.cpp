// Family 2, authorisation: VG201 endpoint-missing-authentication (a project
// rule: routers are protected where they are included), VG202
// missing-ownership-check.
//
// Facts: auth.route (a route, whether its signature or decorators
// authenticate, its router), auth.router (a router or blueprint protected as
// a whole), auth.include (include_router(..., dependencies=[auth])),
// auth.global (an app, or DRF's default permissions, protecting everything).
#include <algorithm>
#include <unordered_set>

#include "checkers/python/common.h"
#include "checkers/python/sources.h"

namespace vigil::python {
namespace {

const std::unordered_set<std::string_view> kRouteMethods = {"get", "post", "put", "patch", "delete", "route",
                                                            "api_route"};
const std::unordered_set<std::string_view> kStateChanging = {"post", "put", "patch", "delete"};

// Does a dependency (or decorator) name say it authenticates or authorises?
bool is_auth_name(std::string_view name) {
  for (const auto& w : words_of(name))
    for (const char* s : {"auth", "authenticate", "authenticated", "authorize", "authorise", "current", "login",
                          "token", "jwt", "verify", "require", "requires", "required", "permission", "permissions",
                          "role", "roles", "admin", "apikey", "oauth2", "scope", "scopes", "principal", "authentication",
                          "staff", "superuser", "identity", "guard"})
      if (w == s) return true;
  return false;
}

// Depends(get_current_user), Security(...), Annotated[User, Depends(...)], or a
// type alias of one: the auth dependency's name, or "".
std::string auth_dependency(TSNode expr, const Context& ctx, int scope, int depth = 0) {
  expr = unparen(expr);
  if (is_null(expr) || depth > 6) return {};
  if (is(expr, "call")) {
    auto q = ctx.model().qualified_name(field(expr, "function"), scope);
    if (q && (*q == "fastapi.Depends" || *q == "fastapi.Security" || *q == "fastapi.params.Depends")) {
      TSNode dep = positional_arg(expr, 0);
      std::string name(ctx.text(is(unparen(dep), "call") ? field(unparen(dep), "function") : dep));
      return is_auth_name(name) ? name : std::string();
    }
  }
  if (is(expr, "identifier")) {  // CurrentUser = Annotated[User, Depends(get_current_user)]
    auto defs = ctx.model().reaching_defs(ctx.text(expr), scope, expr);
    if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign)
      return auth_dependency(defs[0]->value, ctx, defs[0]->scope, depth + 1);
    return {};
  }
  for (TSNode c : children(expr))
    if (std::string s = auth_dependency(c, ctx, scope, depth + 1); !s.empty()) return s;
  return {};
}

// Route paths that are public by design (configurable: [rules.VG201] public-routes).
bool is_public_path(const std::string& path, const Context& ctx) {
  const auto& configured = ctx.option("VG201", "public-routes");
  if (configured.is_array())
    for (const auto& p : configured)
      if (p.is_string() && path.starts_with(p.get<std::string>())) return true;
  for (const auto& w : words_of(path))
    for (const char* s : {"login", "logout", "signin", "signup", "register", "token", "health", "healthz", "ready",
                          "readiness", "liveness", "live", "docs", "openapi", "redoc", "forgot", "reset", "callback",
                          "webhook", "webhooks", "public", "ping", "status", "verify", "confirm"})
      if (w == s) return true;
  return false;
}

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

struct RouteInfo {
  TSNode decorator{};
  std::string method, path, router;  // router: "module.var" of the decorated object
  bool protected_locally = false;
};

// The route decorators of a function (FastAPI/Starlette/Flask).
std::vector<RouteInfo> routes_of(TSNode function, const Context& ctx) {
  std::vector<RouteInfo> out;
  TSNode parent = ts_node_parent(function);
  if (!is(parent, "decorated_definition")) return out;
  bool decorated_auth = false;
  for (TSNode d : children(parent)) {
    if (!is(d, "decorator")) continue;
    TSNode expr = named_count(d) ? named_child(d, 0) : TSNode{};
    TSNode fn = is(expr, "call") ? field(expr, "function") : expr;
    std::string text(ctx.text(fn));
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
      TSNode object = unparen(field(fn, "object"));
      if (is(object, "identifier")) r.router = ctx.module() + "." + std::string(ctx.text(object));
      for (TSNode dep : children(keyword_arg(expr, "dependencies", ctx)))
        if (!auth_dependency(dep, ctx, ctx.scope()).empty()) r.protected_locally = true;
      out.push_back(r);
    } else if (is_auth_name(text)) {
      decorated_auth = true;  // @login_required, @require_role(...), @jwt_required()
    }
  }
  for (auto& r : out) r.protected_locally = r.protected_locally || decorated_auth;
  return out;
}

// The parameter that carries the authenticated user, or a null node.
TSNode auth_parameter(TSNode function, const Context& ctx, std::string& dependency) {
  int inner = ctx.model().scope_of_node(function, -1);
  int outer = inner >= 0 ? ctx.model().scope(inner).parent : ctx.scope();
  for (TSNode p : children(field(function, "parameters"))) {
    TSNode default_value = is(p, "default_parameter") || is(p, "typed_default_parameter") ? field(p, "value") : TSNode{};
    TSNode type = is(p, "typed_parameter") || is(p, "typed_default_parameter") ? field(p, "type") : TSNode{};
    std::string dep = auth_dependency(default_value, ctx, outer);
    if (dep.empty()) dep = auth_dependency(type, ctx, outer);
    if (!dep.empty()) {
      dependency = dep;
      return p;
    }
  }
  return TSNode{};
}

std::string parameter_name(TSNode p, const Context& ctx) {
  if (is(p, "identifier")) return std::string(ctx.text(p));
  if (is(p, "typed_parameter")) return std::string(ctx.text(named_child(p, 0)));
  return std::string(ctx.text(field(p, "name")));
}

// ---------------------------------------------------------------- facts

class AuthorizationFacts : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG201"}; }
  std::vector<std::string> node_kinds() const override {
    return {"function_definition", "call", "class_definition", "assignment"};
  }

  void check(TSNode node, Context& ctx) const override {
    if (is(node, "function_definition")) return on_function(node, ctx);
    if (is(node, "class_definition")) return on_class(node, ctx);
    if (is(node, "assignment")) return on_settings(node, ctx);
    on_call(node, ctx);
  }

 private:
  static void on_function(TSNode fn, Context& ctx) {
    before_request(fn, ctx);
    auto routes = routes_of(fn, ctx);
    if (routes.empty()) return;
    std::string dependency;
    bool signature = !is_null(auth_parameter(fn, ctx, dependency));
    std::string name(ctx.text(field(fn, "name")));
    for (const auto& r : routes) {
      bool id_param = false;
      for (const auto& p : path_parameters(r.path)) id_param = id_param || is_id_parameter(p);
      ctx.fact("auth.route", r.decorator,
               {{"function", name}, {"method", r.method}, {"path", r.path}, {"router", r.router},
                {"protected", r.protected_locally || signature}, {"public", is_public_path(r.path, ctx)},
                {"state_changing", kStateChanging.count(r.method) > 0}, {"id_param", id_param}});
    }
  }

  // Flask: @bp.before_request on a function that checks the login protects the blueprint.
  static void before_request(TSNode fn, Context& ctx) {
    TSNode parent = ts_node_parent(fn);
    if (!is(parent, "decorated_definition")) return;
    std::string name(ctx.text(field(fn, "name")));
    for (TSNode d : children(parent)) {
      TSNode expr = is(d, "decorator") && named_count(d) ? named_child(d, 0) : TSNode{};
      if (is(expr, "call")) expr = field(expr, "function");
      if (!is(expr, "attribute") || ctx.text(field(expr, "attribute")) != "before_request") continue;
      std::string body(ctx.text(field(fn, "body")));
      if (is_auth_name(name) || is_auth_name(body)) {
        TSNode object = unparen(field(expr, "object"));
        ctx.fact("auth.router", d, {{"router", ctx.module() + "." + std::string(ctx.text(object))}});
      }
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
    bool deps = false;
    for (TSNode dep : children(keyword_arg(call, "dependencies", ctx)))
      deps = deps || !auth_dependency(dep, ctx, ctx.scope()).empty();
    if (!deps) return;
    if (q && (*q == "fastapi.APIRouter" || *q == "fastapi.routing.APIRouter")) {
      TSNode parent = ts_node_parent(call);
      if (is(parent, "assignment") && is(field(parent, "left"), "identifier"))
        ctx.fact("auth.router", call, {{"router", ctx.module() + "." + std::string(ctx.text(field(parent, "left")))}});
    } else if (q && (*q == "fastapi.FastAPI" || *q == "starlette.applications.Starlette")) {
      ctx.fact("auth.global", call, {{"how", "app dependencies"}});
    } else if (m == "include_router") {
      TSNode router = positional_arg(call, 0);
      auto rq = ctx.model().qualified_name(router, ctx.scope());
      std::string key = rq ? (rq->starts_with("__local__.") ? ctx.module() + "." + rq->substr(10) : *rq)
                           : ctx.module() + "." + std::string(ctx.text(router));
      ctx.fact("auth.include", call, {{"router", key}});
    }
  }

  // A DRF view or viewset action's HTTP method.
  static std::string http_method(std::string_view action) {
    if (action == "create") return "post";
    if (action == "update") return "put";
    if (action == "partial_update") return "patch";
    if (action == "destroy") return "delete";
    return std::string(action);
  }

  // DRF class views: state-changing methods without permission_classes.
  static void on_class(TSNode cls, Context& ctx) {
    bool view = false;
    for (TSNode base : children(field(cls, "superclasses"))) {
      auto q = ctx.model().qualified_name(base, ctx.scope());
      view = view || (q && q->starts_with("rest_framework.") &&
                      (q->ends_with("APIView") || q->ends_with("ViewSet") || q->ends_with("GenericAPIView") ||
                       q->find("generics.") != std::string::npos));
    }
    if (!view) return;
    bool permissions = false, allow_any = false;
    std::vector<TSNode> methods;
    for (TSNode stmt : children(field(cls, "body"))) {
      TSNode s = is(stmt, "expression_statement") && named_count(stmt) ? named_child(stmt, 0) : stmt;
      if (is(s, "assignment") && ctx.text(field(s, "left")) == "permission_classes") {
        permissions = true;
        allow_any = ctx.text(field(s, "right")).find("AllowAny") != std::string_view::npos;
      }
      TSNode def = is(s, "decorated_definition") ? field(s, "definition") : s;
      if (is(def, "function_definition")) {
        std::string name(ctx.text(field(def, "name")));
        if (name == "post" || name == "put" || name == "patch" || name == "delete" || name == "create" ||
            name == "update" || name == "partial_update" || name == "destroy")
          methods.push_back(def);
      }
    }
    for (TSNode def : methods)
      ctx.fact("auth.route", field(def, "name"),
               {{"function", std::string(ctx.text(field(cls, "name"))) + "." + std::string(ctx.text(field(def, "name")))},
                {"method", http_method(ctx.text(field(def, "name")))}, {"path", ""}, {"router", "drf"},
                {"protected", permissions && !allow_any}, {"public", allow_any}, {"state_changing", true},
                {"id_param", false}});
  }

  // REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": [...IsAuthenticated]}
  static void on_settings(TSNode assign, Context& ctx) {
    if (ctx.scope() != 0 || ctx.text(field(assign, "left")) != "REST_FRAMEWORK") return;
    TSNode defaults = dict_value(dict_literal(field(assign, "right"), ctx), "DEFAULT_PERMISSION_CLASSES", ctx);
    for (const auto& c : constant_strings(defaults, ctx))
      if (c.find("AllowAny") == std::string::npos) {
        ctx.fact("auth.global", assign, {{"how", "DRF default permission classes"}, {"drf", true}});
        return;
      }
  }
};

class AuthorizationProject : public ProjectChecker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG201"}; }

  void check(const ProjectFacts& facts, ProjectContext& ctx) const override {
    bool app_wide = false, drf_default = false;
    for (const Fact* g : facts.of_kind("auth.global")) {
      if (g->data.value("drf", false)) drf_default = true;
      else app_wide = true;
    }
    std::vector<std::string> protected_routers;
    for (const char* kind : {"auth.router", "auth.include"})
      for (const Fact* f : facts.of_kind(kind)) protected_routers.push_back(f->data["router"]);
    auto router_protected = [&](const std::string& router) {
      for (const auto& p : protected_routers)
        if (p == router || p.ends_with("." + router) || router.ends_with("." + p)) return true;
      return false;
    };
    for (const Fact* r : facts.of_kind("auth.route")) {
      if (r->data["protected"].get<bool>() || r->data["public"].get<bool>()) continue;
      if (!r->data["state_changing"].get<bool>() && !r->data["id_param"].get<bool>()) continue;
      std::string router = r->data["router"];
      if (router == "drf" ? drf_default : (app_wide || router_protected(router))) continue;
      std::string method = r->data["method"];
      std::transform(method.begin(), method.end(), method.begin(), ::toupper);
      std::string path = r->data["path"];
      ctx.report("VG201", *r,
                 "`" + r->data["function"].get<std::string>() + "` (" + method + (path.empty() ? "" : " " + path) +
                     ") has no authentication: nothing in its signature, decorators, router, app or include_router "
                     "authenticates the caller; add one (`Depends(get_current_user)`, `@login_required`, DRF "
                     "`permission_classes`) or list the route in [rules.VG201] public-routes");
    }
  }
};

// ---------------------------------------------------------------- VG202

class MissingOwnershipCheck : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG202"}; }
  std::vector<std::string> node_kinds() const override { return {"function_definition"}; }

  void check(TSNode fn, Context& ctx) const override {
    auto routes = routes_of(fn, ctx);
    if (routes.empty()) return;
    std::string dependency;
    TSNode user = auth_parameter(fn, ctx, dependency);
    if (is_null(user)) return;
    std::string user_name = parameter_name(user, ctx);
    // A path parameter naming another user's resource: user_id, owner_id, account_id...
    std::string owner;
    for (const auto& p : path_parameters(routes[0].path)) {
      auto words = words_of(p);
      if (words.size() >= 2 && words.back() == "id")
        for (const char* w : {"user", "owner", "account", "member", "customer", "profile", "author"})
          if (words[words.size() - 2] == w) owner = p;
    }
    if (owner.empty()) return;
    int inner = ctx.model().scope_of_node(fn, -1);
    if (inner < 0 || !writes(inner, ctx) || compares(fn, owner, user_name, ctx)) return;
    ctx.report("VG202", field(fn, "name"),
               "`" + std::string(ctx.text(field(fn, "name"))) + "` changes the resource of `" + owner +
                   "` without checking it against `" + user_name + "` (or an admin role): any logged-in user can "
                   "change anyone's; compare `" + owner + "` with the current user's id first");
  }

 private:
  static bool writes(int scope, const Context& ctx) {
    static const std::unordered_set<std::string_view> kWrites = {"commit", "save", "delete", "update", "add",
                                                                 "execute", "remove", "put", "flush", "write",
                                                                 "update_one", "delete_one", "replace_one"};
    for (const auto& [name, uses] : ctx.model().scope(scope).uses)
      for (const Use& u : uses)
        if (is(u.parent, "attribute") && kWrites.count(ctx.text(field(u.parent, "attribute")))) return true;
    return false;
  }

  // Does `node` contain the identifier `name` (current_user in `current_user.id`, `user["id"]`)?
  static bool mentions(TSNode node, const std::string& name, const Context& ctx) {
    if (is(node, "identifier")) return ctx.text(node) == name;
    for (TSNode c : children(node))
      if (mentions(c, name, ctx)) return true;
    return false;
  }

  // A comparison of the owner id with the user (either order), or an admin-role check.
  static bool compares(TSNode fn, const std::string& owner, const std::string& user, const Context& ctx) {
    int inner = ctx.model().scope_of_node(fn, -1);
    for (const Use& u : ctx.model().uses(owner, inner))
      if (is(u.parent, "comparison_operator") && mentions(u.parent, user, ctx)) return true;
    for (const Use& u : ctx.model().uses(user, inner))
      if (is(u.parent, "attribute")) {
        std::string_view attr = ctx.text(field(u.parent, "attribute"));
        if (attr == "role" || attr == "roles" || attr == "is_admin" || attr == "is_superuser" || attr == "is_staff")
          return true;
      }
    return false;
  }
};

}  // namespace

VIGIL_REGISTER_PYTHON_CHECKER(AuthorizationFacts);
VIGIL_REGISTER_PROJECT_CHECKER(AuthorizationProject);
VIGIL_REGISTER_PYTHON_CHECKER(MissingOwnershipCheck);

}  // namespace vigil::python
