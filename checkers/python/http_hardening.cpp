// Family 5, HTTP hardening: VG501 missing-security-headers, VG502
// missing-rate-limiting (project rules), VG503 permissive-cors, VG506
// legacy-xss-protection-header (per file).
//
// Facts for the project phase:
//   web.app        a FastAPI / Starlette / Flask app created, or a Django settings module
//   web.header     a response header set (by hand, by middleware settings, by Talisman/secure)
//   web.route      a route declared, with its path
//   web.ratelimit  evidence of rate limiting (a limiter package, middleware, decorator)
#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "checkers/python/common.h"

namespace vigil::python {
namespace {

// The headers VG501 requires (X-Frame-Options may be replaced by CSP frame-ancestors).
constexpr std::string_view kRequiredHeaders[] = {"x-content-type-options", "x-frame-options",
                                                 "strict-transport-security", "content-security-policy",
                                                 "referrer-policy"};
const std::unordered_set<std::string_view> kKnownHeaders = {
    "x-content-type-options", "x-frame-options", "strict-transport-security", "content-security-policy",
    "referrer-policy", "x-xss-protection", "access-control-allow-origin", "permissions-policy"};

const std::unordered_set<std::string_view> kAppClasses = {
    "fastapi.FastAPI", "fastapi.applications.FastAPI", "starlette.applications.Starlette", "flask.Flask",
    "flask.app.Flask"};

const std::unordered_set<std::string_view> kCorsMiddleware = {"fastapi.middleware.cors.CORSMiddleware",
                                                              "starlette.middleware.cors.CORSMiddleware"};

// Packages whose import means requests are rate limited somewhere.
constexpr std::string_view kRateLimitPackages[] = {"slowapi", "fastapi_limiter", "flask_limiter",
                                                   "django_ratelimit", "ratelimit", "limits", "axes",
                                                   "starlette_limiter", "fastapi_throttle"};

const std::unordered_set<std::string_view> kRouteMethods = {"get", "post", "put", "patch", "delete", "route",
                                                            "api_route", "add_url_rule", "add_api_route"};

// The security header a constant expression names (lower case), or "".
std::string header_name(TSNode expr, const Context& ctx) {
  auto text = constant_string(expr, ctx);
  if (!text) return {};
  std::string h = lower(*text);
  return kKnownHeaders.count(h) ? h : std::string();
}

// ---------------------------------------------------------------- facts + per-file rules

class HttpHardening : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG501", "VG502", "VG503", "VG506"}; }
  std::vector<std::string> node_kinds() const override {
    return {"call", "assignment", "augmented_assignment", "pair", "tuple", "decorator", "import_statement",
            "import_from_statement"};
  }

  void check(TSNode node, Context& ctx) const override {
    std::string_view k = kind(node);
    if (k == "call") return on_call(node, ctx);
    if (k == "assignment") return on_assignment(node, ctx);
    if (k == "augmented_assignment") {  // Django split settings: MIDDLEWARE += [...]
      if (ctx.scope() == 0 && ctx.text(field(node, "left")) == "MIDDLEWARE")
        django_middleware(node, field(node, "right"), false, ctx);
      return;
    }
    if (k == "pair") return on_header_pair(field(node, "key"), field(node, "value"), node, ctx);
    if (k == "tuple") {
      auto items = children(node);
      if (items.size() == 2) on_header_pair(items[0], items[1], node, ctx);
      return;
    }
    if (k == "decorator") return on_decorator(node, ctx);
    on_import(node, ctx);
  }

 private:
  // ---- headers set by hand: x.headers["Name"] = v, {"Name": v}, (b"name", b"v"), headers.set(...)
  static void header_set(const std::string& name, TSNode value, TSNode at, Context& ctx) {
    auto literal = constant_string(value, ctx);
    // Tests list the headers they expect; that does not set them.
    if (!is_test_file(ctx.file().path())) ctx.fact("web.header", at, {{"name", name}, {"value", literal.value_or("")}});
    if (name == "x-xss-protection" && literal && !literal->starts_with("0")) {
      std::string message = "`X-XSS-Protection: " + *literal +
                            "` turns on the browsers' XSS auditor, removed from modern browsers and a source of "
                            "cross-site leaks in old ones; send `0` (or nothing) and rely on Content-Security-Policy";
      // Fix: the literal's value becomes "0", in the same quotes and prefix.
      std::string text(ctx.text(value));
      size_t q = text.find_first_of("\"'");
      bool simple = is(unparen(value), "string") && q != std::string::npos && text.compare(q, 3, std::string(3, text[q])) != 0;
      if (simple)
        ctx.report_with_fix("VG506", at, message, unparen(value), text.substr(0, q + 1) + "0" + text[q],
                            "send `X-XSS-Protection: 0`");
      else
        ctx.report("VG506", at, message);
    }
    if (name == "access-control-allow-origin") check_manual_cors(value, literal, at, ctx);
  }

