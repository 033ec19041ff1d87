// Family 1, credentials, for C++: VG101 plaintext-password-storage, VG102 weak-password-hash, VG103
// non-constant-time-compare, VG104 hardcoded-secret, VG107 jwt-weak-secret
// (jwt-cpp HMAC keys). The names of secrets come from core/vocabulary.
#include <algorithm>
#include <cctype>
#include <functional>
#include <string>

#include "core/vocabulary.h"
#include "frontends/cpp/checker.h"
#include "frontends/cpp/strings.h"

namespace vigil::cpp {
namespace {

using namespace match;

constexpr size_t kMinHmacKeyBytes = 32;

// The name an operand is known by: a variable, a member, or a getter (`token()`).
std::string name_of(const clang::Expr* e) {
  e = strip_string_wrappers(e);
  if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(e)) return ref->getDecl()->getNameAsString();
  if (const auto* member = llvm::dyn_cast<clang::MemberExpr>(e)) return member->getMemberDecl()->getNameAsString();
  if (const auto* call = llvm::dyn_cast<clang::CXXMemberCallExpr>(e))
    if (const auto* m = call->getMethodDecl(); m && m->getDeclName().isIdentifier()) return m->getNameAsString();
  return {};
}

bool is_test_source(const Context& ctx, clang::SourceLocation loc) {
  const clang::SourceManager& sm = ctx.sm();
  return is_test_file(sm.getFilename(sm.getExpansionLoc(loc)).str());
}

// ---------------------------------------------------------------- VG101

// Constant SQL that writes a password column.
bool writes_password_column(const clang::Expr* sql, clang::ASTContext& ast) {
  StringFacts f = string_facts(sql, ast);
  if (!f.is_constant()) return false;
  std::string t = lower(f.text);
  bool writes = t.find("insert") != std::string::npos || t.find("update") != std::string::npos;
  return writes && (t.find("pass") != std::string::npos || t.find("pwd") != std::string::npos);
}

// Does the function holding `node` prepare such a statement (sqlite3_prepare*, QSqlQuery::prepare)?
bool prepares_password_write(const clang::Stmt& node, const Context& ctx) {
  const clang::Stmt* body = ctx.enclosing_body(node);
  bool found = false;
  std::function<void(const clang::Stmt*)> walk = [&](const clang::Stmt* s) {
    if (!s || found) return;
    if (const auto* call = llvm::dyn_cast<clang::CallExpr>(s))
      if (const clang::FunctionDecl* fn = call->getDirectCallee()) {
        std::string n = fn->getQualifiedNameAsString();
        unsigned sql = n.starts_with("sqlite3_prepare") ? 1 : n == "QSqlQuery::prepare" ? 0 : 99;
        if (sql < call->getNumArgs() && writes_password_column(call->getArg(sql), ctx.ast())) found = true;
      }
    for (const clang::Stmt* child : s->children()) walk(child);
  };
  walk(body);
  return found;
}

class PlaintextPasswordStorage : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG101"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::sqlite3_bind_text", "::sqlite3_bind_blob",
                                                                "::pqxx::transaction_base::exec_params",
                                                                "::pqxx::transaction_base::exec_params0",
                                                                "::pqxx::transaction_base::exec_params1",
                                                                "::QSqlQuery::bindValue", "::QSqlQuery::addBindValue"))
                                          .bind("fn")))
                          .bind("call"),
                      cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call");
    std::string fn = r.Nodes.getNodeAs<clang::FunctionDecl>("fn")->getQualifiedNameAsString();
    const clang::Expr* value = nullptr;
    if (fn.starts_with("sqlite3_bind")) {
      if (call->getNumArgs() < 3 || !prepares_password_write(*call, ctx)) return;
      value = call->getArg(2);
    } else if (fn.starts_with("QSqlQuery::")) {
      if (call->getNumArgs() < 1 || !prepares_password_write(*call, ctx)) return;
      value = call->getArg(call->getNumArgs() == 1 || fn.ends_with("addBindValue") ? 0 : 1);
    } else {  // pqxx exec_params(sql, args...)
      if (call->getNumArgs() < 2 || !writes_password_column(call->getArg(0), ctx.ast())) return;
      for (unsigned i = 1; i < call->getNumArgs() && !value; ++i)
        if (is_password_name(name_of(call->getArg(i)))) value = call->getArg(i);
    }
    if (!value || !is_password_name(name_of(value))) return;
    ctx.report("VG101", value->getSourceRange(),
               "password `" + name_of(value) + "` is written to the database in plaintext; store a hash "
               "(argon2id via libsodium crypto_pwhash_str, or bcrypt) instead");
  }
};

