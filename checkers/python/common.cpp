#include "checkers/python/common.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

namespace vigil::python {
namespace {

constexpr int kMaxDepth = 16;

bool has_word(const std::vector<std::string>& words, const std::unordered_set<std::string_view>& set) {
  for (const auto& w : words)
    if (set.count(w)) return true;
  return false;
}

bool word_contains(const std::vector<std::string>& words, std::initializer_list<std::string_view> parts) {
  for (const auto& w : words)
    for (auto p : parts)
      if (w.find(p) != std::string::npos) return true;
  return false;
}

// Words that make a password-ish name about something else than the secret.
const std::unordered_set<std::string_view> kPasswordMetaWords = {
    "policy", "len", "length", "min", "max", "label", "prompt", "regex", "re", "pattern", "url", "uri",
    "path", "file", "reset", "expire", "expires", "expiry", "changed", "updated", "at", "date", "time",
    "required", "strength", "rule", "rules", "help", "hint", "placeholder", "message", "msg", "error",
    "errors", "validator", "validate", "valid", "check", "type", "form", "widget", "count", "attempts",
    "history", "manager", "context", "ctx", "hashers", "rounds", "iterations", "id", "key", "name",
    "field", "env", "var", "column", "mode", "schema", "enabled", "auth", "grant", "flow"};

// Words that mark a hash (not a plaintext) of a password.
const std::unordered_set<std::string_view> kHashWords = {"hash", "hashed", "hasher", "digest", "crypt",
                                                          "crypted", "encrypted", "enc", "salt", "salted"};

// Words that make a secret-ish name metadata about a secret.
const std::unordered_set<std::string_view> kSecretMetaWords = {
    "url", "uri", "endpoint", "path", "file", "filename", "dir", "name", "type", "header", "headers", "field",
    "param", "parameter", "env", "var", "variable", "len", "length", "size", "prefix", "suffix", "id", "kid",
    "expire", "expires", "expiry", "expiration", "lifetime", "ttl", "minutes", "seconds", "hours", "days",
    "algorithm", "alg", "algo", "algorithms", "count", "limit", "regex", "pattern", "format", "location",
    "label", "scheme", "kind", "usage", "version", "mode", "timeout", "class", "model", "schema", "form",
    "serializer", "column", "table", "source", "provider", "issuer", "audience", "scope", "scopes", "hint",
    "help", "message", "msg", "error", "placeholder", "query", "cookie", "policy", "min", "max", "rounds",
    "iterations", "required", "pair", "store", "manager", "backend", "loader", "generator", "validator",
    "attempts", "names", "keys", "tokens", "age", "lock"};

const std::unordered_set<std::string_view> kKeyQualifiers = {
    "api", "secret", "private", "signing", "sign", "encryption", "encrypt", "crypto", "jwt", "hmac",
    "auth", "session", "master", "access", "app", "client", "webhook", "service", "license", "aes", "fernet"};

const std::unordered_set<std::string_view> kPlaceholders = {
    "changeme", "change-me", "change_me", "changeit", "change-this", "xxx", "todo", "fixme", "tbd",
    "dummy", "example", "sample", "fake", "mock", "placeholder", "none", "null", "nil", "undefined",
    "redacted", "hidden", "masked", "...", "***", "<redacted>", "notasecret", "not-a-secret", "insecure"};

bool is_password_word(const std::string& w) {
  return w == "pwd" || w == "pw" || w == "pword" || w.find("password") != std::string::npos ||
         w.find("passwd") != std::string::npos || w.find("passphrase") != std::string::npos ||
         w.find("passcode") != std::string::npos;
}

bool names_a_password(const std::vector<std::string>& words) {
  for (size_t i = 0; i < words.size(); ++i) {
    if (is_password_word(words[i])) return true;
    // "pass" alone is too common (a compiler pass); "db_pass", "user_pass" are passwords.
    if (words[i] == "pass" && i > 0) return true;
  }
  return false;
}

}  // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

namespace {

// The value bound to a name once (locally or at module level), else the expression.
TSNode through_binding(TSNode expr, const Context& ctx) {
  expr = unparen(expr);
  if (!is(expr, "identifier")) return expr;
  auto defs = ctx.model().reaching_defs(ctx.text(expr), ctx.scope(), expr);
  if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign) return unparen(defs[0]->value);
  return expr;
}

}  // namespace

