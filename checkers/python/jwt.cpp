// Family 1, JWT: VG105 jwt-missing-expiry, VG106 jwt-unverified-decode,
// VG107 jwt-weak-secret, VG108 long-lived-access-token.
// PyJWT (`import jwt`), python-jose (`from jose import jwt`) and authlib
// (`from authlib.jose import jwt`), told apart by name resolution.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "checkers/python/common.h"

namespace vigil::python {
namespace {

// Where each library takes its arguments.
struct JwtApi {
  std::string_view callee;
  enum class Op { encode, decode } op;
  size_t claims_pos;  // encode: the claims; decode: the token
  std::string_view claims_kw;
  size_t key_pos;
  bool authlib;  // header dict first, claims object returned by decode
};
constexpr JwtApi kJwtApis[] = {
    {"jwt.encode", JwtApi::Op::encode, 0, "payload", 1, false},
    {"jwt.api_jwt.encode", JwtApi::Op::encode, 0, "payload", 1, false},
    {"jose.jwt.encode", JwtApi::Op::encode, 0, "claims", 1, false},
    {"authlib.jose.jwt.encode", JwtApi::Op::encode, 1, "payload", 2, true},
    {"authlib.jose.JsonWebToken().encode", JwtApi::Op::encode, 1, "payload", 2, true},
    {"jwt.decode", JwtApi::Op::decode, 0, "jwt", 1, false},
    {"jwt.api_jwt.decode", JwtApi::Op::decode, 0, "jwt", 1, false},
    {"jose.jwt.decode", JwtApi::Op::decode, 0, "token", 1, false},
    {"authlib.jose.jwt.decode", JwtApi::Op::decode, 0, "s", 1, true},
    {"authlib.jose.JsonWebToken().decode", JwtApi::Op::decode, 0, "s", 1, true},
};

const JwtApi* jwt_api(TSNode call, const Context& ctx) {
  auto q = callee(call, ctx);
  if (!q) return nullptr;
  for (const auto& api : kJwtApis)
    if (*q == api.callee) return &api;
  return nullptr;
}

constexpr size_t kMinHmacKeyBytes = 32;     // RFC 7518 3.2: a key at least as long as the hash
constexpr double kMaxAccessTokenMinutes = 60;  // RULES.md VG108 default bound

// ---------------------------------------------------------------- VG105

class JwtMissingExpiry : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG105"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    const JwtApi* api = jwt_api(call, ctx);
    if (!api || api->op != JwtApi::Op::encode) return;
    TSNode claims = call_arg(call, api->claims_pos, api->claims_kw, ctx);
    if (is_null(claims)) return;
    DictFacts facts = ctx.model().dict_facts(claims, ctx.scope());
    if (!facts.built || facts.may_have("exp")) return;
    ctx.report("VG105", call,
               "JWT created without an `exp` claim: the claims `" + std::string(ctx.text(claims).substr(0, 40)) +
                   "` never get one, so the token is valid forever; add `\"exp\": datetime.now(timezone.utc) + "
                   "timedelta(minutes=...)`");
  }
};

// ---------------------------------------------------------------- VG106