// ---------------------------------------------------------------- VG102

class WeakPasswordHash : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG102"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::MD5", "::SHA1", "::SHA224", "::SHA256", "::SHA384",
                                                                "::SHA512", "::EVP_Digest", "::EVP_DigestUpdate",
                                                                "::MD5_Update", "::SHA1_Update", "::SHA256_Update",
                                                                "::SHA512_Update"))
                                          .bind("fn")))
                          .bind("call"),
                      cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call");
    std::string name = r.Nodes.getNodeAs<clang::FunctionDecl>("fn")->getNameAsString();
    unsigned data = name.ends_with("Update") ? 1 : 0;
    if (data >= call->getNumArgs()) return;
    std::string what = name_of(call->getArg(data));
    if (what.empty() || !is_password_name(what)) return;
    ctx.report("VG102", call->getSourceRange(),
               "password `" + what + "` hashed with the fast hash `" + name +
                   "`; use a password hash (argon2id via libsodium's crypto_pwhash, bcrypt, or PBKDF2 with "
                   "600,000 iterations)");
  }
};

// ---------------------------------------------------------------- VG103

class NonConstantTimeCompare : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG103"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::strcmp", "::strncmp", "::memcmp", "::bcmp",
                                                                "::std::strcmp", "::std::strncmp", "::std::memcmp"))
                                          .bind("fn")))
                          .bind("call"),
                      cb);
    finder.addMatcher(cxxOperatorCallExpr(hasAnyOverloadedOperatorName("==", "!=")).bind("op"), cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const clang::Expr* a = nullptr;
    const clang::Expr* b = nullptr;
    const clang::Expr* at = nullptr;
    std::string how;
    if (const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call")) {
      if (call->getNumArgs() < 2) return;
      a = call->getArg(0), b = call->getArg(1), at = call;
      how = "`" + r.Nodes.getNodeAs<clang::FunctionDecl>("fn")->getNameAsString() + "`";
    } else if (const auto* op = r.Nodes.getNodeAs<clang::CXXOperatorCallExpr>("op")) {
      if (op->getNumArgs() != 2 || !is_string(op->getArg(0)->getType())) return;
      a = op->getArg(0), b = op->getArg(1), at = op;
      how = op->getOperator() == clang::OO_EqualEqual ? "`==`" : "`!=`";
    }
    if (!at || is_test_source(ctx, at->getBeginLoc())) return;
    if (is_trivial(a, ctx) || is_trivial(b, ctx)) return;
    std::string secret = is_secret_name(name_of(a)) ? name_of(a) : is_secret_name(name_of(b)) ? name_of(b) : "";
    if (secret.empty()) return;
    ctx.report("VG103", at->getSourceRange(),
               "secret `" + secret + "` compared with " + how +
                   ", which stops at the first differing byte; use CRYPTO_memcmp() (OpenSSL) or sodium_memcmp()");
  }

 private:
  static bool is_string(clang::QualType t) {
    const clang::CXXRecordDecl* record = t.getNonReferenceType()->getAsCXXRecordDecl();
    if (!record) return false;
    std::string n = record->getQualifiedNameAsString();
    return n == "std::basic_string" || n == "std::__cxx11::basic_string" || n == "QString" || n == "QByteArray" ||
           n == "std::basic_string_view";
  }

  // Literals, empty strings, null: nothing to time.
  static bool is_trivial(const clang::Expr* e, const Context& ctx) {
    const clang::Expr* s = strip_string_wrappers(e);
    if (llvm::isa<clang::StringLiteral, clang::CXXNullPtrLiteralExpr, clang::IntegerLiteral, clang::GNUNullExpr>(s))
      return true;
    return string_facts(e, ctx.ast()).is_constant() && !llvm::isa<clang::DeclRefExpr>(s);
  }
};

