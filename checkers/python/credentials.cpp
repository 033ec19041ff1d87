// Family 1, credentials: VG101 plaintext-password-storage, VG102
// weak-password-hash, VG103 non-constant-time-compare, VG104 hardcoded-secret.
// (The JWT rules of the family, VG105-VG108, are in jwt.cpp.)
#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "checkers/python/common.h"
#include "checkers/python/sources.h"

namespace vigil::python {
namespace {

// ---------------------------------------------------------------- tables

// Methods that persist an object handed to them (SQLAlchemy, Django, ODMs).
const std::unordered_set<std::string_view> kPersistMethods = {"add", "add_all", "merge", "save", "insert",
                                                              "persist", "bulk_save_objects", "put"};
// Methods that flush changes of objects already tracked by a session.
const std::unordered_set<std::string_view> kFlushMethods = {"commit", "save", "flush", "put"};
// Django manager / active-record methods that write their keyword arguments.
const std::unordered_set<std::string_view> kCreateMethods = {"create", "update", "get_or_create",
                                                             "update_or_create", "values"};
// Document-store writes taking a dict (pymongo, motor, redis).
const std::unordered_set<std::string_view> kDocumentWrites = {
    "insert_one", "insert_many", "update_one", "update_many", "replace_one", "find_one_and_update",
    "find_one_and_replace", "hset", "hmset"};
// Base classes of ORM models (resolved names).
const std::unordered_set<std::string_view> kOrmBases = {
    "django.db.models.Model", "mongoengine.Document", "peewee.Model", "tortoise.models.Model",
    "tortoise.Model", "ormar.Model", "sqlalchemy.orm.DeclarativeBase", "sqlmodel.SQLModel"};

const std::unordered_set<std::string_view> kFastHashes = {
    "hashlib.md5", "hashlib.sha1", "hashlib.sha224", "hashlib.sha256", "hashlib.sha384", "hashlib.sha512",
    "hashlib.sha3_224", "hashlib.sha3_256", "hashlib.sha3_384", "hashlib.sha3_512", "hashlib.blake2b",
    "hashlib.blake2s", "hashlib.new"};

// passlib schemes unfit for passwords (unsalted, fast, or broken).
const std::unordered_set<std::string_view> kWeakPasslibSchemes = {
    "md5_crypt", "des_crypt", "bsdi_crypt", "bigcrypt", "crypt16", "plaintext", "hex_md4", "hex_md5",
    "hex_sha1", "hex_sha256", "hex_sha512", "mysql323", "mysql41", "postgres_md5", "oracle10", "oracle11",
    "lmhash", "nthash", "msdcc", "msdcc2", "cisco_pix", "cisco_asa", "cisco_type7", "django_salted_md5",
    "django_salted_sha1", "django_des_crypt", "django_disabled", "sun_md5_crypt", "apr_md5_crypt",
    "htdigest", "roundup_plaintext", "unix_disabled", "phpass", "atlassian_pbkdf2_sha1", "fshp",
    "ldap_md5", "ldap_sha1", "ldap_salted_md5", "ldap_salted_sha1", "ldap_salted_sha256",
    "ldap_salted_sha512", "ldap_plaintext", "ldap_hex_md5", "ldap_hex_sha1", "ldap_md5_crypt",
    "ldap_des_crypt", "ldap_bsdi_crypt", "ldap_sha1_crypt"};
const std::unordered_set<std::string_view> kStrongPasslibSchemes = {
    "bcrypt", "bcrypt_sha256", "argon2", "scrypt", "pbkdf2_sha256", "pbkdf2_sha512", "sha256_crypt",
    "sha512_crypt", "django_pbkdf2_sha256", "django_argon2", "django_bcrypt", "django_bcrypt_sha256"};

const std::unordered_set<std::string_view> kWeakDjangoHashers = {
    "md5", "unsalted_md5", "sha1", "unsalted_sha1", "crypt",
    "django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.SHA1PasswordHasher",
    "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher",
    "django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher", "django.contrib.auth.hashers.CryptPasswordHasher"};

// Calls whose key argument must not be a literal: (callee, position, keyword).
struct KeyArgument {
  std::string_view callee;
  size_t position;
  std::string_view keyword;
};
constexpr KeyArgument kKeyArguments[] = {
    {"jwt.encode", 1, "key"},
    {"jwt.decode", 1, "key"},
    {"jose.jwt.encode", 1, "key"},
    {"jose.jwt.decode", 1, "key"},
    {"authlib.jose.jwt.encode", 2, "key"},
    {"authlib.jose.jwt.decode", 1, "key"},
    {"hmac.new", 0, "key"},
    {"hmac.digest", 0, "key"},
    {"itsdangerous.URLSafeTimedSerializer", 0, "secret_key"},
    {"itsdangerous.URLSafeSerializer", 0, "secret_key"},
    {"itsdangerous.Serializer", 0, "secret_key"},
    {"itsdangerous.TimestampSigner", 0, "secret_key"},
    {"itsdangerous.Signer", 0, "secret_key"},
};

// ---------------------------------------------------------------- helpers

bool is_capitalized(const std::string& name) { return !name.empty() && std::isupper(static_cast<unsigned char>(name[0])); }

// Is `cls` (a class of this file) an ORM model, through local base classes too?
bool is_orm_class(const Def& cls, const Context& ctx, int depth = 0) {
  if (depth > 8) return false;
  TSNode bases = field(cls.node, "superclasses");
  for (TSNode base : children(bases)) {
    if (is(base, "keyword_argument")) continue;
    auto q = ctx.model().qualified_name(base, cls.scope);
    if (!q) continue;
    if (kOrmBases.count(*q)) {
      if (*q != "sqlmodel.SQLModel") return true;
      for (TSNode kw : children(bases))  // SQLModel classes are tables only with table=True
        if (is(kw, "keyword_argument") && ctx.text(field(kw, "name")) == "table" && is(field(kw, "value"), "true"))
          return true;
    }
    if (q->ends_with("declarative_base()") || (q->find("sqlalchemy") != std::string::npos && q->ends_with(".Model")) ||
        q->ends_with("SQLAlchemy().Model"))
      return true;
    if (q->starts_with("__local__.")) {
      auto defs = ctx.model().reaching_defs(ctx.text(base), cls.scope, base);
      if (defs.size() == 1 && defs[0]->kind == Def::Kind::class_def && is_orm_class(*defs[0], ctx, depth + 1))
        return true;
    }
  }
  return false;
}

// Is a use of a name handed to a persisting call (`session.add(x)`) or
// saved itself (`x.save()`)?
bool is_persisting_use(const Use& u, const Context& ctx) {
  if (is(u.parent, "argument_list")) {
    TSNode call = parent_of(u.parent);
    return is(call, "call") && kPersistMethods.count(method_name(call, ctx));
  }
  if (is(u.parent, "attribute") && u.field && std::string_view(u.field) == "object")
    return ctx.text(field(u.parent, "attribute")) == "save";
  return false;
}

// Does a constructor call build an object that this function then persists?
bool is_persisted_object(TSNode call, const Context& ctx) {
  TSNode parent = parent_of(call);
  if (is(parent, "await")) parent = parent_of(parent);
  if (is(parent, "argument_list")) {
    TSNode outer = parent_of(parent);
    return is(outer, "call") && kPersistMethods.count(method_name(outer, ctx));
  }
  if (!is(parent, "assignment")) return false;
  TSNode target = field(parent, "left");
  if (!is(target, "identifier")) return false;
  for (const Use& u : ctx.model().uses(ctx.text(target), ctx.scope()))
    if (start(u.node) > end(call) && is_persisting_use(u, ctx)) return true;
  return false;
}

// Is this call a write of its keyword arguments to storage?
bool is_storage_call(TSNode call, const Context& ctx) {
  std::string_view m = method_name(call, ctx);
  if (kCreateMethods.count(m)) {
    // Django managers (`User.objects.create`), active records (`User.create`),
    // SQLAlchemy Core (`insert(users).values(...)`).
    std::string recv(ctx.text(receiver(call)));
    if (recv.find("objects") != std::string::npos) return true;
    if (m == "create" && is_capitalized(recv)) return true;
    if (m == "values") {
      auto q = ctx.model().qualified_name(receiver(call), ctx.scope());
      return q && (q->find("insert(") != std::string::npos || q->find("update(") != std::string::npos ||
                   q->ends_with(".insert()") || q->ends_with(".update()"));
    }
    return false;
  }
  auto q = callee(call, ctx);
  if (!q || !is_capitalized(last_component(*q))) return false;
  if (const Def* cls = [&]() -> const Def* {
        TSNode fn = unparen(field(call, "function"));
        if (!is(fn, "identifier")) return nullptr;
        auto defs = ctx.model().reaching_defs(ctx.text(fn), ctx.scope(), fn);
        return defs.size() == 1 && defs[0]->kind == Def::Kind::class_def ? defs[0] : nullptr;
      }())
    return is_orm_class(*cls, ctx) || is_persisted_object(call, ctx);
  return is_persisted_object(call, ctx);
}

std::string quoted(std::string_view text) { return "`" + std::string(text.substr(0, 60)) + "`"; }

// ---------------------------------------------------------------- VG101

class PlaintextPasswordStorage : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG101"}; }
  std::vector<std::string> node_kinds() const override { return {"call", "assignment"}; }

