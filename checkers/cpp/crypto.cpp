// Family 6, cryptography, for C++ (OpenSSL, the standard library):
// VG601 weak-hash, VG602 weak-cipher, VG603 weak-kdf-parameters, VG605 hardcoded-crypto-key,
// VG606 insecure-randomness.
#include <string>

#include "core/vocabulary.h"
#include "frontends/cpp/checker.h"
#include "frontends/cpp/strings.h"

namespace vigil::cpp {
namespace {

using namespace match;

std::string called_name(const clang::Expr* e) {
  const auto* call = llvm::dyn_cast_or_null<clang::CallExpr>(e ? e->IgnoreParenImpCasts() : nullptr);
  const clang::FunctionDecl* fn = call ? call->getDirectCallee() : nullptr;
  return fn ? fn->getNameAsString() : std::string();
}

std::string with_commas(int64_t v) {
  std::string digits = std::to_string(v);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return digits;
}

// ---------------------------------------------------------------- VG601

class WeakHash : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG601"}; }

  // MD5/SHA-1 where collisions or preimages matter: MACs, signatures,
  // certificates, key derivation. Checksums elsewhere are not reported.
  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    auto weak = callExpr(callee(functionDecl(hasAnyName("::EVP_md5", "::EVP_sha1", "::EVP_md4", "::EVP_md5_sha1"))
                                    .bind("weak_fn")))
                    .bind("weak");
    finder.addMatcher(
        callExpr(callee(functionDecl(hasAnyName("::HMAC", "::HMAC_Init_ex", "::EVP_DigestSignInit",
                                                "::EVP_DigestVerifyInit", "::EVP_SignInit", "::EVP_SignInit_ex",
                                                "::EVP_VerifyInit", "::EVP_VerifyInit_ex", "::X509_sign",
                                                "::X509_REQ_sign", "::X509_CRL_sign", "::PKCS5_PBKDF2_HMAC",
                                                "::EVP_PKEY_CTX_set_signature_md"))
                            .bind("use_fn")),
                 hasAnyArgument(ignoringParenImpCasts(weak)))
            .bind("use"),
        cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* weak = r.Nodes.getNodeAs<clang::CallExpr>("weak");
    std::string hash = r.Nodes.getNodeAs<clang::FunctionDecl>("weak_fn")->getNameAsString();
    std::string use = r.Nodes.getNodeAs<clang::FunctionDecl>("use_fn")->getNameAsString();
    ctx.report("VG601", weak->getSourceRange(),
               "`" + hash + "` in `" + use + "`: MD5 and SHA-1 collisions are practical, so signatures and MACs "
               "built on them can be forged; use EVP_sha256() or stronger");
  }
};

// ---------------------------------------------------------------- VG602

class WeakCipher : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG602"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(
        callExpr(callee(functionDecl(matchesName("^::(EVP_(des|desx|rc4|rc2|bf|cast5|idea|seed)(_.*)?|EVP_.*_ecb|"
                                                 "DES_.*|RC4|RC4_set_key|RC2_.*|BF_.*)$"))
                            .bind("fn")))
            .bind("call"),
        cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call");
    std::string name = r.Nodes.getNodeAs<clang::FunctionDecl>("fn")->getNameAsString();
    bool ecb = name.ends_with("_ecb") && name.find("des") == std::string::npos;
    ctx.report("VG602", call->getSourceRange(),
               ecb ? "`" + name + "` is ECB mode: equal plaintext blocks give equal ciphertext blocks; use "
                                  "EVP_aes_256_gcm() (or CBC/CTR with a random IV and a MAC)"
                   : "`" + name + "` uses a broken or 64-bit-block cipher (DES, 3DES, RC2, RC4, Blowfish, CAST5, "
                                  "IDEA, SEED); use EVP_aes_256_gcm() or EVP_chacha20_poly1305()");
  }
};

// ---------------------------------------------------------------- VG603

class WeakKdfParameters : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG603"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::PKCS5_PBKDF2_HMAC", "::PKCS5_PBKDF2_HMAC_SHA1",
                                                                "::EVP_PBE_scrypt"))
                                          .bind("fn")))
                          .bind("call"),
                      cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call");
    std::string name = r.Nodes.getNodeAs<clang::FunctionDecl>("fn")->getNameAsString();
    if (call->getNumArgs() < 5) return;
    auto value = integer(call->getArg(4), ctx.ast());
    if (!value || *value <= 0) return;  // scrypt N = 0 means OpenSSL's default
    if (name == "EVP_PBE_scrypt") {
      if (*value < (1 << 15))
        ctx.report("VG603", call->getArg(4)->getSourceRange(),
                   "scrypt N of " + with_commas(*value) + " is below the minimum of 2^15 (32768)");
      return;
    }
    // OWASP 2023: 600,000 for SHA-256, 210,000 for SHA-512, 1,300,000 for SHA-1.
    std::string md = name == "PKCS5_PBKDF2_HMAC_SHA1" ? "EVP_sha1" : called_name(call->getNumArgs() > 5 ? call->getArg(5) : nullptr);
    const auto& configured = ctx.option("VG603", "min-iterations");
    int64_t sha256 = configured.is_number_integer() ? configured.get<int64_t>() : 600'000;
    int64_t floor = md == "EVP_sha1" ? sha256 * 13 / 6 : md == "EVP_sha512" ? sha256 * 7 / 20 : sha256;
    std::string hash = md == "EVP_sha1" ? "SHA1" : md == "EVP_sha512" ? "SHA512" : "SHA256";
    if (*value < floor)
      ctx.report("VG603", call->getArg(4)->getSourceRange(),
                 "PBKDF2-HMAC-" + hash + " with " + with_commas(*value) + " iterations is below the " +
                     with_commas(floor) + " that OWASP recommends (2023)");
  }
};