// ---------------------------------------------------------------- VG104 / VG107

bool looks_like_secret_value(const std::string& v) {
  if (v.size() < 4) return false;
  if (std::any_of(v.begin(), v.end(), [](unsigned char c) { return std::isspace(c); })) return false;
  return v.find("://") == std::string::npos && v[0] != '/';
}

class HardcodedSecret : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG104", "VG107"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(varDecl(hasInitializer(expr().bind("init"))).bind("var"), cb);
    finder.addMatcher(fieldDecl(hasInClassInitializer(expr().bind("init"))).bind("field"), cb);
    // jwt-cpp: jwt::algorithm::hs256{"secret"}
    finder.addMatcher(cxxConstructExpr(hasDeclaration(cxxConstructorDecl(ofClass(
                                           hasAnyName("::jwt::algorithm::hs256", "::jwt::algorithm::hs384",
                                                      "::jwt::algorithm::hs512")))))
                          .bind("hmac"),
                      cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    if (const auto* construct = r.Nodes.getNodeAs<clang::CXXConstructExpr>("hmac")) return check_jwt_key(construct, ctx);
    const auto* init = r.Nodes.getNodeAs<clang::Expr>("init");
    const clang::NamedDecl* decl = r.Nodes.getNodeAs<clang::VarDecl>("var");
    if (!decl) decl = r.Nodes.getNodeAs<clang::FieldDecl>("field");
    if (!decl || !init || llvm::isa<clang::ParmVarDecl>(decl)) return;
    std::string name = decl->getNameAsString();
    const auto& skip = ctx.option("VG104", "skip-test-files");
    bool skip_tests = !skip.is_boolean() || skip.get<bool>();
    if (!is_secret_name(name) || (skip_tests && is_test_source(ctx, decl->getLocation()))) return;
    const auto* literal = llvm::dyn_cast<clang::StringLiteral>(strip_string_wrappers(init));
    if (!literal || literal->getCharByteWidth() != 1) return;
    std::string value = literal->getString().str();
    if (!looks_like_secret_value(value) || is_placeholder(value, name)) return;
    ctx.report("VG104", literal->getSourceRange(),
               "hard-coded secret in `" + name + "`; read it from the environment or a secret store at run time");
  }

 private:
  static void check_jwt_key(const clang::CXXConstructExpr* construct, Context& ctx) {
    if (construct->getNumArgs() == 0) return;
    const clang::Expr* key = construct->getArg(0);
    StringFacts facts = string_facts(key, ctx.ast());
    if (!facts.is_constant()) return;
    const clang::Expr* bare = strip_string_wrappers(key);
    // A secret-named constant was reported where it is defined.
    bool named_secret = llvm::isa<clang::DeclRefExpr>(bare) && is_secret_name(name_of(bare));
    if (!named_secret && !facts.text.empty() && !is_placeholder(facts.text) && !is_test_source(ctx, key->getBeginLoc()))
      ctx.report("VG104", key->getSourceRange(), "hard-coded JWT signing key; read it from the environment or a secret store");
    if (facts.text.size() < kMinHmacKeyBytes)
      ctx.report("VG107", key->getSourceRange(),
                 "HMAC JWT secret is " + std::to_string(facts.text.size()) + " bytes; HS256 needs at least " +
                     std::to_string(kMinHmacKeyBytes) + " random bytes");
  }
};

}  // namespace

VIGIL_REGISTER_CPP_CHECKER(PlaintextPasswordStorage);
VIGIL_REGISTER_CPP_CHECKER(WeakPasswordHash);
VIGIL_REGISTER_CPP_CHECKER(NonConstantTimeCompare);
VIGIL_REGISTER_CPP_CHECKER(HardcodedSecret);

}  // namespace vigil::cpp