std::vector<std::string> constant_strings(TSNode value, const Context& ctx) {
  std::vector<std::string> out;
  value = through_binding(value, ctx);
  if (auto one = constant_string(value, ctx)) {
    std::string item;
    for (char c : *one + ",") {
      if (c == ',' || c == ' ') {
        if (!item.empty()) out.push_back(item);
        item.clear();
      } else {
        item += c;
      }
    }
    return out;
  }
  for (TSNode item : children(value))
    if (auto s = constant_string(item, ctx)) out.push_back(*s);
  return out;
}

TSNode dict_literal(TSNode expr, const Context& ctx) {
  TSNode v = through_binding(expr, ctx);
  return is(v, "dictionary") ? v : TSNode{};
}

TSNode dict_value(TSNode dict, std::string_view key, const Context& ctx) {
  for (TSNode pair : children(dict))
    if (is(pair, "pair") && constant_string(field(pair, "key"), ctx) == std::string(key)) return field(pair, "value");
  return TSNode{};
}

TSNode keyword_arg(TSNode call, std::string_view name, const Context& ctx) {
  for (TSNode a : children(field(call, "arguments")))
    if (is(a, "keyword_argument") && ctx.text(field(a, "name")) == name) return field(a, "value");
  return TSNode{};
}

TSNode positional_arg(TSNode call, size_t index) {
  TSNode args = field(call, "arguments");
  if (!is(args, "argument_list")) return TSNode{};
  size_t i = 0;
  for (TSNode a : children(args)) {
    if (is(a, "keyword_argument") || is(a, "list_splat") || is(a, "dictionary_splat")) break;
    if (i++ == index) return a;
  }
  return TSNode{};
}

TSNode call_arg(TSNode call, size_t index, std::string_view name, const Context& ctx) {
  TSNode a = positional_arg(call, index);
  return is_null(a) ? keyword_arg(call, name, ctx) : a;
}

std::optional<std::string> callee(TSNode call, const Context& ctx) {
  return ctx.model().qualified_name(field(call, "function"), ctx.scope());
}

std::string_view method_name(TSNode call, const Context& ctx) {
  TSNode fn = field(call, "function");
  return is(fn, "attribute") ? ctx.text(field(fn, "attribute")) : std::string_view{};
}

TSNode receiver(TSNode call) {
  TSNode fn = field(call, "function");
  return is(fn, "attribute") ? field(fn, "object") : TSNode{};
}

std::string last_component(std::string name) {
  while (name.size() >= 2 && name.compare(name.size() - 2, 2, "()") == 0) name.resize(name.size() - 2);
  size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

std::optional<std::string> constant_string(TSNode expr, const Context& ctx) {
  if (is_null(expr)) return std::nullopt;
  StringFacts f = ctx.model().string_facts(expr, ctx.scope());
  if (!f.is_constant()) return std::nullopt;
  TSNode e = unparen(expr);
  // Numbers are constants of string_facts too; only strings count here.
  if (is(e, "integer") || is(e, "float") || is(e, "true") || is(e, "false") || is(e, "none")) return std::nullopt;
  return f.text;
}

bool is_plain_string_literal(TSNode node, const Context& ctx) {
  node = unparen(node);
  if (!is(node, "string") && !is(node, "concatenated_string")) return false;
  return ctx.model().string_facts(node, ctx.scope()).is_constant();
}

std::optional<bool> constant_bool(TSNode expr, const Context& ctx) {
  expr = unparen(expr);
  if (is(expr, "true")) return true;
  if (is(expr, "false")) return false;
  if (is(expr, "identifier")) {
    auto defs = ctx.model().reaching_defs(ctx.text(expr), ctx.scope(), expr);
    if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign) {
      TSNode v = unparen(defs[0]->value);
      if (is(v, "true")) return true;
      if (is(v, "false")) return false;
    }
  }
  return std::nullopt;
}