  static void check_manual_cors(TSNode value, const std::optional<std::string>& literal, TSNode at, Context& ctx) {
    if (literal && *literal == "*") {
      ctx.report("VG503", at, "`Access-Control-Allow-Origin: *` lets every site read these responses");
      return;
    }
    // Reflecting the request's Origin is "*" that also works with credentials.
    std::string text = lower(ctx.text(value));
    if (!literal && text.find("origin") != std::string::npos && text.find("headers") != std::string::npos &&
        !guarded_by_origin_check(at, ctx))
      ctx.report("VG503", at,
                 "the request's `Origin` is reflected into Access-Control-Allow-Origin: every site is trusted",
                 Severity::critical);
  }

  // `if origin in ALLOWED_ORIGINS: ...headers["Access-Control-Allow-Origin"] = origin`
  static bool guarded_by_origin_check(TSNode at, const Context& ctx) {
    TSNode n = parent_of(at);
    for (int depth = 0; depth < 8 && !is_null(n); ++depth, n = parent_of(n))
      if ((is(n, "if_statement") || is(n, "elif_clause")) &&
          lower(ctx.text(field(n, "condition"))).find("origin") != std::string::npos)
        return true;
    return false;
  }

  static void on_header_pair(TSNode key, TSNode value, TSNode at, Context& ctx) {
    if (std::string name = header_name(key, ctx); !name.empty()) header_set(name, value, at, ctx);
  }

  static void on_assignment(TSNode assign, Context& ctx) {
    TSNode target = field(assign, "left"), value = field(assign, "right");
    if (is(target, "subscript")) {
      if (std::string name = header_name(field(target, "subscript"), ctx); !name.empty())
        header_set(name, value, assign, ctx);
      return;
    }
    if (!is(target, "identifier") || ctx.scope() != 0) return;
    std::string_view name = ctx.text(target);
    if (name == "MIDDLEWARE") return django_middleware(assign, value, true, ctx);
    if (name == "SECURE_HSTS_SECONDS") {  // in whatever settings module
      if (auto hsts = ctx.model().number(value, 0); hsts && *hsts > 0)
        ctx.fact("web.header", assign, {{"name", "strict-transport-security"}, {"value", "max-age"}});
      return;
    }
    if (name == "CORS_ALLOW_ALL_ORIGINS" || name == "CORS_ORIGIN_ALLOW_ALL") {
      if (constant_bool(value, ctx) == true)
        report_cors(assign, "`" + std::string(name) + " = True`", module_flag(ctx, "CORS_ALLOW_CREDENTIALS"), ctx);
    } else if (name == "CORS_ALLOWED_ORIGIN_REGEXES" || name == "CORS_ORIGIN_REGEX_WHITELIST") {
      for (TSNode item : children(unparen(value)))
        if (auto re = constant_string(item, ctx); re && matches_everything(*re))
          report_cors(assign, "an origin regex that matches every origin", module_flag(ctx, "CORS_ALLOW_CREDENTIALS"), ctx);
    } else if (name == "SECURE_BROWSER_XSS_FILTER" && constant_bool(value, ctx) == true) {
      ctx.report("VG506", assign,
                 "`SECURE_BROWSER_XSS_FILTER = True` sends `X-XSS-Protection: 1; mode=block`, which modern guidance "
                 "replaces with `0` and a Content-Security-Policy");
    } else if (name == "REST_FRAMEWORK") {
      for (TSNode pair : children(unparen(value)))
        if (is(pair, "pair") && constant_string(field(pair, "key"), ctx).value_or("").starts_with("DEFAULT_THROTTLE"))
          ctx.fact("web.ratelimit", pair, {{"how", "DRF throttling"}});
    }
  }

  // A module-level `NAME = True` of this file (Django settings).
  static bool module_flag(const Context& ctx, std::string_view name) {
    const auto& names = ctx.model().scope(0).names;
    auto it = names.find(std::string(name));
    if (it == names.end() || it->second.empty()) return false;
    const Def& d = it->second.back();
    return d.kind == Def::Kind::assign && is(unparen(d.value), "true");
  }