  void check(TSNode node, Context& ctx) const override {
    if (is(node, "assignment")) check_attribute_store(node, ctx);
    else check_call(node, ctx);
  }

 private:
  void check_call(TSNode call, Context& ctx) const {
    std::string_view m = method_name(call, ctx);
    if (m == "execute" || m == "executemany") return check_sql_params(call, ctx);
    if (kDocumentWrites.count(m)) {
      for (TSNode arg : children(field(call, "arguments")))
        check_document(is(arg, "keyword_argument") ? field(arg, "value") : arg, ctx, 0);
      return;
    }
    bool any = false;
    for (TSNode a : children(field(call, "arguments")))
      any = any || (is(a, "keyword_argument") && is_password_field(ctx.text(field(a, "name"))));
    if (!any || !is_storage_call(call, ctx)) return;
    for (TSNode a : children(field(call, "arguments"))) {
      if (!is(a, "keyword_argument") || !is_password_field(ctx.text(field(a, "name")))) continue;
      TSNode value = field(a, "value");
      if (is_plaintext_password(value, ctx))
        report(value, "`" + std::string(ctx.text(field(call, "function"))) + "(" +
                          std::string(ctx.text(field(a, "name"))) + "=...)`", ctx);
    }
  }

  // `INSERT INTO users (name, password) VALUES (?, ?)` with the plain value.
  void check_sql_params(TSNode call, Context& ctx) const {
    auto sql = constant_string(positional_arg(call, 0), ctx);
    if (!sql) return;
    std::string text = lower(*sql);
    bool writes = text.find("insert") != std::string::npos || text.find("update") != std::string::npos;
    bool password_column = text.find("pass") != std::string::npos || text.find("pwd") != std::string::npos;
    if (!writes || !password_column) return;
    TSNode params = unparen(positional_arg(call, 1));
    std::vector<TSNode> values;
    if (is(params, "tuple") || is(params, "list")) values = children(params);
    else if (TSNode d = dict_literal(params, ctx); !is_null(d))
      for (TSNode pair : children(d))
        if (is(pair, "pair")) values.push_back(field(pair, "value"));
    for (TSNode v : values)
      if (is_plaintext_password(v, ctx)) report(v, "an SQL write", ctx);
  }