std::vector<std::string> words_of(std::string_view name) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(lower(current));
    current.clear();
  };
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = name[i];
    if (!std::isalnum(c)) {
      flush();
      continue;
    }
    // camelCase boundary: a capital after a lower-case letter.
    if (std::isupper(c) && !current.empty() && std::islower(static_cast<unsigned char>(current.back()))) flush();
    current += static_cast<char>(c);
  }
  flush();
  return words;
}

std::string name_of(TSNode expr, const Context& ctx) {
  expr = unparen(expr);
  if (is(expr, "identifier")) return std::string(ctx.text(expr));
  if (is(expr, "attribute")) return std::string(ctx.text(field(expr, "attribute")));
  if (is(expr, "subscript")) return constant_string(field(expr, "subscript"), ctx).value_or("");
  if (is(expr, "call") && method_name(expr, ctx) == "get")
    return constant_string(positional_arg(expr, 0), ctx).value_or("");
  return {};
}

bool is_password_name(std::string_view name) {
  auto words = words_of(name);
  if (!names_a_password(words)) return false;
  if (has_word(words, kHashWords) || word_contains(words, {"hash", "crypt", "digest"})) return false;
  return !has_word(words, kPasswordMetaWords);
}

bool is_password_field(std::string_view name) {
  auto words = words_of(name);
  return names_a_password(words) && !has_word(words, kPasswordMetaWords) &&
         !has_word(words, {"confirm", "confirmation", "repeat", "again"});
}

bool is_secret_name(std::string_view name) {
  auto words = words_of(name);
  if (words.empty() || has_word(words, kSecretMetaWords)) return false;
  if (names_a_password(words)) return !has_word(words, kHashWords) && !has_word(words, kPasswordMetaWords);
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.find("secret") != std::string::npos || w == "token" || (w.size() > 5 && w.ends_with("token")) ||
        w == "apikey" || w == "privatekey" || w == "secretkey" || w == "signingkey" || w == "accesskey" ||
        w == "credentials" || w == "credential")
      return true;
    if (w == "key" && i > 0 && kKeyQualifiers.count(words[i - 1])) return true;
  }
  return false;
}

bool is_placeholder(std::string_view value, std::string_view bound_name) {
  std::string v = lower(value);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.erase(v.begin());
  if (v.empty() || kPlaceholders.count(v)) return true;
  for (std::string_view marker : {"your", "change", "replace", "example", "placeholder", "dummy", "insert",
                                  "here", "<", "${", "{{", "%(", "{}", "xxxx", "****"})
    if (v.find(marker) != std::string::npos) return true;
  if (v.size() >= 3 && std::all_of(v.begin(), v.end(), [&](char c) { return c == v[0]; })) return true;
  if (!value.empty() && value[0] == '$') return true;  // $VAR
  // An environment variable's name ("GITHUB_TOKEN"), or the bound name itself.
  bool env_name = value.find('_') != std::string_view::npos &&
                  std::all_of(value.begin(), value.end(), [](unsigned char c) {
                    return std::isupper(c) || std::isdigit(c) || c == '_';
                  });
  if (env_name) return true;
  auto words = words_of(bound_name), value_words = words_of(value);
  return !value_words.empty() && value_words == words;
}