  // Django settings: the module that defines MIDDLEWARE is the "app"; the
  // middleware sets headers (HSTS needs SECURE_HSTS_SECONDS, in any module).
  static void django_middleware(TSNode assign, TSNode value, bool defines, Context& ctx) {
    std::vector<std::string> entries = constant_strings(value, ctx);
    if (entries.empty()) return;
    if (defines && !is_test_file(ctx.file().path())) ctx.fact("web.app", assign, {{"framework", "django"}});
    auto has = [&](std::string_view m) { return std::find(entries.begin(), entries.end(), m) != entries.end(); };
    auto header = [&](const char* name, std::string value) {
      ctx.fact("web.header", assign, {{"name", name}, {"value", std::move(value)}});
    };
    if (has("django.middleware.security.SecurityMiddleware")) {
      const auto& names = ctx.model().scope(0).names;
      bool nosniff_off = names.count("SECURE_CONTENT_TYPE_NOSNIFF") &&
                         is(unparen(names.at("SECURE_CONTENT_TYPE_NOSNIFF").back().value), "false");
      bool referrer_off = names.count("SECURE_REFERRER_POLICY") &&
                          is(unparen(names.at("SECURE_REFERRER_POLICY").back().value), "none");
      if (!nosniff_off) header("x-content-type-options", "nosniff");
      if (!referrer_off) header("referrer-policy", "same-origin");
    }
    if (has("django.middleware.clickjacking.XFrameOptionsMiddleware")) header("x-frame-options", "DENY");
    if (has("csp.middleware.CSPMiddleware") || has("django.middleware.csp.ContentSecurityPolicyMiddleware"))
      header("content-security-policy", "");
    for (const auto& e : entries)
      if (is_rate_limit_name(e) || e.starts_with("axes.")) ctx.fact("web.ratelimit", assign, {{"how", e}});
  }

  static void on_call(TSNode call, Context& ctx) {
    auto q = callee(call, ctx);
    std::string_view m = method_name(call, ctx);
    // headers.setdefault("X-Frame-Options", "DENY"), response.set_header(...)
    if (m == "setdefault" || m == "set" || m == "add" || m == "append" || m == "add_header" || m == "set_header" ||
        m == "__setitem__") {
      if (std::string name = header_name(positional_arg(call, 0), ctx); !name.empty())
        header_set(name, positional_arg(call, 1), call, ctx);
    }
    if (q && kAppClasses.count(*q)) {
      std::string framework = q->starts_with("flask") ? "flask" : q->starts_with("fastapi") ? "fastapi" : "starlette";
      if (!is_test_file(ctx.file().path())) ctx.fact("web.app", call, {{"framework", framework}});
      return;
    }
    if (q && is_rate_limit_name(last_component(*q))) ctx.fact("web.ratelimit", call, {{"how", *q}});
    if (m == "add_middleware" || (q && last_component(*q) == "Middleware")) return on_middleware(call, ctx);
    if (q && (*q == "flask_talisman.Talisman" || *q == "flask_talisman.talisman.Talisman")) return talisman(call, ctx);
    if (q && (*q == "secure.Secure" || *q == "secure.SecureHeaders" || *q == "secure.Secure.with_default_headers"))
      return all_headers(call, ctx, "secure");
    if (q && (*q == "flask_cors.CORS" || *q == "flask_cors.cross_origin")) return flask_cors(call, ctx);
    if (q && (*q == "django.urls.path" || *q == "django.urls.re_path" || *q == "django.conf.urls.url")) {
      if (auto path = constant_string(positional_arg(call, 0), ctx)) route(call, "/" + *path, ctx);
      return;
    }
    if (q && (*q == "starlette.routing.Route" || *q == "starlette.routing.Mount")) {
      if (auto path = constant_string(positional_arg(call, 0), ctx)) route(call, *path, ctx);
      return;
    }
    if (m == "add_url_rule" || m == "add_api_route")
      if (auto path = constant_string(positional_arg(call, 0), ctx)) route(call, *path, ctx);
  }

  static void all_headers(TSNode at, Context& ctx, const char* by) {
    for (std::string_view h : kRequiredHeaders)
      ctx.fact("web.header", at, {{"name", std::string(h)}, {"value", ""}, {"by", by}});
  }

