// Family 8, errors and logging, for C++: VG801 secret-in-log.
#include <string>

#include "core/vocabulary.h"
#include "frontends/cpp/checker.h"

namespace vigil::cpp {
namespace {

using namespace match;

// The secret a logged argument holds: `password`, `cfg.api_key`,
// `token.c_str()`; "" for anything else (literals name a secret, they do not
// hold one; calls such as mask(token) or token.size() derive something else).
std::string secret_held(const clang::Expr* e) {
  e = e->IgnoreParenImpCasts();
  if (const auto* bind = llvm::dyn_cast<clang::CXXBindTemporaryExpr>(e)) e = bind->getSubExpr()->IgnoreParenImpCasts();
  if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(e))
    if (construct->getNumArgs() == 1) e = construct->getArg(0)->IgnoreParenImpCasts();
  if (const auto* call = llvm::dyn_cast<clang::CXXMemberCallExpr>(e)) {
    const auto* method = call->getMethodDecl();
    if (!method || !method->getDeclName().isIdentifier()) return {};
    std::string m = method->getName().str();
    if (m != "c_str" && m != "data" && m != "toStdString" && m != "toUtf8" && m != "constData") return {};
    e = call->getImplicitObjectArgument()->IgnoreParenImpCasts();
  }
  std::string name;
  if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(e)) name = ref->getDecl()->getNameAsString();
  else if (const auto* member = llvm::dyn_cast<clang::MemberExpr>(e)) name = member->getMemberDecl()->getNameAsString();
  return !name.empty() && is_secret_name(name) ? name : std::string();
}

// Is `e` (the left side of a << chain) std::cout/cerr/clog or a Qt QDebug stream?
bool is_log_stream(const clang::Expr* e) {
  while (true) {
    e = e->IgnoreParenImpCasts();
    const auto* op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(e);
    if (!op || op->getOperator() != clang::OO_LessLess || op->getNumArgs() != 2) break;
    e = op->getArg(0);
  }
  if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(e)) {
    std::string q = ref->getDecl()->getQualifiedNameAsString();
    return q == "std::cout" || q == "std::cerr" || q == "std::clog";
  }
  const clang::CXXRecordDecl* r = e->getType().getNonReferenceType()->getAsCXXRecordDecl();
  return r && r->getQualifiedNameAsString() == "QDebug";
}

class SecretInLog : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG801"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::printf", "::fprintf", "::dprintf", "::syslog",
                                                               "::puts", "::fputs"))
                                          .bind("fn")))
                          .bind("call"),
                      cb);
    finder.addMatcher(cxxOperatorCallExpr(hasOverloadedOperatorName("<<"), argumentCountIs(2)).bind("shift"), cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    if (const auto* shift = r.Nodes.getNodeAs<clang::CXXOperatorCallExpr>("shift")) {
      std::string secret = secret_held(shift->getArg(1));
      if (!secret.empty() && is_log_stream(shift->getArg(0))) report(shift->getArg(1), secret, "the stream", ctx);
      return;
    }
    const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call");
    std::string fn = r.Nodes.getNodeAs<clang::FunctionDecl>("fn")->getNameAsString();
    for (const clang::Expr* arg : call->arguments())
      if (std::string secret = secret_held(arg); !secret.empty()) return report(arg, secret, "`" + fn + "`", ctx);
  }

 private:
  static void report(const clang::Expr* arg, const std::string& secret, const std::string& sink, Context& ctx) {
    ctx.report("VG801", arg->getSourceRange(),
               "`" + secret + "` is written to the log by " + sink +
                   ": logs are kept, shipped and read by many; log that it was set, or a masked form");
  }
};

}  // namespace

VIGIL_REGISTER_CPP_CHECKER(SecretInLog);

}  // namespace vigil::cpp