bool is_test_file(std::string_view path) {
  std::string p(path);
  std::replace(p.begin(), p.end(), '\\', '/');
  std::string file = p.substr(p.rfind('/') == std::string::npos ? 0 : p.rfind('/') + 1);
  if (file.starts_with("test_") || file.ends_with("_test.py") || file == "conftest.py" || file == "tests.py")
    return true;
  std::string dirs = "/" + p.substr(0, p.size() - file.size());
  return dirs.find("/tests/") != std::string::npos || dirs.find("/test/") != std::string::npos ||
         dirs.find("/testing/") != std::string::npos;
}

bool is_hashing_callee(std::string_view name) {
  std::string n = lower(name);
  for (std::string_view part : {"hash", "crypt", "digest", "derive", "pbkdf", "argon", "make_password",
                                "set_password", "generate_password"})
    if (n.find(part) != std::string::npos) return true;
  return false;
}

namespace {

bool is_passthrough_method(std::string_view m) {
  return m == "strip" || m == "lstrip" || m == "rstrip" || m == "encode" || m == "decode";
}

std::string callee_text(TSNode call, const Context& ctx) {
  auto q = callee(call, ctx);
  return q ? *q : std::string(ctx.text(field(call, "function")));
}

}  // namespace

bool is_plaintext_password(TSNode expr, const Context& ctx, int depth) {
  expr = unparen(expr);
  if (is_null(expr) || depth > kMaxDepth) return false;
  std::string_view k = kind(expr);
  if (k == "identifier") {
    std::string_view name = ctx.text(expr);
    auto defs = ctx.model().reaching_defs(name, ctx.scope(), expr);
    for (const Def* d : defs) {
      TSNode v = unparen(d->value);
      if ((d->kind == Def::Kind::assign || d->kind == Def::Kind::aug_assign) && is(v, "call") &&
          is_hashing_callee(callee_text(v, ctx)))
        return false;  // hashed on some path
    }
    if (is_password_name(name)) return true;
    if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign && defs[0]->scope == ctx.scope())
      return is_plaintext_password(defs[0]->value, ctx, depth + 1);
    return false;
  }
  if (k == "attribute") return is_password_name(ctx.text(field(expr, "attribute")));
  if (k == "subscript") return is_password_name(name_of(expr, ctx));
  if (k == "call") {
    std::string_view m = method_name(expr, ctx);
    if (is_passthrough_method(m)) return is_plaintext_password(receiver(expr), ctx, depth + 1);
    if (m == "get") return is_password_name(name_of(expr, ctx));
    auto name = callee(expr, ctx);
    if (name && *name == "str") return is_plaintext_password(positional_arg(expr, 0), ctx, depth + 1);
  }
  return false;
}

bool mentions_plaintext_password(TSNode expr, const Context& ctx, int depth) {
  expr = unparen(expr);
  if (is_null(expr) || depth > kMaxDepth) return false;
  if (is_plaintext_password(expr, ctx, depth)) return true;
  std::string_view k = kind(expr);
  if (k == "binary_operator")
    return mentions_plaintext_password(field(expr, "left"), ctx, depth + 1) ||
           mentions_plaintext_password(field(expr, "right"), ctx, depth + 1);
  if (k == "string") {
    for (TSNode part : children(expr))
      if (is(part, "interpolation") && mentions_plaintext_password(field(part, "expression"), ctx, depth + 1))
        return true;
    return false;
  }
  if (k == "call") {
    std::string_view m = method_name(expr, ctx);
    if (is_passthrough_method(m)) return mentions_plaintext_password(receiver(expr), ctx, depth + 1);
    auto name = callee(expr, ctx);
    if (name && (*name == "str" || *name == "bytes"))
      return mentions_plaintext_password(positional_arg(expr, 0), ctx, depth + 1);
    return false;
  }
  if (k == "identifier") {
    auto defs = ctx.model().reaching_defs(ctx.text(expr), ctx.scope(), expr);
    if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign && defs[0]->scope == ctx.scope())
      return mentions_plaintext_password(defs[0]->value, ctx, depth + 1);
  }
  return false;
}

}  // namespace vigil::python