  // Talisman sets every header VG501 requires unless told not to.
  static void talisman(TSNode call, Context& ctx) {
    for (std::string_view h : kRequiredHeaders) {
      if (h == "content-security-policy") {
        TSNode csp = keyword_arg(call, "content_security_policy", ctx);
        if (!is_null(csp) && (is(unparen(csp), "none") || constant_bool(csp, ctx) == false)) continue;
      }
      if (h == "strict-transport-security") {
        if (constant_bool(keyword_arg(call, "strict_transport_security", ctx), ctx) == false) continue;
        if (constant_bool(keyword_arg(call, "force_https", ctx), ctx) == false) continue;
      }
      ctx.fact("web.header", call, {{"name", std::string(h)}, {"value", ""}, {"by", "Talisman"}});
    }
  }

  // app.add_middleware(CORSMiddleware, ...), Middleware(CORSMiddleware, ...), rate limiters.
  static void on_middleware(TSNode call, Context& ctx) {
    TSNode cls = positional_arg(call, 0);
    if (is_null(cls)) return;
    auto q = ctx.model().qualified_name(cls, ctx.scope());
    std::string name = q ? last_component(*q) : std::string(ctx.text(cls));
    if (is_rate_limit_name(name)) ctx.fact("web.ratelimit", call, {{"how", name}});
    if (!q || !kCorsMiddleware.count(*q)) return;
    bool credentials = constant_bool(keyword_arg(call, "allow_credentials", ctx), ctx) == true;
    for (const auto& origin : constant_strings(keyword_arg(call, "allow_origins", ctx), ctx))
      if (origin == "*") return report_cors(call, "`allow_origins=[\"*\"]`", credentials, ctx);
    if (auto re = constant_string(keyword_arg(call, "allow_origin_regex", ctx), ctx); re && matches_everything(*re))
      report_cors(call, "`allow_origin_regex` matching every origin", credentials, ctx);
  }

  // flask_cors: origins default to "*".
  static void flask_cors(TSNode call, Context& ctx) {
    bool credentials = constant_bool(keyword_arg(call, "supports_credentials", ctx), ctx) == true;
    TSNode origins = keyword_arg(call, "origins", ctx);
    TSNode resources = keyword_arg(call, "resources", ctx);
    if (is_null(origins) && !is_null(resources)) {
      for (TSNode pair : children(unparen(resources))) {
        if (!is(pair, "pair")) continue;
        TSNode options = unparen(field(pair, "value"));
        for (TSNode opt : children(options))
          if (is(opt, "pair") && constant_string(field(opt, "key"), ctx) == std::string("origins") &&
              allows_all(field(opt, "value"), ctx))
            return report_cors(call, "`resources` with `origins: \"*\"`", credentials, ctx);
      }
      return;
    }
    // Origins may come from the app's config (CORS_ORIGINS) instead of arguments.
    bool configured = ctx.file().text().find("CORS_ORIGINS") != std::string::npos;
    if (is_null(origins) && !configured)
      return report_cors(call, "Flask-CORS defaults (`origins=\"*\"`)", credentials, ctx);
    if (is_null(origins)) return;
    if (allows_all(origins, ctx)) report_cors(call, "`origins=\"*\"`", credentials, ctx);
  }

  static bool allows_all(TSNode value, const Context& ctx) {
    for (const auto& origin : constant_strings(value, ctx))
      if (origin == "*") return true;
    return false;
  }

  static bool matches_everything(const std::string& re) {
    static const std::unordered_set<std::string> kAll = {".*", "^.*$", ".+", "^.+$", "(.*)", "https?://.*",
                                                         "^https?://.*$", "*"};
    return kAll.count(re) > 0;
  }

  static void report_cors(TSNode at, const std::string& what, bool credentials, Context& ctx) {
    if (credentials)
      ctx.report("VG503", at,
                 "CORS allows every origin (" + what +
                     ") together with credentials: any site can make authenticated requests and read the answers",
                 Severity::critical);
    else
      ctx.report("VG503", at, "CORS allows every origin (" + what + "); list the origins that may call this API");
  }