  void check_document(TSNode value, Context& ctx, int depth) const {
    TSNode dict = dict_literal(value, ctx);
    if (is_null(dict) || depth > 3) return;
    for (TSNode pair : children(dict)) {
      if (!is(pair, "pair")) continue;
      std::string key = constant_string(field(pair, "key"), ctx).value_or("");
      TSNode v = field(pair, "value");
      if (key.starts_with("$")) check_document(v, ctx, depth + 1);  // {"$set": {...}}
      else if (is_password_field(key) && is_plaintext_password(v, ctx)) report(v, "a stored document", ctx);
    }
  }

  // `user.hashed_password = password` followed by a commit or save.
  void check_attribute_store(TSNode assign, Context& ctx) const {
    TSNode target = field(assign, "left"), value = field(assign, "right");
    if (!is(target, "attribute") || !is_password_field(ctx.text(field(target, "attribute")))) return;
    TSNode object = unparen(field(target, "object"));
    if (!is(object, "identifier") || ctx.text(object) == "self" || ctx.text(object) == "cls") return;
    if (!is_plaintext_password(value, ctx)) return;
    if (!flushed_after(assign, ctx)) return;
    report(value, quoted(ctx.text(target)), ctx);
  }

  static bool flushed_after(TSNode assign, const Context& ctx) {
    const Scope& scope = ctx.model().scope(ctx.scope());
    for (const auto& [name, uses] : scope.uses)
      for (const Use& u : uses) {
        if (start(u.node) <= end(assign)) continue;
        if (is(u.parent, "attribute") && kFlushMethods.count(ctx.text(field(u.parent, "attribute")))) return true;
        if (is_persisting_use(u, ctx)) return true;
      }
    return false;
  }