class JwtUnverifiedDecode : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG106"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    if (q && (*q == "jose.jwt.get_unverified_claims" || *q == "jose.jws.get_unverified_claims")) {
      ctx.report("VG106", call,
                 "`get_unverified_claims` reads the claims without checking the signature; use `jwt.decode` with "
                 "the key and an explicit `algorithms=` list");
      return;
    }
    const JwtApi* api = jwt_api(call, ctx);
    if (!api || api->op != JwtApi::Op::decode) return;
    if (api->authlib) return check_authlib(call, ctx);
    if (std::string why = disabled_verification(call, ctx); !why.empty()) {
      ctx.report("VG106", call, "JWT decoded with " + why + "; a forged or expired token is accepted",
                 Severity::critical);
      return;
    }
    TSNode algorithms = keyword_arg(call, "algorithms", ctx);
    if (is_null(algorithms)) {
      std::string message =
          "JWT decoded without `algorithms=`: the token's own header picks the algorithm (\"none\", or "
          "HS256 with a public key); pass the list you issue, e.g. `algorithms=[\"HS256\"]`";
      std::string alg = issued_algorithm(call, *api, ctx);
      TSNode args = field(call, "arguments");
      auto list = children(args);
      if (alg.empty() || list.empty() || !is(args, "argument_list")) {
        ctx.report("VG106", call, message);
        return;
      }
      // Insert after the last argument (before a trailing comma, if any).
      TSNode last = list.back();
      ctx.report_with_fix("VG106", call, message, TSNode{}, "", "");
      if (!ctx.enabled("VG106")) return;
      Fix fix{"add algorithms=[\"" + alg + "\"], the algorithm this file signs with",
              {ctx.edit(end(last), end(last), ", algorithms=[\"" + alg + "\"]")}};
      ctx.attach_fix(std::move(fix));
      return;
    }
    for (const auto& alg : constant_strings(algorithms, ctx))
      if (lower(alg) == "none") {
        ctx.report("VG106", call, "JWT decode accepts the \"none\" algorithm: unsigned tokens pass",
                   Severity::critical);
        return;
      }
  }

 private:
  // The algorithm of the encode calls of this file that sign with the same
  // key expression, when they agree on one constant algorithm; or "".
  static std::string issued_algorithm(TSNode decode, const JwtApi& api, const Context& ctx) {
    TSNode key = call_arg(decode, api.key_pos, "key", ctx);
    if (is_null(key)) return {};
    std::string key_text(ctx.text(key));
    TSNode root = unparen(key);
    while (is(root, "attribute")) root = unparen(field(root, "object"));
    if (!is(root, "identifier")) return {};
    std::string found;
    const Model& m = ctx.model();
    for (size_t s = 0; s < m.scope_count(); ++s)
      for (const Use& u : m.uses(ctx.text(root), static_cast<int>(s))) {
        TSNode arg = u.node;
        while (is(parent_of(arg), "attribute")) arg = parent_of(arg);
        TSNode list = parent_of(arg);
        if (!is(list, "argument_list") || ctx.text(arg) != key_text) continue;
        TSNode call = parent_of(list);
        auto q = m.qualified_name(field(call, "function"), static_cast<int>(s));
        const JwtApi* encode = nullptr;
        for (const auto& a : kJwtApis)
          if (q && *q == a.callee && a.op == JwtApi::Op::encode) encode = &a;
        if (!encode || encode->authlib) continue;
        TSNode alg = TSNode{};
        for (TSNode a : children(list))
          if (is(a, "keyword_argument") && ctx.text(field(a, "name")) == "algorithm") alg = field(a, "value");
        StringFacts f = is_null(alg) ? StringFacts{} : m.string_facts(alg, static_cast<int>(s));
        if (!f.is_constant() || (!found.empty() && found != f.text)) return {};
        found = f.text;
      }
    return found;
  }

  // "verify_signature disabled", "verify=False"... or "".
  static std::string disabled_verification(TSNode call, const Context& ctx) {
    if (constant_bool(keyword_arg(call, "verify", ctx), ctx) == false) return "`verify=False`";
    TSNode options = dict_literal(keyword_arg(call, "options", ctx), ctx);
    for (const char* key : {"verify_signature", "verify_exp"})
      if (constant_bool(dict_value(options, key, ctx), ctx) == false)
        return std::string("`options={\"") + key + "\": False}`";
    return {};
  }

  // authlib returns a claims object whose `exp`, `nbf` and `iss` are only
  // checked by `claims.validate()`.
  static void check_authlib(TSNode call, Context& ctx) {
    TSNode parent = parent_of(call);
    if (!is(parent, "assignment") || !is(field(parent, "left"), "identifier")) return;
    std::string_view name = ctx.text(field(parent, "left"));
    for (const Use& u : ctx.model().uses(name, ctx.scope())) {
      if (start(u.node) <= end(call)) continue;
      if (is(u.parent, "attribute") && ctx.text(field(u.parent, "attribute")) == "validate") return;
      if (is(u.parent, "return_statement") || is(u.parent, "argument_list")) return;  // validated elsewhere, maybe
    }
    ctx.report("VG106", call,
               "authlib `jwt.decode` result `" + std::string(name) +
                   "` is used without `" + std::string(name) + ".validate()`: expiry is never checked");
  }
};

// ---------------------------------------------------------------- VG107