  // @app.post("/login"), @router.get(...), @bp.route("/reset", methods=[...]), @limiter.limit(...)
  static void on_decorator(TSNode decorator, Context& ctx) {
    TSNode expr = named_count(decorator) ? named_child(decorator, 0) : TSNode{};
    TSNode fn = is(expr, "call") ? field(expr, "function") : expr;
    std::string text(ctx.text(fn));
    if (is_rate_limit_name(text) || text.ends_with(".limit")) {
      ctx.fact("web.ratelimit", decorator, {{"how", text}});
      return;
    }
    if (!is(expr, "call") || !is(fn, "attribute") || !kRouteMethods.count(ctx.text(field(fn, "attribute")))) return;
    if (auto path = constant_string(positional_arg(expr, 0), ctx); path && path->starts_with("/"))
      route(decorator, *path, ctx);
  }

  static void route(TSNode at, const std::string& path, Context& ctx) {
    ctx.fact("web.route", at, {{"path", path}, {"auth", is_auth_route(path)}});
  }

  static void on_import(TSNode stmt, Context& ctx) {
    std::string text(ctx.text(is(stmt, "import_from_statement") ? field(stmt, "module_name") : stmt));
    for (std::string_view pkg : kRateLimitPackages) {
      size_t at = text.find(pkg);
      if (at == std::string::npos) continue;
      bool start_ok = at == 0 || text[at - 1] == ' ' || text[at - 1] == ',';
      bool end_ok = at + pkg.size() == text.size() || text[at + pkg.size()] == '.' || text[at + pkg.size()] == ' ' ||
                    text[at + pkg.size()] == ',';
      if (start_ok && end_ok) {
        ctx.fact("web.ratelimit", stmt, {{"how", std::string(pkg)}});
        return;
      }
    }
  }
};

// ---------------------------------------------------------------- project phase

std::string location(const Fact& f) {
  return f.anchor.path + ":" + std::to_string(f.anchor.region.start_line);
}

class HttpHardeningProject : public ProjectChecker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG501", "VG502"}; }

  void check(const ProjectFacts& facts, ProjectContext& ctx) const override {
    auto apps = facts.of_kind("web.app");
    if (apps.empty()) return;
    check_headers(facts, apps, ctx);
    check_rate_limits(facts, apps, ctx);
  }

 private:
  static void check_headers(const ProjectFacts& facts, const std::vector<const Fact*>& apps, ProjectContext& ctx) {
    std::unordered_set<std::string> set;
    for (const Fact* h : facts.of_kind("web.header")) {
      std::string name = h->data["name"];
      set.insert(name);
      std::string value = lower(h->data["value"].get<std::string>());
      if (name == "content-security-policy" && value.find("frame-ancestors") != std::string::npos)
        set.insert("x-frame-options");
    }
    std::string missing;
    for (std::string_view h : kRequiredHeaders)
      if (!set.count(std::string(h))) missing += (missing.empty() ? "" : ", ") + display(h);
    if (missing.empty()) return;
    for (const Fact* app : apps)
      ctx.report("VG501", *app,
                 "nothing in the project sets " + missing + " on this app's responses; " +
                     (app->data["framework"] == "cpp-httplib" || app->data["framework"] == "crow" || app->data["framework"] == "drogon"
                          ? std::string("set them on every response (cpp-httplib `set_default_headers`, a Crow "
                                        "middleware, a Drogon post-handling advice)")
                          : std::string("add a middleware that sets them (as the standard's SecurityHeadersMiddleware "
                                        "does) or use secure/Talisman/Django's SecurityMiddleware")));
  }

  static void check_rate_limits(const ProjectFacts& facts, const std::vector<const Fact*>& apps, ProjectContext& ctx) {
    if (!facts.of_kind("web.ratelimit").empty()) return;
    const Fact* auth_route = nullptr;
    for (const Fact* r : facts.of_kind("web.route"))
      if (r->data["auth"].get<bool>()) {
        auth_route = r;
        break;
      }
    if (!auth_route) return;
    for (const Fact* app : apps)
      ctx.report("VG502", *app,
                 "the project has authentication routes (`" + auth_route->data["path"].get<std::string>() + "` at " +
                     location(*auth_route) +
                     ") and nothing limits request rates; " +
                     (app->data["framework"] == "cpp-httplib" || app->data["framework"] == "crow" || app->data["framework"] == "drogon"
                          ? std::string("limit requests per client before routing")
                          : std::string("add a limiter (slowapi, fastapi-limiter, flask-limiter, django-ratelimit)")) +
                     " to stop password guessing");
  }

