// Family 6, cryptography: VG601 weak-hash, VG602 weak-cipher, VG603
// weak-kdf-parameters, VG604 kdf-salt-not-stored, VG605 hardcoded-crypto-key,
// VG606 insecure-randomness.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <unordered_set>

#include "checkers/python/common.h"

namespace vigil::python {
namespace {

// PBKDF2 iteration floors by hash (OWASP Password Storage Cheat Sheet, 2023).
constexpr double kPbkdf2Sha1 = 1'300'000, kPbkdf2Sha256 = 600'000, kPbkdf2Sha512 = 210'000;
constexpr double kBcryptMinRounds = 12;
constexpr double kScryptMinN = 1 << 15;
// argon2id (memory KiB, passes) pairs OWASP accepts; below all of them is weak.
constexpr std::pair<double, double> kArgon2Minimums[] = {{47104, 1}, {19456, 2}, {12288, 3}, {9216, 4}, {7168, 5}};
constexpr double kArgon2DefaultMemory = 65536, kArgon2DefaultTime = 3;  // argon2-cffi defaults

// KDFs and where they take the salt: (callee, position, keyword).
struct SaltArgument {
  std::string_view callee;
  size_t position;
  std::string_view keyword;
  std::string_view shown;
};
constexpr size_t kKeywordOnly = 99;
constexpr SaltArgument kSaltArguments[] = {
    {"hashlib.pbkdf2_hmac", 2, "salt", "pbkdf2_hmac"},
    {"hashlib.scrypt", kKeywordOnly, "salt", "scrypt"},
    {"cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC", 2, "salt", "PBKDF2HMAC"},
    {"cryptography.hazmat.primitives.kdf.scrypt.Scrypt", 0, "salt", "Scrypt"},
    {"cryptography.hazmat.primitives.kdf.hkdf.HKDF", 2, "salt", "HKDF"},
    {"cryptography.hazmat.primitives.kdf.argon2.Argon2id", kKeywordOnly, "salt", "Argon2id"},
    {"argon2.low_level.hash_secret_raw", 1, "salt", "hash_secret_raw"},
    {"Crypto.Protocol.KDF.PBKDF2", 1, "salt", "PBKDF2"},
    {"Crypto.Protocol.KDF.scrypt", 1, "salt", "scrypt"},
    {"nacl.pwhash.argon2id.kdf", 2, "salt", "argon2id.kdf"},
    {"bcrypt.kdf", 1, "salt", "bcrypt.kdf"},
};

// Calls that make random salts.
const std::unordered_set<std::string_view> kRandomSources = {
    "os.urandom", "secrets.token_bytes", "secrets.token_hex", "secrets.token_urlsafe",
    "Crypto.Random.get_random_bytes", "nacl.utils.random", "random.randbytes"};

const SaltArgument* salt_argument(const std::string& q) {
  for (const auto& s : kSaltArguments)
    if (q == s.callee) return &s;
  return nullptr;
}

TSNode salt_of(TSNode call, const SaltArgument& s, const Context& ctx) {
  return s.position == kKeywordOnly ? keyword_arg(call, s.keyword, ctx) : call_arg(call, s.position, s.keyword, ctx);
}

std::string with_commas(double v) {
  std::string digits = std::to_string(static_cast<long long>(std::llround(v)));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return digits;
}

// ---------------------------------------------------------------- VG603

class WeakKdfParameters : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG603"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    if (is_test_file(ctx.file().path())) return;  // tests use cheap costs, fixed keys, plain cookies on purpose
    auto q = callee(call, ctx);
    if (!q) return;
    if (*q == "hashlib.pbkdf2_hmac") {
      auto hash = constant_string(call_arg(call, 0, "hash_name", ctx), ctx).value_or("sha256");
      check_pbkdf2(call_arg(call, 3, "iterations", ctx), hash, ctx);
    } else if (*q == "cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC") {
      auto alg = ctx.model().qualified_name(call_arg(call, 0, "algorithm", ctx), ctx.scope());
      std::string hash = alg ? last_component(*alg) : "SHA256";
      std::transform(hash.begin(), hash.end(), hash.begin(), [](unsigned char c) { return std::tolower(c); });
      check_pbkdf2(call_arg(call, 3, "iterations", ctx), hash, ctx);
    } else if (*q == "Crypto.Protocol.KDF.PBKDF2") {
      // PyCryptodome: HMAC-SHA1 unless hmac_hash_module says otherwise.
      auto module = ctx.model().qualified_name(keyword_arg(call, "hmac_hash_module", ctx), ctx.scope());
      check_pbkdf2(call_arg(call, 3, "count", ctx), module ? lower(last_component(*module)) : "sha1", ctx);
    } else if (*q == "bcrypt.gensalt") {
      check_min(call_arg(call, 0, "rounds", ctx), bcrypt_floor(ctx), "bcrypt cost", with_commas(bcrypt_floor(ctx)), ctx);
    } else if (*q == "hashlib.scrypt") {
      check_min(keyword_arg(call, "n", ctx), kScryptMinN, "scrypt n", "2**15 (32768)", ctx);
    } else if (*q == "cryptography.hazmat.primitives.kdf.scrypt.Scrypt") {
      check_min(call_arg(call, 2, "n", ctx), kScryptMinN, "scrypt n", "2**15 (32768)", ctx);
    } else if (*q == "argon2.PasswordHasher") {
      check_argon2(call, ctx);
    } else if (q->starts_with("passlib.hash.") && method_name(call, ctx) == "using") {
      check_passlib_using(call, *q, ctx);
    } else if (*q == "passlib.context.CryptContext") {
      check_context_rounds(call, ctx);
    }
  }