  static void report(TSNode value, const std::string& where, Context& ctx) {
    ctx.report("VG101", value,
               "password " + quoted(ctx.text(value)) + " is stored in plaintext in " + where +
                   "; store a hash from passlib/bcrypt/argon2 (e.g. `pwd_context.hash(password)`), or encrypt it if "
                   "the application must use it to log in elsewhere");
  }
};

// ---------------------------------------------------------------- VG102

class WeakPasswordHash : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG102"}; }
  std::vector<std::string> node_kinds() const override { return {"call", "assignment"}; }

  void check(TSNode node, Context& ctx) const override {
    if (is(node, "assignment")) return check_django_hashers(node, ctx);
    auto q = callee(node, ctx);
    if (!q) return;
    if (kFastHashes.count(*q)) {
      TSNode data = *q == "hashlib.new" ? call_arg(node, 1, "data", ctx) : call_arg(node, 0, "data", ctx);
      if (is_null(data)) data = keyword_arg(node, "string", ctx);
      if (mentions_plaintext_password(data, ctx)) report_fast(node, *q, ctx);
      return;
    }
    if (method_name(node, ctx) == "update" && q->starts_with("hashlib.") &&
        mentions_plaintext_password(positional_arg(node, 0), ctx)) {
      report_fast(node, q->substr(0, q->find("()")), ctx);
      return;
    }
    if (*q == "passlib.context.CryptContext" || *q == "passlib.apps.CryptContext") return check_context(node, ctx);
    if (q->starts_with("passlib.hash.")) return check_passlib_handler(node, *q, ctx);
    if (*q == "django.contrib.auth.hashers.make_password") {
      auto hasher = constant_string(call_arg(node, 2, "hasher", ctx), ctx);
      if (hasher && kWeakDjangoHashers.count(*hasher))
        ctx.report("VG102", node, "`make_password` with the weak hasher \"" + *hasher + "\"; use the default (PBKDF2) or Argon2");
      return;
    }
    if (*q == "werkzeug.security.generate_password_hash" || *q == "werkzeug.generate_password_hash") {
      auto method = constant_string(call_arg(node, 1, "method", ctx), ctx);
      if (method && !method->starts_with("pbkdf2") && !method->starts_with("scrypt"))
        ctx.report("VG102", node, "`generate_password_hash` with method \"" + *method +
                                      "\" is a fast hash; use \"scrypt\" or \"pbkdf2\" (the defaults)");
    }
  }

