// Family 8, logging and error handling: VG801 secret-in-log, VG802
// exception-detail-leak, VG803 swallowed-exception.
#include <unordered_set>

#include "checkers/python/common.h"
#include "checkers/python/sources.h"

namespace vigil::python {
namespace {

const std::unordered_set<std::string_view> kLogMethods = {"debug", "info", "warning", "warn", "error",
                                                          "exception", "critical", "log", "fatal"};

// The secret-named value an argument shows, through f-strings, % and + ("`password`"), or "".
std::string shown_secret(TSNode e, const Context& ctx, int depth = 0) {
  e = unparen(e);
  if (is_null(e) || depth > 6) return {};
  std::string name = name_of(e, ctx);
  bool value = is(e, "identifier") || is(e, "attribute") || is(e, "subscript") || is(e, "call");
  if (value && !name.empty() && is_secret_name(name) && !is_hashing_callee(name)) {
    if (is(e, "call")) {
      auto q = callee(e, ctx);
      if (q && (q->find("mask") != std::string::npos || q->find("redact") != std::string::npos)) return {};
    }
    return "`" + std::string(ctx.text(e).substr(0, 40)) + "`";
  }
  StringFacts facts = ctx.model().string_facts(e, ctx.scope());
  for (const auto& part : facts.parts)
    if (part.node.id != e.id)
      if (std::string s = shown_secret(part.node, ctx, depth + 1); !s.empty()) return s;
  if (is(e, "dictionary"))  // logger.info("login", extra={"password": pw})
    for (TSNode pair : children(e))
      if (is(pair, "pair")) {
        std::string key = constant_string(field(pair, "key"), ctx).value_or("");
        if (is_secret_name(key) && !is_plain_string_literal(field(pair, "value"), ctx))
          return "`" + key + "`";
      }
  return {};
}

// ---------------------------------------------------------------- VG801

class SecretInLog : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG801"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    std::string_view m = method_name(call, ctx);
    bool log = (q && (*q == "print" || q->starts_with("logging."))) ||
               (kLogMethods.count(m) && is_logger(receiver(call), ctx));
    if (!log) return;
    for (TSNode a : children(field(call, "arguments"))) {
      TSNode value = is(a, "keyword_argument") ? field(a, "value") : a;
      if (std::string s = shown_secret(value, ctx); !s.empty()) {
        ctx.report("VG801", call, "the secret " + s + " is written to the log; log that it happened, not the value "
                                  "(or a masked form)");
        return;
      }
    }
  }

 private:
  static bool is_logger(TSNode object, const Context& ctx) {
    auto q = ctx.model().qualified_name(object, ctx.scope());
    if (q && (q->starts_with("logging.") || q->starts_with("structlog.") || q->starts_with("loguru."))) return true;
    for (const auto& w : words_of(name_of(object, ctx)))
      if (w == "log" || w == "logger" || w == "logging") return true;
    return false;
  }
};

// ---------------------------------------------------------------- VG802

// Does an expression expose an exception's details: str(e), repr(e), e.args,
// f"{e}", traceback.format_exc()?
bool exposes_exception(TSNode e, const Context& ctx, int depth = 0) {
  e = unparen(e);
  if (is_null(e) || depth > 6) return false;
  if (is(e, "call")) {
    auto q = callee(e, ctx);
    if (q && (*q == "traceback.format_exc" || *q == "traceback.format_exception")) return true;
    if (q && (*q == "str" || *q == "repr")) return exposes_exception(positional_arg(e, 0), ctx, depth + 1);
  }
  if (is(e, "attribute") && ctx.text(field(e, "attribute")) == "args") return exposes_exception(field(e, "object"), ctx, depth + 1);
  if (is(e, "identifier")) {
    for (const Def* d : ctx.model().reaching_defs(ctx.text(e), ctx.scope(), e)) {
      if (d->kind == Def::Kind::exception) return true;  // except ... as e
      if (d->kind == Def::Kind::assign && exposes_exception(d->value, ctx, depth + 1)) return true;
    }
    return false;
  }
  StringFacts facts = ctx.model().string_facts(e, ctx.scope());
  for (const auto& part : facts.parts)
    if (part.node.id != e.id && exposes_exception(part.node, ctx, depth + 1)) return true;
  if (is(e, "dictionary"))
    for (TSNode pair : children(e))
      if (is(pair, "pair") && exposes_exception(field(pair, "value"), ctx, depth + 1)) return true;
  return false;
}