 private:
  // The SHA-256 floor is configurable ([rules.VG603] min-iterations); the
  // others keep OWASP's proportions to it.
  static double pbkdf2_floor(std::string hash, const Context& ctx) {
    const auto& configured = ctx.option("VG603", "min-iterations");
    double sha256 = configured.is_number() ? configured.get<double>() : kPbkdf2Sha256;
    std::transform(hash.begin(), hash.end(), hash.begin(), [](unsigned char c) { return std::tolower(c); });
    hash.erase(std::remove(hash.begin(), hash.end(), '-'), hash.end());
    if (hash == "sha1") return std::round(sha256 * kPbkdf2Sha1 / kPbkdf2Sha256);
    if (hash == "sha512") return std::round(sha256 * kPbkdf2Sha512 / kPbkdf2Sha256);
    return sha256;
  }

  static double bcrypt_floor(const Context& ctx) {
    const auto& configured = ctx.option("VG603", "min-bcrypt-rounds");
    return configured.is_number() ? configured.get<double>() : kBcryptMinRounds;
  }

  static void check_pbkdf2(TSNode iterations, const std::string& hash, Context& ctx) {
    auto n = ctx.model().number(iterations, ctx.scope());
    double floor = pbkdf2_floor(hash, ctx);
    if (!n || *n >= floor) return;
    std::string h = hash;
    std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::toupper(c); });
    ctx.report("VG603", iterations,
               "PBKDF2-HMAC-" + h + " with " + with_commas(*n) + " iterations is below the " + with_commas(floor) +
                   " required (OWASP 2023 guidance; [rules.VG603] min-iterations); raise the iteration count or use "
                   "argon2id");
  }

  static void check_min(TSNode value, double floor, const std::string& what, const std::string& shown, Context& ctx) {
    auto n = ctx.model().number(value, ctx.scope());
    if (!n || *n >= floor) return;
    ctx.report("VG603", value, what + " of " + with_commas(*n) + " is below the minimum of " + shown);
  }

  static void check_argon2(TSNode call, Context& ctx) {
    TSNode t = keyword_arg(call, "time_cost", ctx), m = keyword_arg(call, "memory_cost", ctx);
    if (is_null(t) && is_null(m)) return;
    auto time = is_null(t) ? std::optional<double>(kArgon2DefaultTime) : ctx.model().number(t, ctx.scope());
    auto memory = is_null(m) ? std::optional<double>(kArgon2DefaultMemory) : ctx.model().number(m, ctx.scope());
    if (!time || !memory) return;
    for (const auto& [min_memory, min_time] : kArgon2Minimums)
      if (*memory >= min_memory && *time >= min_time) return;
    ctx.report("VG603", is_null(m) ? t : m,
               "argon2 with memory_cost=" + with_commas(*memory) + " KiB and time_cost=" + with_commas(*time) +
                   " is below OWASP's minimum (19 MiB with 2 passes, or an equivalent pair)");
  }

  // passlib.hash.pbkdf2_sha256.using(rounds=...), bcrypt.using(rounds=...)
  static void check_passlib_using(TSNode call, const std::string& q, Context& ctx) {
    std::string scheme = q.substr(std::string("passlib.hash.").size());
    scheme = scheme.substr(0, scheme.find('.'));
    check_scheme_rounds(scheme, keyword_arg(call, "rounds", ctx), ctx);
  }

  // CryptContext(..., bcrypt__rounds=10, pbkdf2_sha256__default_rounds=...)
  static void check_context_rounds(TSNode call, Context& ctx) {
    for (TSNode a : children(field(call, "arguments"))) {
      if (!is(a, "keyword_argument")) continue;
      std::string name(ctx.text(field(a, "name")));
      size_t sep = name.find("__");
      if (sep == std::string::npos) continue;
      std::string setting = name.substr(sep + 2);
      if (setting == "rounds" || setting == "default_rounds" || setting == "min_rounds")
        check_scheme_rounds(name.substr(0, sep), field(a, "value"), ctx);
    }
  }

  static void check_scheme_rounds(const std::string& scheme, TSNode rounds, Context& ctx) {
    if (is_null(rounds)) return;
    if (scheme == "bcrypt" || scheme == "bcrypt_sha256") {
      check_min(rounds, bcrypt_floor(ctx), "bcrypt rounds", with_commas(bcrypt_floor(ctx)), ctx);
    } else if (scheme.starts_with("pbkdf2_")) {
      check_pbkdf2(rounds, scheme.substr(7), ctx);
    }
  }
};