 private:
  static void report_fast(TSNode call, const std::string& hash, Context& ctx) {
    ctx.report("VG102", call,
               "password hashed with the fast hash `" + hash +
                   "`; use a password hash (bcrypt, argon2, scrypt) such as passlib's CryptContext");
  }

  // CryptContext(schemes=[...], deprecated="auto", default=...): weak schemes
  // kept only to verify (and upgrade) old hashes are the migration pattern.
  static void check_context(TSNode call, Context& ctx) {
    TSNode schemes_node = call_arg(call, 0, "schemes", ctx);
    if (is_null(schemes_node)) return;
    auto schemes = constant_strings(schemes_node, ctx);
    if (schemes.empty()) return;
    std::string default_scheme = constant_string(keyword_arg(call, "default", ctx), ctx).value_or(schemes[0]);
    TSNode deprecated_node = keyword_arg(call, "deprecated", ctx);
    auto deprecated = constant_strings(deprecated_node, ctx);
    bool auto_deprecated = deprecated.size() == 1 && deprecated[0] == "auto";
    std::vector<std::string> weak;
    bool strong = false;
    for (const auto& s : schemes) {
      if (kStrongPasslibSchemes.count(s)) strong = true;
      if (!kWeakPasslibSchemes.count(s)) continue;
      bool only_verifies = s != default_scheme &&
                           (auto_deprecated || std::find(deprecated.begin(), deprecated.end(), s) != deprecated.end());
      if (!only_verifies) weak.push_back(s);
    }
    if (!strong) {
      ctx.report("VG102", call, "`CryptContext` has no strong scheme (bcrypt, argon2, scrypt, pbkdf2_sha256)");
    } else if (!weak.empty()) {
      std::string list;
      for (const auto& w : weak) list += (list.empty() ? "" : ", ") + w;
      ctx.report("VG102", call,
                 "`CryptContext` hashes new passwords with the weak scheme(s) " + list +
                     "; make a strong scheme the default and mark the others deprecated");
    }
  }

  static void check_passlib_handler(TSNode call, const std::string& q, Context& ctx) {
    std::string_view m = method_name(call, ctx);
    if (m != "hash" && m != "encrypt") return;
    std::string scheme = q.substr(std::string("passlib.hash.").size());
    scheme = scheme.substr(0, scheme.find('.'));
    if (kWeakPasslibSchemes.count(scheme))
      ctx.report("VG102", call, "password hashed with passlib's weak scheme `" + scheme + "`; use bcrypt or argon2");
  }

  // Django settings: PASSWORD_HASHERS whose first (default) hasher is weak.
  static void check_django_hashers(TSNode assign, Context& ctx) {
    // Django recommends a fast hasher in test settings.
    if (ctx.text(field(assign, "left")) != "PASSWORD_HASHERS" || ctx.scope() != 0 || is_test_file(ctx.file().path()))
      return;
    auto hashers = constant_strings(field(assign, "right"), ctx);
    if (!hashers.empty() && kWeakDjangoHashers.count(hashers[0]))
      ctx.report("VG102", assign, "PASSWORD_HASHERS makes `" + last_component(hashers[0]) +
                                      "` the default; put PBKDF2, Argon2 or bcrypt first");
  }
};

// ---------------------------------------------------------------- VG103

