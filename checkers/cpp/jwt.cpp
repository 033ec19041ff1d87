// Family 1, JWT, for C++ (jwt-cpp): VG105 jwt-missing-expiry, VG106
// jwt-unverified-decode.
#include <clang/AST/RecursiveASTVisitor.h>

#include <set>
#include <string>

#include "frontends/cpp/checker.h"
#include "frontends/cpp/strings.h"

namespace vigil::cpp {
namespace {

using namespace match;

std::string method_name(const clang::CXXMemberCallExpr* call) {
  const clang::CXXMethodDecl* m = call->getMethodDecl();
  return m && m->getDeclName().isIdentifier() ? m->getNameAsString() : std::string();
}

const clang::VarDecl* referenced_var(const clang::Expr* e) {
  const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(e->IgnoreParenImpCasts());
  return ref ? llvm::dyn_cast<clang::VarDecl>(ref->getDecl()) : nullptr;
}

// What a function body does with one variable: the methods called on it,
// and whether it is handed to other code (returned, passed to a call).
class VarUses : public clang::RecursiveASTVisitor<VarUses> {
 public:
  explicit VarUses(const clang::VarDecl* var) : var_(var) {}
  std::set<std::string> methods;
  std::set<std::string> verifier_calls;  // verify(...) calls that take the variable
  bool escapes = false;

  bool VisitCXXMemberCallExpr(clang::CXXMemberCallExpr* call) {
    const clang::Expr* object = call->getImplicitObjectArgument();
    if (object && referenced_var(object) == var_) methods.insert(method_name(call));
    for (const clang::Expr* arg : call->arguments())
      if (referenced_var(arg) == var_) {
        if (method_name(call) == "verify") verifier_calls.insert("verify");
        else escapes = true;
      }
    return true;
  }
  bool VisitCallExpr(clang::CallExpr* call) {
    if (llvm::isa<clang::CXXMemberCallExpr>(call)) return true;
    for (const clang::Expr* arg : call->arguments())
      if (referenced_var(arg) == var_) escapes = true;
    return true;
  }
  bool VisitReturnStmt(clang::ReturnStmt* ret) {
    if (ret->getRetValue() && referenced_var(ret->getRetValue()) == var_) escapes = true;
    return true;
  }

 private:
  const clang::VarDecl* var_;
};

VarUses uses_in_function(const clang::VarDecl* var) {
  VarUses uses(var);
  if (const auto* fn = llvm::dyn_cast_or_null<clang::FunctionDecl>(var->getParentFunctionOrMethod()))
    if (fn->hasBody()) uses.TraverseStmt(fn->getBody());
  return uses;
}

// ---------------------------------------------------------------- VG105

class JwtMissingExpiry : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG105"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(
        cxxMemberCallExpr(callee(cxxMethodDecl(hasName("sign"), ofClass(matchesName("^::jwt::builder"))))).bind("sign"),
        cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* sign = r.Nodes.getNodeAs<clang::CXXMemberCallExpr>("sign");
    // Walk the builder chain: jwt::create().set_issuer(...).set_expires_at(...).sign(...)
    std::set<std::string> methods;
    const clang::Expr* object = sign->getImplicitObjectArgument();
    for (int depth = 0; object && depth < 64; ++depth) {
      object = object->IgnoreParenImpCasts();
      if (const auto* temp = llvm::dyn_cast<clang::MaterializeTemporaryExpr>(object)) object = temp->getSubExpr();
      if (const auto* call = llvm::dyn_cast<clang::CXXMemberCallExpr>(object)) {
        methods.insert(method_name(call));
        object = call->getImplicitObjectArgument();
        continue;
      }
      if (const clang::VarDecl* var = referenced_var(object)) {  // auto token = jwt::create(); token.set_...
        VarUses uses = uses_in_function(var);
        if (uses.escapes) return;
        methods.insert(uses.methods.begin(), uses.methods.end());
      }
      break;
    }
    if (methods.count("set_expires_at") || methods.count("set_expires_in")) return;
    ctx.report("VG105", sign->getSourceRange(),
               "jwt-cpp token signed without `set_expires_at`/`set_expires_in`: it is valid forever");
  }
};

// ---------------------------------------------------------------- VG106

class JwtUnverifiedDecode : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG106"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(varDecl(hasInitializer(ignoringImplicit(
                                  callExpr(callee(functionDecl(hasName("::jwt::decode")))).bind("decode"))))
                          .bind("decoded"),
                      cb);
    finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("allow_algorithm"))),
                                        hasArgument(0, hasType(hasUnqualifiedDesugaredType(recordType(
                                                           hasDeclaration(cxxRecordDecl(hasName("::jwt::algorithm::none"))))))))
                          .bind("none"),
                      cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    if (const auto* none = r.Nodes.getNodeAs<clang::CXXMemberCallExpr>("none")) {
      ctx.report("VG106", none->getSourceRange(),
                 "the verifier allows `jwt::algorithm::none`: unsigned tokens pass verification", Severity::critical);
      return;
    }
    const auto* decoded = r.Nodes.getNodeAs<clang::VarDecl>("decoded");
    const auto* decode = r.Nodes.getNodeAs<clang::CallExpr>("decode");
    VarUses uses = uses_in_function(decoded);
    if (uses.escapes || !uses.verifier_calls.empty()) return;
    ctx.report("VG106", decode->getSourceRange(),
               "`jwt::decode` result `" + decoded->getNameAsString() +
                   "` is used without `jwt::verify()...verify(" + decoded->getNameAsString() +
                   ")`: its signature and expiry are never checked");
  }
};

}  // namespace

VIGIL_REGISTER_CPP_CHECKER(JwtMissingExpiry);
VIGIL_REGISTER_CPP_CHECKER(JwtUnverifiedDecode);

}  // namespace vigil::cpp