// ---------------------------------------------------------------- VG604

class KdfSaltNotStored : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG604"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    if (is_test_file(ctx.file().path())) return;  // tests use cheap costs, fixed keys, plain cookies on purpose
    auto q = callee(call, ctx);
    if (!q) return;
    if (const SaltArgument* s = salt_argument(*q)) return check_kdf(call, *s, ctx);
    if (kRandomSources.count(*q)) check_random_salt(call, ctx);
  }

 private:
  // A constant salt, or a random one made inline and thrown away.
  static void check_kdf(TSNode call, const SaltArgument& s, Context& ctx) {
    TSNode salt = salt_of(call, s, ctx);
    if (is_null(salt)) return;
    TSNode bare = unparen(salt);
    if (is(bare, "call")) {
      auto q = callee(bare, ctx);
      if (q && kRandomSources.count(*q))
        ctx.report("VG604", bare,
                   "random salt made inside the `" + std::string(s.shown) +
                       "` call is never kept: the key cannot be derived again; store the salt with the result");
      return;
    }
    // HKDF may use a constant salt (RFC 5869 3.1): its input is already a key.
    auto text = s.shown == "HKDF" ? std::nullopt : constant_string(salt, ctx);
    if (text && !text->empty())
      ctx.report("VG604", salt,
                 "constant salt for `" + std::string(s.shown) +
                     "`: every password gets the same salt, so one precomputed table cracks them all; use "
                     "`os.urandom(16)` and store it");
  }

  // `salt = os.urandom(16)` in a function, used only as a KDF salt and never
  // returned, stored, or passed anywhere else.
  static void check_random_salt(TSNode call, Context& ctx) {
    TSNode assign = parent_of(call);
    if (!is(assign, "assignment") || !is(field(assign, "left"), "identifier")) return;
    if (is(parent_of(assign), "assignment")) return;  // `self.salt = salt = ...` keeps it
    int fn = ctx.model().enclosing_function(ctx.scope());
    if (fn < 0 || fn != ctx.scope()) return;
    std::string_view name = ctx.text(field(assign, "left"));
    const char* kdf = nullptr;
    for (const Use& u : ctx.model().uses(name, fn)) {
      if (start(u.node) <= end(call)) continue;
      if (is(u.parent, "assignment") && u.field && std::string_view(u.field) == "left") return;  // rebound: give up
      const char* consumer = kdf_consuming(u, ctx);
      if (!consumer) return;  // kept, returned or handed on: fine
      if (std::string_view(consumer) != "len") kdf = consumer;
    }
    if (!kdf || used_in_nested_scope(name, fn, ctx)) return;
    ctx.report("VG604", call,
               "salt `" + std::string(name) + "` is generated here, used by `" + kdf +
                   "` and then discarded: the key can never be derived again; return or store the salt");
  }

  // If the use is the salt argument of a KDF call (or `len(salt)`), the KDF's name.
  static const char* kdf_consuming(const Use& u, const Context& ctx) {
    TSNode args = u.parent;
    if (is(args, "keyword_argument")) args = parent_of(args);
    if (!is(args, "argument_list")) return nullptr;
    TSNode call = parent_of(args);
    auto q = callee(call, ctx);
    if (!q) return nullptr;
    if (*q == "len") return "len";
    const SaltArgument* s = salt_argument(*q);
    if (!s) return nullptr;
    TSNode salt = salt_of(call, *s, ctx);
    return !is_null(salt) && salt.id == u.node.id ? s->shown.data() : nullptr;
  }

  static bool used_in_nested_scope(std::string_view name, int fn, const Context& ctx) {
    const Model& m = ctx.model();
    for (size_t s = 0; s < m.scope_count(); ++s) {
      int p = m.scope(static_cast<int>(s)).parent;
      while (p >= 0 && p != fn) p = m.scope(p).parent;
      if (p == fn && !m.uses(name, static_cast<int>(s)).empty()) return true;
    }
    return false;
  }
};