class NonConstantTimeCompare : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG103"}; }
  std::vector<std::string> node_kinds() const override { return {"comparison_operator"}; }

  void check(TSNode cmp, Context& ctx) const override {
    auto operands = children(cmp);
    if (operands.size() != 2 || !is_equality(cmp) || is_test_file(ctx.file().path())) return;
    // SQL expressions (`filter(User.token == t)`, `(A == b) & (C == d)`) compare in the database.
    TSNode parent = parent_of(cmp);
    if (is(parent, "argument_list") || is(parent, "keyword_argument")) return;
    if (is(parent, "binary_operator") && (ctx.text(field(parent, "operator")) == "&" || ctx.text(field(parent, "operator")) == "|"))
      return;
    TSNode a = operands[0], b = operands[1];
    if (is_class_attribute(a, ctx) || is_class_attribute(b, ctx)) return;
    if (is_trivial(a, ctx) || is_trivial(b, ctx)) return;
    if (is_confirmation(a, ctx) || is_confirmation(b, ctx)) return;
    if (describes_a_secret(a, ctx) || describes_a_secret(b, ctx) || in_equality_method(ctx)) return;
    std::string ka = secret_kind(a, ctx, 0), kb = secret_kind(b, ctx, 0);
    // `type == ERRORTOKEN`: a constant compared with a value that is not a secret is a tag check.
    if ((ka.empty() && is_constant_name(b, ctx)) || (kb.empty() && is_constant_name(a, ctx))) return;
    std::string what = ka.empty() ? kb : ka;
    if (what.empty()) return;
    ctx.report("VG103", cmp,
               what + " compared with `" + std::string(ctx.text(ts_node_child(cmp, 1))) +
                   "`, which returns early on the first differing byte; use `hmac.compare_digest()`");
  }

 private:
  static bool is_equality(TSNode cmp) {
    for (uint32_t i = 0; i < ts_node_child_count(cmp); ++i) {
      std::string_view t = ts_node_type(ts_node_child(cmp, i));
      if (t == "==" || t == "!=") return true;
    }
    return false;
  }

  // `__eq__` compares two objects field by field, not a secret with a guess.
  static bool in_equality_method(const Context& ctx) {
    TSNode fn = enclosing_function_node(ctx);
    std::string_view name = is_null(fn) ? std::string_view{} : ctx.text(field(fn, "name"));
    return name == "__eq__" || name == "__ne__";
  }

  static bool is_constant_name(TSNode e, const Context& ctx) {
    e = unparen(e);
    if (is(e, "attribute")) e = field(e, "attribute");  // token.ERRORTOKEN
    if (!is(e, "identifier")) return false;
    std::string_view n = ctx.text(e);
    return n.size() > 1 && std::all_of(n.begin(), n.end(), [](unsigned char c) {
             return std::isupper(c) || std::isdigit(c) || c == '_';
           });
  }

  // Literals, None, lengths and empty containers leak nothing worth timing.
  static bool is_trivial(TSNode e, const Context& ctx) {
    e = unparen(e);
    std::string_view k = kind(e);
    if (k == "string" || k == "concatenated_string") return constant_string(e, ctx).has_value();  // not f"v0={x}"
    if (k == "integer" || k == "float" || k == "none" || k == "true" || k == "false") return true;
    if (k == "list" || k == "tuple") {  // (), ('', ''): literals all through
      for (TSNode c : children(e))
        if (!is_trivial(c, ctx)) return false;
      return true;
    }
    if (k == "dictionary" && children(e).empty()) return true;
    if (k == "call") {
      auto q = callee(e, ctx);
      if (q && (*q == "len" || *q == "type" || *q == "isinstance")) return true;
    }
    if (k == "identifier" && constant_string(e, ctx)) return true;  // a module constant
    return false;
  }

  // `User.password`: a column of a model class (an SQL expression), not a value.
  static bool is_class_attribute(TSNode e, const Context& ctx) {
    e = unparen(e);
    if (!is(e, "attribute")) return false;
    TSNode object = unparen(field(e, "object"));
    std::string_view name = is(object, "identifier") ? ctx.text(object) : std::string_view{};
    return !name.empty() && std::isupper(static_cast<unsigned char>(name[0])) &&
           !std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isupper(c) || c == '_' || std::isdigit(c); });
  }

  // `tokenizer.eos_token`, `EOF_MARK`: names about tokens of a parser, not secrets.
  static bool describes_a_secret(TSNode e, const Context& ctx) {
    std::string name = name_of(e, ctx);
    if (name.empty() || is_secret_name(name)) return false;
    for (const auto& w : words_of(name))
      if (w == "token" || w == "tokens" || w == "eof" || w == "mark" || w == "marker" || w == "sentinel")
        return true;
    return false;
  }

  static bool is_confirmation(TSNode e, const Context& ctx) {
    for (const auto& w : words_of(name_of(e, ctx)))
      if (w == "confirm" || w == "confirmation" || w == "repeat" || w == "again" || w == "verify" ||
          w == "password2" || w == "retype" || w == "old" || w == "previous" || w == "current")
        return true;
    return false;
  }

  // What secret an operand holds ("password", "token `t`", "HMAC digest"), or "".
  static std::string secret_kind(TSNode e, const Context& ctx, int depth) {
    e = unparen(e);
    if (depth > 4) return {};
    std::string name = name_of(e, ctx);
    if (!name.empty() && is_secret_name(name)) return "secret `" + std::string(ctx.text(e).substr(0, 40)) + "`";
    if (is(e, "call")) {
      std::string_view m = method_name(e, ctx);
      auto q = ctx.model().qualified_name(receiver(e), ctx.scope());
      if ((m == "hexdigest" || m == "digest") && q && q->starts_with("hmac.")) return "HMAC digest";
      auto c = callee(e, ctx);
      if (c && (*c == "hmac.digest")) return "HMAC digest";
    }
    if (is(e, "identifier")) {
      auto defs = ctx.model().reaching_defs(ctx.text(e), ctx.scope(), e);
      if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign && defs[0]->scope == ctx.scope()) {
        std::string inner = secret_kind(defs[0]->value, ctx, depth + 1);
        if (!inner.empty()) return inner + " (as `" + std::string(ctx.text(e)) + "`)";
      }
    }
    // "sha256=" + hmac.new(...).hexdigest(), f"v0={digest}"
    if (is(e, "binary_operator") && ctx.text(field(e, "operator")) == "+") {
      std::string l = secret_kind(field(e, "left"), ctx, depth + 1);
      return l.empty() ? secret_kind(field(e, "right"), ctx, depth + 1) : l;
    }
    if (is(e, "string"))
      for (TSNode part : children(e))
        if (is(part, "interpolation"))
          if (std::string k = secret_kind(field(part, "expression"), ctx, depth + 1); !k.empty()) return k;
    return {};
  }
};