class ExceptionDetailLeak : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG802"}; }
  std::vector<std::string> node_kinds() const override { return {"call", "return_statement"}; }

  void check(TSNode node, Context& ctx) const override {
    if (is(node, "call")) {
      auto q = callee(node, ctx);
      if (!q) return;
      static const std::unordered_set<std::string_view> kResponses = {
          "fastapi.HTTPException", "starlette.exceptions.HTTPException", "fastapi.responses.JSONResponse",
          "starlette.responses.JSONResponse", "flask.jsonify", "flask.make_response", "django.http.JsonResponse",
          "django.http.HttpResponse", "django.http.HttpResponseServerError", "rest_framework.response.Response",
          "flask.abort"};
      if (!kResponses.count(*q)) return;
      for (TSNode a : children(field(node, "arguments")))
        if (exposes_exception(is(a, "keyword_argument") ? field(a, "value") : a, ctx)) return report(node, ctx);
      return;
    }
    // `return {"error": str(e)}` from a route handler
    TSNode fn = enclosing_function_node(ctx);
    if (is_null(fn) || !is_route_handler(fn, ctx)) return;
    auto value = children(node);
    if (!value.empty() && exposes_exception(value[0], ctx)) report(node, ctx);
  }

 private:
  static void report(TSNode at, Context& ctx) {
    ctx.report("VG802", at, "exception details are sent to the client (paths, SQL, library versions help an "
                            "attacker); log them and return a generic message with an error id");
  }
};

// ---------------------------------------------------------------- VG803

// A function whose failure is a security decision. "check" and "session"
// alone are too common (check_output_dir, get_session); cleanup code
// (close_session, teardown) may ignore errors on purpose.
bool security_relevant(std::string_view name) {
  auto words = words_of(name);
  for (const auto& w : words)
    for (const char* s : {"close", "cleanup", "teardown", "shutdown", "dispose", "release", "del", "exit"})
      if (w == s) return false;
  for (const auto& w : words)
    for (const char* s : {"auth", "authenticate", "login", "token", "verify", "password", "passwd", "permission",
                          "permissions", "decrypt", "encrypt", "sign", "signature", "crypt", "credential",
                          "credentials", "jwt", "otp", "csrf", "acl", "authorize", "authorized"})
      if (w == s) return true;
  return false;
}

class SwallowedException : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG803"}; }
  std::vector<std::string> node_kinds() const override { return {"except_clause"}; }

  void check(TSNode clause, Context& ctx) const override {
    TSNode body{};
    for (TSNode c : children(clause))
      if (is(c, "block")) body = c;
    auto statements = children(body);
    if (statements.size() != 1 || !(is(statements[0], "pass_statement") || is(statements[0], "continue_statement")))
      return;
    TSNode fn = enclosing_function_node(ctx);
    if (is_null(fn)) return;
    std::string name(ctx.text(field(fn, "name")));
    if (!security_relevant(name) && !is_route_handler(fn, ctx)) return;
    ctx.report("VG803", clause,
               "an exception in `" + name + "` is swallowed (`" + std::string(ctx.text(statements[0])) +
                   "`): a failed check may pass silently; handle it, or log it and deny");
  }
};

}  // namespace

VIGIL_REGISTER_PYTHON_CHECKER(SecretInLog);
VIGIL_REGISTER_PYTHON_CHECKER(ExceptionDetailLeak);
VIGIL_REGISTER_PYTHON_CHECKER(SwallowedException);

}  // namespace vigil::python