class JwtWeakSecret : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG107"}; }
  std::vector<std::string> node_kinds() const override { return {"call", "class_definition"}; }

  void check(TSNode node, Context& ctx) const override {
    if (is(node, "class_definition")) return check_settings(node, ctx);
    if (const JwtApi* api = jwt_api(node, ctx)) return check_jwt_call(node, *api, ctx);
    check_env_default(node, ctx);
  }

 private:
  static void check_jwt_call(TSNode call, const JwtApi& api, Context& ctx) {
    if (!uses_hmac(call, api, ctx)) return;
    TSNode key = call_arg(call, api.key_pos, "key", ctx);
    auto text = constant_string(key, ctx);
    if (!text || text->size() >= kMinHmacKeyBytes) return;
    ctx.report("VG107", key,
               "HMAC JWT secret is " + std::to_string(text->size()) + " bytes; HS256 needs at least " +
                   std::to_string(kMinHmacKeyBytes) + " random bytes (e.g. `secrets.token_urlsafe(32)`)");
  }

  // HS* algorithms, or the libraries' HS256 default.
  static bool uses_hmac(TSNode call, const JwtApi& api, const Context& ctx) {
    std::vector<std::string> algs;
    if (api.authlib) {
      TSNode header = dict_literal(positional_arg(call, 0), ctx);
      if (auto alg = constant_string(dict_value(header, "alg", ctx), ctx)) algs.push_back(*alg);
    } else {
      TSNode a = keyword_arg(call, api.op == JwtApi::Op::encode ? "algorithm" : "algorithms", ctx);
      if (!is_null(a)) {
        algs = constant_strings(a, ctx);
        if (algs.empty()) return false;  // chosen at run time: unknown
      }
    }
    for (const auto& a : algs)
      if (!a.starts_with("HS")) return false;
    return true;
  }

  static bool is_signing_secret_name(std::string_view name) {
    if (!is_secret_name(name) || is_password_name(name)) return false;
    for (const auto& w : words_of(name))
      if (w.find("secret") != std::string::npos || w == "jwt" || w == "signing" || w == "hmac") return true;
    return false;
  }

  // pydantic settings: `jwt_secret: str = "short"` or `Field("short")`.
  static void check_settings(TSNode cls, Context& ctx) {
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
      TSNode value = unparen(field(assign, "right"));
      if (is(value, "call")) {
        auto q = callee(value, ctx);
        if (!q || last_component(*q) != "Field") continue;
        value = call_arg(value, 0, "default", ctx);
      }
      report_short_default(name, value, "settings default", ctx);
    }
  }

  // `os.getenv("JWT_SECRET", "dev")`: the default is used when the variable is unset.
  static void check_env_default(TSNode call, Context& ctx) {
    auto q = callee(call, ctx);
    if (!q || (*q != "os.getenv" && *q != "os.environ.get")) return;
    auto var = constant_string(positional_arg(call, 0), ctx);
    if (!var) return;
    report_short_default(*var, call_arg(call, 1, "default", ctx), "fallback when " + *var + " is unset", ctx);
  }

  static void report_short_default(const std::string& name, TSNode value, const std::string& what, Context& ctx) {
    if (is_null(value) || !is_signing_secret_name(name) || !is_plain_string_literal(value, ctx)) return;
    auto text = constant_string(value, ctx);
    if (!text || text->empty() || text->size() >= kMinHmacKeyBytes) return;
    ctx.report("VG107", value,
               "`" + name + "` " + what + " is a " + std::to_string(text->size()) +
                   "-byte secret; require a random secret of at least " + std::to_string(kMinHmacKeyBytes) +
                   " bytes and no default");
  }
};

// ---------------------------------------------------------------- VG108