// ---------------------------------------------------------------- VG605

// Is the expression a key written in the source: a string literal, or a
// variable initialised with one or with a brace list of constants?
bool is_literal_key(const clang::Expr* e, const clang::ASTContext& ast) {
  e = e->IgnoreParenCasts();
  if (llvm::isa<clang::StringLiteral>(e)) return true;
  const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(e);
  const auto* var = ref ? llvm::dyn_cast<clang::VarDecl>(ref->getDecl()) : nullptr;
  if (!var || !var->getInit() || llvm::isa<clang::ParmVarDecl>(var)) return false;
  const clang::Expr* init = var->getInit()->IgnoreParenCasts();
  if (llvm::isa<clang::StringLiteral>(init)) return true;
  if (const auto* list = llvm::dyn_cast<clang::InitListExpr>(init)) {
    if (list->getNumInits() < 2) return false;  // `unsigned char key[32] = {0};` is filled later
    for (const clang::Expr* item : list->inits())
      if (!integer(item, ast)) return false;
    return true;
  }
  return false;
}

class HardcodedCryptoKey : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG605"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::EVP_EncryptInit_ex", "::EVP_DecryptInit_ex",
                                                                "::EVP_CipherInit_ex", "::EVP_EncryptInit",
                                                                "::EVP_DecryptInit", "::EVP_CipherInit",
                                                                "::AES_set_encrypt_key", "::AES_set_decrypt_key"))
                                          .bind("fn")))
                          .bind("call"),
                      cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call");
    std::string name = r.Nodes.getNodeAs<clang::FunctionDecl>("fn")->getNameAsString();
    unsigned key = name.starts_with("AES_") ? 0 : name.ends_with("_ex") ? 3 : 2;
    for (unsigned i : {key, key + 1}) {
      if (i >= call->getNumArgs() || (name.starts_with("AES_") && i != key)) continue;
      const clang::Expr* arg = call->getArg(i);
      if (!is_literal_key(arg, ctx.ast())) continue;
      ctx.report("VG605", arg->getSourceRange(),
                 std::string(i == key ? "the key" : "the IV") + " passed to `" + name +
                     "` is written in the source; load keys from a key store, and make IVs random per message "
                     "(RAND_bytes)");
    }
  }
};

// ---------------------------------------------------------------- VG606

// Names of values that must be unpredictable.
bool names_a_secret_value(std::string_view name) {
  for (const auto& w : words_of(name))
    for (const char* s : {"token", "password", "passwd", "pwd", "secret", "key", "salt", "nonce", "session",
                          "otp", "csrf", "iv", "apikey", "passphrase", "credential", "sessionid"})
      if (w == s) return true;
  return false;
}

class InsecureRandomness : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG606"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(
        callExpr(callee(functionDecl(hasAnyName("::rand", "::random", "::drand48", "::lrand48", "::mrand48",
                                                "::std::rand"))))
            .bind("use"),
        cb);
    finder.addMatcher(cxxConstructExpr(hasType(hasUnqualifiedDesugaredType(recordType(
                                           hasDeclaration(cxxRecordDecl(hasAnyName(
                                               "::std::mersenne_twister_engine", "::std::linear_congruential_engine",
                                               "::std::subtract_with_carry_engine", "::std::discard_block_engine",
                                               "::std::shuffle_order_engine")))))))
                          .bind("use"),
                      cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* use = r.Nodes.getNodeAs<clang::Expr>("use");
    std::string what = secret_context(*use, ctx);
    if (what.empty()) return;
    ctx.report("VG606", use->getSourceRange(),
               "`" + ctx.text(use->getSourceRange(), 30) + "` is a predictable generator, used for " + what +
                   "; use RAND_bytes() or getrandom()");
  }

 private:
  // "the token `t`", "`generate_session_id`", or "" when the value is not secret.
  static std::string secret_context(const clang::Expr& use, const Context& ctx) {
    const clang::FunctionDecl* fn = ctx.enclosing_function(use);
    if (fn && names_a_secret_value(fn->getNameAsString())) return "`" + fn->getNameAsString() + "`";
    // The variable it initialises or is assigned to.
    clang::DynTypedNodeList parents = ctx.ast().getParents(use);
    for (int depth = 0; depth < 6 && !parents.empty(); ++depth) {
      if (const auto* var = parents[0].get<clang::VarDecl>()) {
        if (names_a_secret_value(var->getName())) return "`" + var->getNameAsString() + "`";
        return {};
      }
      if (const auto* assign = parents[0].get<clang::BinaryOperator>(); assign && assign->isAssignmentOp()) {
        if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(assign->getLHS()->IgnoreParenImpCasts()))
          if (names_a_secret_value(ref->getDecl()->getName())) return "`" + ref->getDecl()->getNameAsString() + "`";
        return {};
      }
      if (parents[0].get<clang::Stmt>() && !parents[0].get<clang::Expr>()) return {};
      parents = ctx.ast().getParents(parents[0]);
    }
    return {};
  }
};

}  // namespace

VIGIL_REGISTER_CPP_CHECKER(WeakHash);
VIGIL_REGISTER_CPP_CHECKER(WeakCipher);
VIGIL_REGISTER_CPP_CHECKER(WeakKdfParameters);
VIGIL_REGISTER_CPP_CHECKER(HardcodedCryptoKey);
VIGIL_REGISTER_CPP_CHECKER(InsecureRandomness);

}  // namespace vigil::cpp