  static std::string display(std::string_view header) {
    std::string out(header);
    bool up = true;
    for (auto& c : out) {
      if (up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      up = c == '-';
    }
    return out;
  }

};

// ---------------------------------------------------------------- VG504

// Cookie settings that must not be off (Django and Flask configuration).
const std::unordered_set<std::string_view> kCookieFlags = {
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE",
    "REMEMBER_COOKIE_HTTPONLY", "JWT_COOKIE_SECURE"};

class InsecureCookie : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG504"}; }
  std::vector<std::string> node_kinds() const override { return {"call", "assignment"}; }

  void check(TSNode node, Context& ctx) const override {
    if (is_test_file(ctx.file().path())) return;  // tests use cheap costs, fixed keys, plain cookies on purpose
    if (is(node, "assignment")) {
      std::string name = name_of(field(node, "left"), ctx);
      if (kCookieFlags.count(name) && constant_bool(field(node, "right"), ctx) == false)
        ctx.report("VG504", node, "`" + name + " = False` sends the cookie without that protection");
      return;
    }
    if (method_name(node, ctx) != "set_cookie" || is_cookie_jar(node, ctx)) return;
    std::vector<std::string> missing;
    if (constant_bool(keyword_arg(node, "secure", ctx), ctx) != true) missing.push_back("secure=True");
    if (constant_bool(keyword_arg(node, "httponly", ctx), ctx) != true) missing.push_back("httponly=True");
    // Starlette (and FastAPI) responses default to SameSite=Lax; Flask and Django to none.
    auto response = ctx.model().qualified_name(receiver(node), ctx.scope());
    bool lax_default = response && (response->starts_with("fastapi.") || response->starts_with("starlette."));
    TSNode samesite = keyword_arg(node, "samesite", ctx);
    if ((is_null(samesite) && !lax_default) || is(unparen(samesite), "none"))
      missing.push_back("samesite=\"lax\" (or \"strict\")");
    if (missing.empty()) return;
    std::string list;
    for (size_t i = 0; i < missing.size(); ++i) list += (i ? ", " : "") + missing[i];
    ctx.report("VG504", node, "cookie set without " + list + ": it can be read by scripts, sent over plain HTTP or "
                              "with cross-site requests");
  }

 private:
  // A client's cookie jar (http.cookiejar, requests' session.cookies) stores a
  // Cookie object it received: `jar.set_cookie(cookie)`. Responses take a name
  // and a value.
  static bool is_cookie_jar(TSNode call, const Context& ctx) {
    auto q = ctx.model().qualified_name(receiver(call), ctx.scope());
    if (q && (q->starts_with("http.cookiejar.") || q->starts_with("requests.") || q->starts_with("httpx.")))
      return true;
    size_t positional = 0;
    for (TSNode a : children(field(call, "arguments"))) positional += is(a, "keyword_argument") ? 0 : 1;
    return positional == 1 && is_null(keyword_arg(call, "value", ctx)) && is_null(keyword_arg(call, "key", ctx)) &&
           is_null(keyword_arg(call, "max_age", ctx));
  }
};

// ---------------------------------------------------------------- VG505

const std::unordered_set<std::string_view> kHttpClients = {
    "requests.get", "requests.post", "requests.put", "requests.patch", "requests.delete", "requests.head",
    "requests.options", "requests.request", "requests.Session().get", "requests.Session().post",
    "requests.Session().request", "httpx.get", "httpx.post", "httpx.put", "httpx.patch", "httpx.delete",
    "httpx.request", "httpx.stream", "httpx.Client", "httpx.AsyncClient", "requests.Session().put",
    "urllib3.PoolManager", "urllib3.HTTPSConnectionPool"};
const std::unordered_set<std::string_view> kOldProtocols = {
    "ssl.PROTOCOL_SSLv2", "ssl.PROTOCOL_SSLv3", "ssl.PROTOCOL_TLSv1", "ssl.PROTOCOL_TLSv1_1",
    "OpenSSL.SSL.SSLv2_METHOD", "OpenSSL.SSL.SSLv3_METHOD", "OpenSSL.SSL.TLSv1_METHOD", "OpenSSL.SSL.TLSv1_1_METHOD"};