// ---------------------------------------------------------------- VG104

class HardcodedSecret : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG104"}; }
  std::vector<std::string> node_kinds() const override {
    return {"assignment", "keyword_argument", "pair", "default_parameter", "typed_default_parameter", "call"};
  }

  void check(TSNode node, Context& ctx) const override {
    const auto& skip = ctx.option("VG104", "skip-test-files");
    if (is_test_file(ctx.file().path()) && (!skip.is_boolean() || skip.get<bool>())) return;
    std::string_view k = kind(node);
    if (k == "assignment") {
      TSNode value = field(node, "right");
      if (is(value, "assignment") || in_settings_class(ctx)) return;  // settings defaults are VG702's
      check_binding(name_of(field(node, "left"), ctx), settings_default(value, ctx), ctx);
    } else if (k == "keyword_argument") {
      check_binding(std::string(ctx.text(field(node, "name"))), field(node, "value"), ctx);
    } else if (k == "pair") {
      if (inside_example(node, ctx)) return;
      if (auto key = constant_string(field(node, "key"), ctx)) check_binding(*key, field(node, "value"), ctx);
    } else if (k == "default_parameter" || k == "typed_default_parameter") {
      check_binding(std::string(ctx.text(field(node, "name"))), field(node, "value"), ctx);
    } else {
      check_key_argument(node, ctx);
    }
  }

 private:
  static bool in_settings_class(const Context& ctx) {
    const Scope& scope = ctx.model().scope(ctx.scope());
    if (scope.kind != Scope::Kind::class_body) return false;
    for (TSNode base : children(field(scope.node, "superclasses"))) {
      auto q = ctx.model().qualified_name(base, scope.parent);
      if (q && last_component(*q) == "BaseSettings") return true;
    }
    return false;
  }

  // pydantic `Field("literal")` / `Field(default="literal")` defaults count as the value.
  static TSNode settings_default(TSNode value, const Context& ctx) {
    TSNode v = unparen(value);
    if (!is(v, "call")) return value;
    auto q = callee(v, ctx);
    if (!q || last_component(*q) != "Field") return value;
    TSNode d = call_arg(v, 0, "default", ctx);
    return is_null(d) ? value : d;
  }

  // OpenAPI / pydantic examples: `json_schema_extra={"examples": [{"password": "..."}]}`.
  static bool inside_example(TSNode node, const Context& ctx) {
    TSNode n = parent_of(node);
    for (int depth = 0; depth < 6 && !is_null(n); ++depth, n = parent_of(n)) {
      std::string key;
      if (is(n, "pair")) key = constant_string(field(n, "key"), ctx).value_or("");
      else if (is(n, "keyword_argument")) key = ctx.text(field(n, "name"));
      else if (is(n, "assignment")) key = name_of(field(n, "left"), ctx);
      for (const auto& w : words_of(key))
        if (w == "example" || w == "examples" || w == "sample" || w == "samples" || w == "extra" || w == "fixture")
          return true;
    }
    return false;
  }

  static bool looks_like_secret_value(const std::string& v) {
    if (v.size() < 4) return false;
    if (std::any_of(v.begin(), v.end(), [](unsigned char c) { return std::isspace(c); })) return false;
    return v.find("://") == std::string::npos && v[0] != '/';  // URLs and paths are not secrets
  }

  static void check_binding(const std::string& name, TSNode value, Context& ctx) {
    if (name.empty() || is_null(value) || !is_secret_name(name) || !is_plain_string_literal(value, ctx)) return;
    auto text = constant_string(value, ctx);
    if (!text || !looks_like_secret_value(*text) || is_placeholder(*text, name)) return;
    ctx.report("VG104", value,
               "hard-coded secret in `" + name + "`; read it from the environment or a secret store");
  }

  // `jwt.encode(claims, "literal")`, `hmac.new(b"...")` (cipher keys are VG605).
  static void check_key_argument(TSNode call, Context& ctx) {
    auto q = callee(call, ctx);
    if (!q) return;
    for (const auto& k : kKeyArguments) {
      if (*q != k.callee) continue;
      TSNode key = call_arg(call, k.position, k.keyword, ctx);
      if (is_null(key)) return;
      TSNode bare = unparen(key);
      // A secret-named constant was reported where it is bound.
      if (is(bare, "identifier") && is_secret_name(ctx.text(bare))) return;
      if (!is_plain_string_literal(bare, ctx) && !is(bare, "identifier")) return;
      auto text = constant_string(key, ctx);
      if (!text || text->empty() || is_placeholder(*text)) return;
      ctx.report("VG104", key,
                 "hard-coded key passed to `" + std::string(ctx.text(field(call, "function"))) +
                     "`; read it from the environment or a secret store");
      return;
    }
  }
};

}  // namespace

VIGIL_REGISTER_PYTHON_CHECKER(PlaintextPasswordStorage);
VIGIL_REGISTER_PYTHON_CHECKER(WeakPasswordHash);
VIGIL_REGISTER_PYTHON_CHECKER(NonConstantTimeCompare);
VIGIL_REGISTER_PYTHON_CHECKER(HardcodedSecret);

}  // namespace vigil::python
