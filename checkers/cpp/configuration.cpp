// Family 7, configuration, for C++: VG703 bind-all-interfaces.
#include <string>

#include "frontends/cpp/checker.h"

namespace vigil::cpp {
namespace {

using namespace match;

// "0.0.0.0" or "::", also through std::string("...") and temporaries.
bool is_all_interfaces(const clang::Expr* e) {
  while (e) {
    e = e->IgnoreParenImpCasts();
    if (const auto* s = llvm::dyn_cast<clang::StringLiteral>(e))
      return s->getCharByteWidth() == 1 && (s->getString() == "0.0.0.0" || s->getString() == "::");
    if (const auto* cast = llvm::dyn_cast<clang::CXXFunctionalCastExpr>(e)) e = cast->getSubExpr();
    else if (const auto* bind = llvm::dyn_cast<clang::CXXBindTemporaryExpr>(e)) e = bind->getSubExpr();
    else if (const auto* temp = llvm::dyn_cast<clang::MaterializeTemporaryExpr>(e)) e = temp->getSubExpr();
    else if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(e))
      e = construct->getNumArgs() > 0 ? construct->getArg(0) : nullptr;
    else return false;
  }
  return false;
}

class BindAllInterfaces : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG703"}; }

  // The host argument of a server's listen call: cpp-httplib Server::listen /
  // bind_to_port, Crow's bindaddr, Drogon's addListener; and inet_pton /
  // inet_addr of the any-address for a socket.
  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(
        cxxMemberCallExpr(callee(cxxMethodDecl(anyOf(
                              allOf(hasAnyName("listen", "bind_to_port", "bind_to_any_port"),
                                    ofClass(isSameOrDerivedFrom("::httplib::Server"))),
                              allOf(hasName("bindaddr"), ofClass(matchesName("^::crow::"))),
                              allOf(hasName("addListener"), ofClass(hasName("::drogon::HttpAppFramework")))))))
            .bind("call"),
        cb);
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::inet_pton", "::inet_addr", "::inet_aton"))))
                          .bind("call"),
                      cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call");
    for (const clang::Expr* arg : call->arguments())
      if (is_all_interfaces(arg)) {
        ctx.report("VG703", arg->getSourceRange(),
                   "binds every network interface (" + ctx.text(arg->getSourceRange()) +
                       "): the service is reachable from any network the host is on; bind 127.0.0.1 and put a "
                       "reverse proxy in front, or make the address configurable");
        return;
      }
  }
};

}  // namespace

VIGIL_REGISTER_CPP_CHECKER(BindAllInterfaces);

}  // namespace vigil::cpp