class LongLivedAccessToken : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG108"}; }
  std::vector<std::string> node_kinds() const override { return {"assignment", "keyword_argument", "pair"}; }

  void check(TSNode node, Context& ctx) const override {
    std::string name;
    TSNode value{};
    if (is(node, "assignment")) {
      name = name_of(field(node, "left"), ctx);
      value = field(node, "right");
    } else if (is(node, "pair")) {
      name = constant_string(field(node, "key"), ctx).value_or("");
      value = field(node, "value");
    } else {
      name = ctx.text(field(node, "name"));
      value = field(node, "value");
      // create_access_token(..., expires_delta=timedelta(days=7))
      if (name == "expires_delta" || name == "expires_in") {
        TSNode call = parent_of(parent_of(node));
        if (is(call, "call") && words_contain(ctx.text(field(call, "function")), "access")) name = "access_token_" + name;
      }
    }
    if (is_null(value) || !is_access_lifetime(name)) return;
    if (is(unparen(value), "false")) {
      ctx.report("VG108", value, "`" + name + "` = False: access tokens never expire");
      return;
    }
    auto minutes = lifetime_minutes(name, value, ctx);
    const auto& configured = ctx.option("VG108", "max-minutes");
    double bound = configured.is_number() ? configured.get<double>() : kMaxAccessTokenMinutes;
    if (!minutes || *minutes <= bound) return;
    ctx.report("VG108", value,
               "access-token lifetime of " + describe(*minutes) + " exceeds " + describe(bound) +
                   " ([rules.VG108] max-minutes); keep access tokens short-lived and renew them with refresh tokens");
  }

 private:
  static bool words_contain(std::string_view text, std::string_view word) {
    for (const auto& w : words_of(text))
      if (w == word) return true;
    return false;
  }

  static bool is_access_lifetime(const std::string& name) {
    auto words = words_of(name);
    bool access = false, token = false, jwt = false, lifetime = false;
    for (const auto& w : words) {
      if (w == "refresh") return false;
      access = access || w == "access";
      token = token || w == "token";
      jwt = jwt || w == "jwt";
      lifetime = lifetime || w == "expire" || w == "expires" || w == "expiry" || w == "expiration" ||
                 w == "lifetime" || w == "ttl" || w == "exp" || w == "delta" || w == "duration" || w == "age";
    }
    return ((access && token) || jwt) && lifetime;
  }

  // The lifetime in minutes: a timedelta, or a number in the unit the name gives.
  static std::optional<double> lifetime_minutes(const std::string& name, TSNode value, const Context& ctx) {
    value = unparen(value);
    if (is(value, "identifier")) {
      auto defs = ctx.model().reaching_defs(ctx.text(value), ctx.scope(), value);
      if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign) value = unparen(defs[0]->value);
    }
    if (is(value, "call")) {
      auto q = callee(value, ctx);
      if (!q || (*q != "datetime.timedelta" && *q != "timedelta")) return std::nullopt;
      return timedelta_minutes(value, ctx);
    }
    auto n = ctx.model().number(value, ctx.scope());
    if (!n) return std::nullopt;
    for (const auto& w : words_of(name)) {
      if (w == "minutes" || w == "mins" || w == "min") return *n;
      if (w == "seconds" || w == "secs" || w == "sec") return *n / 60;
      if (w == "hours" || w == "hrs") return *n * 60;
      if (w == "days") return *n * 1440;
      if (w == "weeks") return *n * 10080;
    }
    if (name == "JWT_ACCESS_TOKEN_EXPIRES") return *n / 60;  // flask-jwt-extended: seconds
    return std::nullopt;
  }

  static std::optional<double> timedelta_minutes(TSNode call, const Context& ctx) {
    static const std::pair<const char*, double> kUnits[] = {
        {"weeks", 10080}, {"days", 1440}, {"hours", 60}, {"minutes", 1}, {"seconds", 1.0 / 60},
        {"milliseconds", 1.0 / 60000}, {"microseconds", 1.0 / 60000000}};
    static const double kPositional[] = {1440, 1.0 / 60, 1.0 / 60000000, 1.0 / 60000, 1, 60, 10080};
    double total = 0;
    size_t index = 0;
    for (TSNode a : children(field(call, "arguments"))) {
      double unit = 0;
      TSNode v = a;
      if (is(a, "keyword_argument")) {
        std::string_view k = ctx.text(field(a, "name"));
        for (const auto& [u, m] : kUnits)
          if (k == u) unit = m;
        v = field(a, "value");
      } else if (index < std::size(kPositional)) {
        unit = kPositional[index++];
      }
      auto n = ctx.model().number(v, ctx.scope());
      if (!n || unit == 0) return std::nullopt;
      total += *n * unit;
    }
    return total;
  }

  static std::string describe(double minutes) {
    auto count = [](double v, const char* unit) {
      long long n = std::llround(v);
      return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
    };
    if (minutes >= 1440 && std::fmod(minutes, 1440) == 0) return count(minutes / 1440, "day");
    if (minutes >= 60 && std::fmod(minutes, 60) == 0) return count(minutes / 60, "hour");
    return count(minutes, "minute");
  }
};

}  // namespace

VIGIL_REGISTER_PYTHON_CHECKER(JwtMissingExpiry);
VIGIL_REGISTER_PYTHON_CHECKER(JwtUnverifiedDecode);
VIGIL_REGISTER_PYTHON_CHECKER(JwtWeakSecret);
VIGIL_REGISTER_PYTHON_CHECKER(LongLivedAccessToken);

}  // namespace vigil::python
