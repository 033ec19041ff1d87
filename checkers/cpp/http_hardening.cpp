// Family 5, HTTP hardening, for C++: VG505 tls-verification-disabled
// (libcurl, OpenSSL, cpp-httplib).
#include <string>

#include "frontends/cpp/checker.h"

namespace vigil::cpp {
namespace {

using namespace match;

std::optional<int64_t> integer(const clang::Expr* e, const clang::ASTContext& ast) {
  clang::Expr::EvalResult result;
  if (!e || e->isValueDependent() || !e->EvaluateAsInt(result, ast)) return std::nullopt;
  return result.Val.getInt().getExtValue();
}

// The enumerator an argument names (CURLOPT_SSL_VERIFYPEER), or "".
std::string enumerator(const clang::Expr* e) {
  const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(e->IgnoreParenImpCasts());
  const auto* constant = ref ? llvm::dyn_cast<clang::EnumConstantDecl>(ref->getDecl()) : nullptr;
  return constant ? constant->getNameAsString() : std::string();
}

// A local SSL_CTX* made by SSL_CTX_new(TLS_client_method()) (or another *_client_method).
bool is_client_context(const clang::Expr* e) {
  const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(e->IgnoreParenImpCasts());
  const auto* var = ref ? llvm::dyn_cast<clang::VarDecl>(ref->getDecl()) : nullptr;
  const auto* init = var && var->getInit() ? llvm::dyn_cast<clang::CallExpr>(var->getInit()->IgnoreParenImpCasts()) : nullptr;
  if (!init || !init->getDirectCallee() || init->getDirectCallee()->getName() != "SSL_CTX_new" || init->getNumArgs() != 1)
    return false;
  const auto* method = llvm::dyn_cast<clang::CallExpr>(init->getArg(0)->IgnoreParenImpCasts());
  return method && method->getDirectCallee() && method->getDirectCallee()->getName().contains("client");
}

class TlsVerificationDisabled : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG505"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::curl_easy_setopt", "::SSL_CTX_set_verify"))
                                          .bind("fn")))
                          .bind("call"),
                      cb);
    finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("enable_server_certificate_verification"),
                                                             ofClass(matchesName("^::httplib::")))))
                          .bind("httplib"),
                      cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    if (const auto* call = r.Nodes.getNodeAs<clang::CXXMemberCallExpr>("httplib")) {
      if (call->getNumArgs() == 1 && integer(call->getArg(0), ctx.ast()) == 0)
        ctx.report("VG505", call->getSourceRange(),
                   "`enable_server_certificate_verification(false)`: any certificate is accepted, so anyone on the "
                   "path can read and change the traffic");
      return;
    }
    const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call");
    std::string name = r.Nodes.getNodeAs<clang::FunctionDecl>("fn")->getNameAsString();
    if (call->getNumArgs() < 2) return;
    if (name == "curl_easy_setopt") {
      if (call->getNumArgs() < 3) return;
      std::string option = enumerator(call->getArg(1));
      bool verify = option == "CURLOPT_SSL_VERIFYPEER" || option == "CURLOPT_SSL_VERIFYHOST" ||
                    option == "CURLOPT_PROXY_SSL_VERIFYPEER" || option == "CURLOPT_PROXY_SSL_VERIFYHOST";
      if (verify && integer(call->getArg(2), ctx.ast()) == 0)
        ctx.report("VG505", call->getSourceRange(),
                   "`" + option + "` set to 0 turns off TLS certificate checks: anyone on the path can read and "
                   "change the traffic; keep the defaults (1 and 2) and set CURLOPT_CAINFO if needed");
      return;
    }
    // SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, ...) on a client context
    // (servers rightly skip client certificates). SSL_VERIFY_NONE is 0.
    if (name == "SSL_CTX_set_verify" && is_client_context(call->getArg(0)) && integer(call->getArg(1), ctx.ast()) == 0)
      ctx.report("VG505", call->getSourceRange(),
                 "`" + name + "` with SSL_VERIFY_NONE accepts any certificate; use SSL_VERIFY_PEER with a trust store");
  }
};

}  // namespace

VIGIL_REGISTER_CPP_CHECKER(TlsVerificationDisabled);

}  // namespace vigil::cpp
