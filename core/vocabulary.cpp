#include "core/vocabulary.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

namespace vigil {
namespace {

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
    "field", "env", "var", "column", "mode", "schema", "enabled", "auth", "grant", "flow", "validators",
    "complexity", "chars", "characters", "charset", "alphabet", "input", "render", "requirements", "example",
    "examples", "strength", "generator", "symbols", "digits", "letters"};

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
    "attempts", "names", "keys", "tokens", "age", "lock", "hash", "hashed", "checksum", "fingerprint", "chars",
    "characters", "charset", "alphabet", "symbols", "encoding", "encoder", "complexity", "validators",
    "arn", "mount", "blacklist", "blocklist", "denylist", "allowlist", "whitelist", "template", "example",
    "examples", "sample", "description", "title", "pad", "bos", "eos", "unk", "cls", "sep", "mask", "special",
    "tokenizer", "widget", "input", "render"};

const std::unordered_set<std::string_view> kKeyQualifiers = {
    "api", "secret", "private", "signing", "sign", "encryption", "encrypt", "crypto", "jwt", "hmac",
    "auth", "session", "master", "access", "app", "client", "webhook", "service", "license", "aes", "fernet"};

// Words before "pass" that make it a password (db_pass), unlike a compiler or boarding pass.
const std::unordered_set<std::string_view> kPassOwners = {
    "user", "db", "database", "admin", "root", "login", "account", "mysql", "postgres", "pg", "redis", "smtp",
    "mail", "email", "ftp", "ldap", "proxy", "basic", "http", "service", "api", "sudo", "vnc", "wifi", "master"};

const std::unordered_set<std::string_view> kPlaceholders = {
    "changeme", "change-me", "change_me", "changeit", "change-this", "xxx", "todo", "fixme", "tbd",
    "dummy", "example", "sample", "fake", "mock", "placeholder", "none", "null", "nil", "undefined",
    "redacted", "hidden", "masked", "...", "***", "<redacted>", "notasecret", "not-a-secret", "insecure",
    "please-set-me", "set-me", "setme", "not-set", "unset", "default", "required", "missing", "invalid",
    "true", "false", "yes", "no", "on", "off", "optional", "empty", "n/a"};

bool is_password_word(const std::string& w) {
  return w == "pwd" || w == "pw" || w == "pword" || w.find("password") != std::string::npos ||
         w.find("passwd") != std::string::npos || w.find("passphrase") != std::string::npos ||
         w.find("passcode") != std::string::npos;
}

bool names_a_password(const std::vector<std::string>& words) {
  for (size_t i = 0; i < words.size(); ++i) {
    if (is_password_word(words[i])) return true;
    // "pass" alone is too common (a compiler pass); "db_pass", "user_pass" are passwords.
    if (words[i] == "pass" && i > 0 && kPassOwners.count(words[i - 1])) return true;
  }
  return false;
}

}  // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
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
  // ACCESS_TOKEN_KEY, TOKEN_STORAGE_KEY: the key under which a token is kept.
  if (words.size() > 1 && words.back() == "key" && !kKeyQualifiers.count(words[words.size() - 2])) return false;
  if (names_a_password(words)) return !has_word(words, kHashWords) && !has_word(words, kPasswordMetaWords);
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.find("secret") != std::string::npos || w == "token" || (w.size() > 5 && w.ends_with("token")) ||
        w == "signature" ||
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
  // Values that describe the name rather than hold a secret: labels
  // ("Password"), enum values (ACCESS_TOKEN = "access"), lookup keys.
  auto words = words_of(bound_name), value_words = words_of(value);
  bool descriptive = !value_words.empty() && std::all_of(value_words.begin(), value_words.end(), [](const std::string& w) {
    return w.size() <= 3 || std::all_of(w.begin(), w.end(), [](unsigned char c) { return std::isalpha(c); });
  });
  for (const auto& w : value_words)
    if (descriptive && w.size() >= 3 && std::find(words.begin(), words.end(), w) != words.end()) return true;
  if (v.front() == '[' && v.back() == ']') return true;  // [PAD], [CLS]
  if (v.starts_with("arn:") || v.starts_with("-----begin public key") || v.starts_with("-----begin certificate") ||
      v.starts_with("ssh-rsa ") || v.starts_with("ssh-ed25519 "))
    return true;
  // a dotted module path: rest_framework_simplejwt.token_blacklist
  bool dotted = v.find('.') != std::string::npos && std::all_of(v.begin(), v.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '_' || c == '.';
  });
  return dotted && v.front() != '.' && v.back() != '.';
}

namespace {
bool is_test_path(std::string_view path);
}

// Checkers ask for every node they visit: the answer for the file being
// analysed on this thread is remembered.
bool is_test_file(std::string_view path) {
  thread_local std::string last_path;
  thread_local bool last_answer = false;
  if (path != last_path || last_path.empty()) {
    last_path.assign(path);
    last_answer = is_test_path(path);
  }
  return last_answer;
}

namespace {
bool is_test_path(std::string_view path) {
  std::string p(path);
  std::replace(p.begin(), p.end(), '\\', '/');
  std::string file = p.substr(p.rfind('/') == std::string::npos ? 0 : p.rfind('/') + 1);
  if (file.starts_with("test_") || file.ends_with("_test.py") || file == "conftest.py" || file == "tests.py")
    return true;
  std::string dirs = "/" + p.substr(0, p.size() - file.size());
  // Django test settings: settings/test.py, settings/testing.py
  if ((file == "test.py" || file == "testing.py") && dirs.find("/settings/") != std::string::npos) return true;
  return dirs.find("/tests/") != std::string::npos || dirs.find("/test/") != std::string::npos ||
         dirs.find("/testing/") != std::string::npos;
}
}  // namespace

bool is_hashing_callee(std::string_view name) {
  std::string n = lower(name);
  for (std::string_view part : {"hash", "crypt", "digest", "derive", "pbkdf", "argon", "make_password",
                                "set_password", "generate_password"})
    if (n.find(part) != std::string::npos) return true;
  return false;
}

bool is_rate_limit_name(std::string_view name) {
  std::string squashed;
  for (char c : name)
    if (c != '_' && c != '-' && c != '.') squashed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return squashed.find("ratelimit") != std::string::npos || squashed.find("throttl") != std::string::npos ||
         squashed.find("limiter") != std::string::npos;
}

bool is_auth_route(std::string_view path) {
  static const std::unordered_set<std::string_view> kWords = {"login", "signin", "logon", "token", "register",
                                                              "signup", "password", "passwd", "reset", "forgot",
                                                              "otp", "mfa", "2fa"};
  auto words = words_of(path);
  for (size_t i = 0; i < words.size(); ++i) {
    if (kWords.count(words[i])) return true;
    if (i + 1 < words.size() && (words[i] == "sign" || words[i] == "log") && (words[i + 1] == "in" || words[i + 1] == "up"))
      return true;
  }
  return false;
}

}  // namespace vigil