class TlsVerificationDisabled : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG505"}; }
  std::vector<std::string> node_kinds() const override { return {"call", "assignment", "attribute"}; }

  void check(TSNode node, Context& ctx) const override {
    if (is(node, "attribute")) return check_protocol(node, ctx);
    if (is(node, "assignment")) {
      // ctx.check_hostname = False, ctx.verify_mode = ssl.CERT_NONE
      TSNode target = field(node, "left");
      if (!is(target, "attribute")) return;
      std::string_view attr = ctx.text(field(target, "attribute"));
      TSNode value = field(node, "right");
      auto q = ctx.model().qualified_name(value, ctx.scope());
      if ((attr == "check_hostname" && constant_bool(value, ctx) == false) ||
          (attr == "verify_mode" && q && *q == "ssl.CERT_NONE"))
        ctx.report("VG505", node, "`" + std::string(ctx.text(node)) + "` turns off certificate checks for this context");
      // session = requests.Session(); session.verify = False
      auto owner = ctx.model().qualified_name(field(target, "object"), ctx.scope());
      if (attr == "verify" && constant_bool(value, ctx) == false && owner &&
          (*owner == "requests.Session()" || *owner == "requests.session()" || *owner == "requests.sessions.Session()"))
        ctx.report("VG505", node, "`" + std::string(ctx.text(node)) +
                                      "` makes every request of this session accept any certificate");
      return;
    }
    auto q = callee(node, ctx);
    if (!q) return;
    if (*q == "ssl._create_unverified_context" || *q == "ssl._create_stdlib_context") {
      ctx.report("VG505", node, "`" + *q + "` makes a context that accepts any certificate");
      return;
    }
    TSNode verify = keyword_arg(node, "verify", ctx);
    TSNode ssl = keyword_arg(node, "ssl", ctx);
    bool client = kHttpClients.count(*q) || q->starts_with("requests.") || q->starts_with("httpx.") ||
                  q->starts_with("aiohttp.");
    if (client && !is_null(verify) && constant_bool(verify, ctx) == false) {
      ctx.report_with_fix("VG505", node,
                          "`verify=False` accepts any certificate: anyone on the network path can read and change "
                          "the traffic; point `verify` at a CA bundle instead",
                          TSNode{}, "", "");
      attach_removal(node, verify, ctx);
      return;
    }
    if (client && q->starts_with("aiohttp.") && !is_null(ssl) && constant_bool(ssl, ctx) == false) {
      ctx.report("VG505", node, "aiohttp `ssl=False` accepts any certificate");
      return;
    }
    if (!is_null(keyword_arg(node, "cert_reqs", ctx))) {
      auto cq = ctx.model().qualified_name(keyword_arg(node, "cert_reqs", ctx), ctx.scope());
      if ((cq && *cq == "ssl.CERT_NONE") ||
          constant_string(keyword_arg(node, "cert_reqs", ctx), ctx) == std::string("CERT_NONE"))  // urllib3 takes the name
        ctx.report("VG505", node, "`cert_reqs=CERT_NONE` accepts any certificate");
    }
  }

 private:
  // The fix deletes `, verify=False` (the argument and the comma before it).
  static void attach_removal(TSNode call, TSNode verify_value, Context& ctx) {
    if (!ctx.enabled("VG505")) return;
    TSNode kw = parent_of(verify_value);
    auto args = children(field(call, "arguments"));
    size_t i = 0;
    while (i < args.size() && args[i].id != kw.id) ++i;
    if (i == args.size()) return;
    uint32_t from = i > 0 ? end(args[i - 1]) : start(kw);
    uint32_t to = i > 0 ? end(kw) : (i + 1 < args.size() ? start(args[i + 1]) : end(kw));
    ctx.attach_fix({"remove verify=False (verify certificates)", {ctx.edit(from, to, "")}});
  }

  // ssl.PROTOCOL_SSLv3 and friends: protocols with known breaks.
  static void check_protocol(TSNode attr, Context& ctx) {
    if (is(parent_of(attr), "attribute")) return;  // only the full name
    auto q = ctx.model().qualified_name(attr, ctx.scope());
    if (q && kOldProtocols.count(*q))
      ctx.report("VG505", attr, "`" + *q + "` is an obsolete protocol (POODLE, BEAST); use ssl.PROTOCOL_TLS_CLIENT "
                                "with minimum_version TLSv1_2");
  }
};

}  // namespace

VIGIL_REGISTER_PYTHON_CHECKER(HttpHardening);
VIGIL_REGISTER_PYTHON_CHECKER(InsecureCookie);
VIGIL_REGISTER_PYTHON_CHECKER(TlsVerificationDisabled);
VIGIL_REGISTER_PROJECT_CHECKER(HttpHardeningProject);

}  // namespace vigil::python