// ---------------------------------------------------------------- VG601

// Words that put a hash in a security context (names of the function, of
// the variable the digest goes to, or of what it is compared with).
bool security_word(std::string_view name) {
  for (const auto& w : words_of(name))
    for (const char* s : {"token", "password", "passwd", "secret", "key", "sign", "signature", "verify", "auth",
                          "hmac", "mac", "cert", "certificate", "integrity", "nonce", "session", "credential"})
      if (w == s) return true;
  return false;
}

class WeakHash : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG601"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    if (!q) return;
    std::string weak;
    if (*q == "hashlib.md5" || *q == "hashlib.sha1" || *q == "Crypto.Hash.MD5.new" || *q == "Crypto.Hash.SHA1.new" ||
        *q == "cryptography.hazmat.primitives.hashes.MD5" || *q == "cryptography.hazmat.primitives.hashes.SHA1")
      weak = last_component(q->ends_with(".new") ? q->substr(0, q->size() - 4) : *q);
    else if (*q == "hashlib.new") {
      auto name = constant_string(call_arg(call, 0, "name", ctx), ctx);
      if (name && (lower(*name) == "md5" || lower(*name) == "sha1")) weak = *name;
    }
    if (weak.empty()) return;
    if (constant_bool(keyword_arg(call, "usedforsecurity", ctx), ctx) == false) return;
    if (mentions_plaintext_password(positional_arg(call, 0), ctx)) return;  // VG102's finding
    std::string why = security_context(call, ctx);
    if (why.empty()) return;
    ctx.report("VG601", call, "`" + weak + "` protects " + why + ": collisions are practical, so it can be forged; "
                              "use SHA-256 or stronger (or HMAC-SHA256 for a keyed check)");
  }

 private:
  // "an HMAC", "`generate_token`", "`signature`", or "" when nothing says security.
  static std::string security_context(TSNode call, const Context& ctx) {
    // hmac.new(key, msg, hashlib.md5) passes the constructor itself, not a call: see the attribute below.
    TSNode parent = parent_of(call);
    while (is(parent, "attribute") || is(parent, "call")) parent = parent_of(parent);
    if (is(parent, "assignment")) {
      std::string target = name_of(field(parent, "left"), ctx);
      if (security_word(target)) return "`" + target + "`";
    }
    if (is(parent, "comparison_operator"))
      for (TSNode side : children(parent))
        if (security_word(name_of(side, ctx))) return "a comparison with `" + name_of(side, ctx) + "`";
    int fn = ctx.model().enclosing_function(ctx.scope());
    if (fn >= 0) {
      std::string name(ctx.text(field(ctx.model().scope(fn).node, "name")));
      if (security_word(name)) return "`" + name + "`";
    }
    return {};
  }
};

// hmac.new(key, msg, hashlib.md5): the digest constructor passed as digestmod.
class WeakHmacDigest : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG601"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    if (!q || (*q != "hmac.new" && *q != "hmac.HMAC" && *q != "hmac.digest")) return;
    TSNode mod = call_arg(call, *q == "hmac.digest" ? 2 : 2, "digestmod", ctx);
    if (is_null(mod)) return;
    auto m = ctx.model().qualified_name(mod, ctx.scope());
    auto text = constant_string(mod, ctx);
    std::string weak = m && (*m == "hashlib.md5" || *m == "hashlib.sha1") ? last_component(*m)
                       : text && (lower(*text) == "md5" || lower(*text) == "sha1") ? *text
                                                                                  : "";
    if (weak.empty()) return;
    ctx.report("VG601", mod, "HMAC with `" + weak + "`: use SHA-256 (`hashlib.sha256`)");
  }
};

// ---------------------------------------------------------------- VG602

