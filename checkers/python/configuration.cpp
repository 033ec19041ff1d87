// Family 7, configuration: VG701 debug-enabled, VG702 weak-secret-configuration,
// VG703 bind-all-interfaces, VG704 wildcard-allowed-hosts.
#include <unordered_set>

#include <filesystem>

#include "checkers/python/common.h"

namespace vigil::python {
namespace {

// A Django settings module: named settings*.py, or defining INSTALLED_APPS.
bool is_settings_module(const Context& ctx) {
  std::string path = ctx.file().path();
  std::string file = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  if (file.starts_with("settings") || path.find("/settings/") != std::string::npos) return true;
  return ctx.model().scope(0).names.count("INSTALLED_APPS") > 0;
}

// ---------------------------------------------------------------- VG701

// settings/dev.py, settings/local.py, local_settings.py: development-only settings by name.
bool is_development_settings(const Context& ctx) {
  std::string stem = std::filesystem::path(ctx.file().path()).stem().string();
  for (const char* s : {"dev", "development", "local", "local_settings", "settings_dev", "settings_local"})
    if (stem == s) return true;
  return false;
}

class DebugEnabled : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG701"}; }
  std::vector<std::string> node_kinds() const override { return {"call", "assignment"}; }

  void check(TSNode node, Context& ctx) const override {
    if (is_test_file(ctx.file().path())) return;
    if (is(node, "assignment")) {
      TSNode target = field(node, "left");
      if (ctx.scope() == 0 && is(target, "identifier") && ctx.text(target) == "DEBUG" &&
          constant_bool(field(node, "right"), ctx) == true && is_settings_module(ctx) && !is_development_settings(ctx))
        ctx.report("VG701", node, "`DEBUG = True` in Django settings shows tracebacks, settings and SQL to anyone; "
                                  "read it from the environment and keep it off in production");
      // app.config["DEBUG"] = True (not any dict with a DEBUG key)
      TSNode container = is(target, "subscript") ? field(target, "value") : TSNode{};
      if (is(container, "attribute") && ctx.text(field(container, "attribute")) == "config" &&
          name_of(target, ctx) == "DEBUG" && constant_bool(field(node, "right"), ctx) == true)
        ctx.report("VG701", node, "`config[\"DEBUG\"] = True` turns on the debugger for every request");
      return;
    }
    auto q = callee(node, ctx);
    if (!q) return;
    bool flask_run = q->ends_with(".run") && q->find("flask.Flask()") != std::string::npos;
    bool app_class = *q == "fastapi.FastAPI" || *q == "starlette.applications.Starlette";
    if ((flask_run || app_class) && constant_bool(keyword_arg(node, "debug", ctx), ctx) == true)
      ctx.report("VG701", node,
                 flask_run ? "`app.run(debug=True)` starts the Werkzeug debugger: anyone who reaches it runs code"
                           : "`debug=True` sends tracebacks to clients");
  }
};

// ---------------------------------------------------------------- VG702

// pydantic settings whose signing secret has a literal default or a short minimum.
class WeakSecretConfiguration : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG702"}; }
  std::vector<std::string> node_kinds() const override { return {"class_definition"}; }

  void check(TSNode cls, Context& ctx) const override {
    bool settings = false;
    for (TSNode base : children(field(cls, "superclasses"))) {
      auto q = ctx.model().qualified_name(base, ctx.scope());
      settings = settings || (q && last_component(*q) == "BaseSettings");
    }
    if (!settings) return;
    for (TSNode stmt : children(field(cls, "body"))) {
      TSNode assign = is(stmt, "expression_statement") && named_count(stmt) ? named_child(stmt, 0) : stmt;
      if (!is(assign, "assignment") || !is(field(assign, "left"), "identifier")) continue;
      std::string name(ctx.text(field(assign, "left")));
      if (!is_secret_name(name) || is_password_name(name)) continue;
      TSNode value = unparen(field(assign, "right"));
      TSNode default_value = value;
      TSNode min_length{};
      if (is(value, "call")) {
        auto q = callee(value, ctx);
        if (!q || last_component(*q) != "Field") continue;
        default_value = call_arg(value, 0, "default", ctx);
        min_length = keyword_arg(value, "min_length", ctx);
      }
      if (!is_null(default_value) && is_plain_string_literal(default_value, ctx))
        ctx.report("VG702", default_value,
                   "settings field `" + name + "` has a literal default: a deployment that forgets to set it runs "
                   "with a secret everyone knows; make it required (`Field(..., env=...)`)");
      auto n = ctx.model().number(min_length, ctx.scope());
      if (n && *n < 32)
        ctx.report("VG702", min_length,
                   "`" + name + "` accepts secrets of " + std::to_string(static_cast<int>(*n)) +
                       " characters; require at least 32 (`min_length=32`)");
    }
  }
};

// ---------------------------------------------------------------- VG703

class BindAllInterfaces : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG703"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    std::string_view m = method_name(call, ctx);
    TSNode host{};
    if (q && (*q == "uvicorn.run" || *q == "waitress.serve" || (q->ends_with(".run") && q->find("Flask()") != std::string::npos)))
      host = keyword_arg(call, "host", ctx);
    else if (m == "bind") {  // socket.bind(("0.0.0.0", port))
      TSNode address = unparen(positional_arg(call, 0));
      if (is(address, "tuple") && !children(address).empty()) host = children(address)[0];
    }
    if (is_null(host)) return;
    auto text = constant_string(host, ctx);
    if (!text || (*text != "0.0.0.0" && *text != "::")) return;
    ctx.report("VG703", host, "listening on every interface (`" + *text + "`) exposes the service to every network "
                              "the host is on; bind to 127.0.0.1 behind a proxy, or make the address configurable");
  }
};

// ---------------------------------------------------------------- VG704

class WildcardAllowedHosts : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG704"}; }
  std::vector<std::string> node_kinds() const override { return {"assignment"}; }

  void check(TSNode assign, Context& ctx) const override {
    if (ctx.scope() != 0 || ctx.text(field(assign, "left")) != "ALLOWED_HOSTS") return;
    for (const auto& host : constant_strings(field(assign, "right"), ctx))
      if (host == "*") {
        ctx.report("VG704", assign, "`ALLOWED_HOSTS` with `*` accepts any Host header (cache poisoning, password-"
                                    "reset links to an attacker's host); list the host names");
        return;
      }
  }
};

}  // namespace

VIGIL_REGISTER_PYTHON_CHECKER(DebugEnabled);
VIGIL_REGISTER_PYTHON_CHECKER(WeakSecretConfiguration);
VIGIL_REGISTER_PYTHON_CHECKER(BindAllInterfaces);
VIGIL_REGISTER_PYTHON_CHECKER(WildcardAllowedHosts);

}  // namespace vigil::python