const std::unordered_set<std::string_view> kWeakCiphers = {
    "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES",
    "cryptography.hazmat.primitives.ciphers.algorithms.Blowfish",
    "cryptography.hazmat.primitives.ciphers.algorithms.ARC4",
    "cryptography.hazmat.primitives.ciphers.algorithms.CAST5",
    "cryptography.hazmat.primitives.ciphers.algorithms.IDEA",
    "cryptography.hazmat.primitives.ciphers.algorithms.SEED",
    "cryptography.hazmat.decrepit.ciphers.algorithms.TripleDES",
    "cryptography.hazmat.decrepit.ciphers.algorithms.ARC4",
    "Crypto.Cipher.DES.new", "Crypto.Cipher.DES3.new", "Crypto.Cipher.ARC4.new", "Crypto.Cipher.ARC2.new",
    "Crypto.Cipher.Blowfish.new", "Crypto.Cipher.CAST.new", "Cryptodome.Cipher.DES.new",
    "Cryptodome.Cipher.DES3.new", "Cryptodome.Cipher.ARC4.new", "Cryptodome.Cipher.Blowfish.new"};

class WeakCipher : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG602"}; }
  std::vector<std::string> node_kinds() const override { return {"call", "attribute"}; }

  void check(TSNode node, Context& ctx) const override {
    if (is(node, "attribute")) {  // AES.MODE_ECB
      if (is(parent_of(node), "attribute")) return;
      auto q = ctx.model().qualified_name(node, ctx.scope());
      if (q && q->ends_with(".MODE_ECB") && (q->starts_with("Crypto.") || q->starts_with("Cryptodome.")))
        ctx.report("VG602", node, "ECB mode encrypts equal blocks alike; use AES GCM (`AES.MODE_GCM`)");
      return;
    }
    auto q = callee(node, ctx);
    if (!q) return;
    if (kWeakCiphers.count(*q)) {
      ctx.report("VG602", node, "`" + last_component(q->ends_with(".new") ? q->substr(0, q->size() - 4) : *q) +
                                    "` is broken or has 64-bit blocks; use AES-GCM or ChaCha20-Poly1305");
    } else if (*q == "cryptography.hazmat.primitives.ciphers.modes.ECB") {
      ctx.report("VG602", node, "`modes.ECB` encrypts equal blocks alike; use GCM (`modes.GCM(nonce)`) or AESGCM");
    } else if (*q == "cryptography.hazmat.primitives.asymmetric.rsa.generate_private_key" ||
               *q == "cryptography.hazmat.primitives.asymmetric.dsa.generate_private_key" ||
               *q == "Crypto.PublicKey.RSA.generate" || *q == "Crypto.PublicKey.DSA.generate") {
      TSNode size = q->starts_with("Crypto.") ? call_arg(node, 0, "bits", ctx) : keyword_arg(node, "key_size", ctx);
      if (is_null(size) && !q->starts_with("Crypto.")) size = positional_arg(node, 1);
      auto bits = ctx.model().number(size, ctx.scope());
      if (bits && *bits < 2048)
        ctx.report("VG602", size, "a " + with_commas(*bits) + "-bit key is breakable; use at least 2048 bits (3072 "
                                  "for use beyond 2030)");
    }
  }
};

// ---------------------------------------------------------------- VG605

class HardcodedCryptoKey : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG605"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    if (is_test_file(ctx.file().path())) return;  // tests use cheap costs, fixed keys, plain cookies on purpose
    auto q = callee(call, ctx);
    if (!q) return;
    std::vector<std::pair<TSNode, const char*>> keys;
    if (*q == "cryptography.fernet.Fernet") keys.push_back({call_arg(call, 0, "key", ctx), "key"});
    else if (q->starts_with("cryptography.hazmat.primitives.ciphers.algorithms.") ||
             q->starts_with("cryptography.hazmat.primitives.ciphers.aead."))
      keys.push_back({call_arg(call, 0, "key", ctx), "key"});
    else if (q->starts_with("cryptography.hazmat.primitives.ciphers.modes."))
      keys.push_back({positional_arg(call, 0), "IV/nonce"});
    else if ((q->starts_with("Crypto.Cipher.") || q->starts_with("Cryptodome.Cipher.")) && q->ends_with(".new")) {
      keys.push_back({call_arg(call, 0, "key", ctx), "key"});
      for (const char* iv : {"iv", "nonce", "IV"}) keys.push_back({keyword_arg(call, iv, ctx), "IV/nonce"});
    }
    for (auto [value, what] : keys) {
      if (is_null(value)) continue;
      auto text = constant_string(value, ctx);
      if (!text || text->empty()) continue;
      ctx.report("VG605", value,
                 std::string("the ") + what + " passed to `" + std::string(ctx.text(field(call, "function"))) +
                     "` is written in the source; load keys from a key store and make IVs/nonces random per message "
                     "(`os.urandom`)");
    }
  }
};

// ---------------------------------------------------------------- VG606

const std::unordered_set<std::string_view> kRandomFunctions = {
    "random.random", "random.randint", "random.randrange", "random.choice", "random.choices", "random.sample",
    "random.getrandbits", "random.shuffle", "random.uniform", "random.randbytes", "numpy.random.randint",
    "numpy.random.rand", "numpy.random.choice"};

class InsecureRandomness : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG606"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    if (!q || !kRandomFunctions.count(*q)) return;
    std::string why = secret_context(call, ctx);
    if (why.empty()) return;
    std::string message = "`" + *q + "` is predictable (Mersenne Twister) but makes " + why +
                          "; use the `secrets` module";
    // Fix: the `secrets` function that takes the same arguments.
    std::string fn = q->substr(7);
    bool one_to_one = (fn == "choice" || fn == "getrandbits") && q->starts_with("random.");
    TSNode function = field(call, "function");
    if (!one_to_one || !is(function, "attribute") || !has_import(ctx, "secrets")) {
      ctx.report("VG606", call, message);
      return;
    }
    ctx.report_with_fix("VG606", call, message, function, fn == "choice" ? "secrets.choice" : "secrets.randbits",
                        "use secrets." + std::string(fn == "choice" ? "choice" : "randbits"));
  }

 private:
  static bool has_import(const Context& ctx, const std::string& module) {
    const auto& names = ctx.model().scope(0).names;
    auto it = names.find(module);
    return it != names.end() && !it->second.empty() && it->second.front().kind == Def::Kind::import &&
           it->second.front().qualified == module;
  }

  // "`make_token`" or "`reset_code`" when the value is a secret, else "".
  static std::string secret_context(TSNode call, const Context& ctx) {
    auto secret = [](std::string_view name) {
      auto words = words_of(name);
      for (size_t i = 0; i < words.size(); ++i) {
        // status_code, error_code, country_code... are not one-time codes.
        static const std::set<std::string, std::less<>> kNotSecretCodes = {
            "status", "error", "exit", "return", "country", "language", "lang", "zip", "postal",
            "http", "response", "color", "currency", "area", "region", "source", "op"};
        if (words[i] == "code" && i > 0 && kNotSecretCodes.count(words[i - 1])) continue;
        for (const char* s : {"token", "password", "passwd", "pwd", "secret", "key", "salt", "nonce", "session",
                              "otp", "csrf", "iv", "apikey", "passphrase", "credential", "code", "pin"})
          if (words[i] == s) return true;
      }
      return false;
    };
    TSNode parent = parent_of(call);
    for (int i = 0; i < 6 && !is_null(parent); ++i, parent = parent_of(parent)) {
      if (is(parent, "assignment")) {
        // The value is named: its name says what it is (`delay = random.uniform(...)` in
        // refresh_token is a jitter, not a token).
        std::string target = name_of(field(parent, "left"), ctx);
        if (secret(target)) return "`" + target + "`";
        if (!target.empty()) return {};
        break;
      }
      if (is(parent, "return_statement") || is(parent, "block")) break;
    }
    int fn = ctx.model().enclosing_function(ctx.scope());
    if (fn >= 0) {
      std::string name(ctx.text(field(ctx.model().scope(fn).node, "name")));
      if (secret(name)) return "`" + name + "`";
    }
    return {};
  }
};

}  // namespace

VIGIL_REGISTER_PYTHON_CHECKER(WeakHash);
VIGIL_REGISTER_PYTHON_CHECKER(WeakHmacDigest);
VIGIL_REGISTER_PYTHON_CHECKER(WeakCipher);
VIGIL_REGISTER_PYTHON_CHECKER(HardcodedCryptoKey);
VIGIL_REGISTER_PYTHON_CHECKER(InsecureRandomness);
VIGIL_REGISTER_PYTHON_CHECKER(WeakKdfParameters);
VIGIL_REGISTER_PYTHON_CHECKER(KdfSaltNotStored);

}  // namespace vigil::python
