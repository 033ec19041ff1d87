// Family 5, HTTP hardening, for C++: VG505 tls-verification-disabled
// (libcurl, OpenSSL, cpp-httplib); VG503 permissive-cors and VG506
// legacy-xss-protection-header for cpp-httplib; and the facts VG501/VG502
// are decided on in the project phase (web.app, web.header, web.route,
// web.ratelimit: the same facts the Python checkers emit).
#include <algorithm>
#include <string>

#include "checkers/cpp/web.h"
#include "core/vocabulary.h"
#include "frontends/cpp/checker.h"

namespace vigil::cpp {
namespace {

using namespace match;

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

// ---------------------------------------------------------------- web facts, VG503, VG506

const char* const kKnownHeaders[] = {"x-content-type-options", "x-frame-options", "strict-transport-security",
                                     "content-security-policy", "referrer-policy", "x-xss-protection",
                                     "access-control-allow-origin", "permissions-policy"};

std::string header_name(const clang::Expr* e, clang::ASTContext& ast) {
  StringFacts f = string_facts(e, ast);
  if (!f.is_constant()) return {};
  std::string h = lower(f.text);
  return std::find(std::begin(kKnownHeaders), std::end(kKnownHeaders), h) != std::end(kKnownHeaders) ? h : std::string();
}

class HttpHardening : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG501", "VG502", "VG503", "VG506"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(cxxConstructExpr(hasDeclaration(cxxConstructorDecl(ofClass(hasAnyName("::httplib::Server",
                                                                                            "::httplib::SSLServer")))))
                          .bind("app"),
                      cb);
    // Crow apps are crow::Crow<...> objects; Drogon has one app, started with drogon::app().run().
    finder.addMatcher(cxxConstructExpr(hasType(hasUnqualifiedDesugaredType(recordType(
                                           hasDeclaration(cxxRecordDecl(hasName("::crow::Crow")))))))
                          .bind("app"),
                      cb);
    finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("run"), ofClass(hasName("::drogon::HttpAppFramework")))))
                          .bind("drogon_app"),
                      cb);
    finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasAnyName("Get", "Post", "Put", "Patch", "Delete", "Options"),
                                                             ofClass(hasName("::httplib::Server")))))
                          .bind("route"),
                      cb);
    finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("route"), ofClass(hasName("::crow::Crow"))))).bind("route"), cb);
    finder.addMatcher(
        cxxMemberCallExpr(callee(cxxMethodDecl(hasName("registerHandler"), ofClass(hasName("::drogon::HttpAppFramework")))))
            .bind("route"),
        cb);
    // Crow's CORS middleware: cors.global().origin("*")
    finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("origin"), ofClass(hasName("::crow::CORSRules")))))
                          .bind("crow_cors"),
                      cb);
    finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("set_default_headers")))).bind("defaults"), cb);
    // res.set_header(...) (httplib), res.add_header(...) (Crow), resp->addHeader(...) (Drogon)
    finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasAnyName("set_header", "add_header", "addHeader"))))
                          .bind("header"),
                      cb);
    finder.addMatcher(callExpr(callee(namedDecl().bind("callee"))).bind("call"), cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    if (const auto* app = r.Nodes.getNodeAs<clang::CXXConstructExpr>("app")) {
      std::string cls = web::record_name(app->getType());
      ctx.fact("web.app", app->getSourceRange(), {{"framework", cls.starts_with("crow") ? "crow" : "cpp-httplib"}});
    } else if (const auto* run = r.Nodes.getNodeAs<clang::CXXMemberCallExpr>("drogon_app")) {
      ctx.fact("web.app", run->getSourceRange(), {{"framework", "drogon"}});
    } else if (const auto* cors = r.Nodes.getNodeAs<clang::CXXMemberCallExpr>("crow_cors")) {
      StringFacts origin = cors->getNumArgs() ? string_facts(cors->getArg(0), ctx.ast()) : StringFacts{};
      if (origin.is_constant() && origin.text == "*")
        ctx.report("VG503", cors->getSourceRange(), "Crow's CORS rules allow every origin (`origin(\"*\")`)");
    } else if (const auto* route = r.Nodes.getNodeAs<clang::CXXMemberCallExpr>("route")) {
      StringFacts path = route->getNumArgs() ? string_facts(route->getArg(0), ctx.ast()) : StringFacts{};
      if (path.is_constant())
        ctx.fact("web.route", route->getSourceRange(), {{"path", path.text}, {"auth", is_auth_route(path.text)}});
    } else if (const auto* defaults = r.Nodes.getNodeAs<clang::CXXMemberCallExpr>("defaults")) {
      default_headers(defaults, ctx);
    } else if (const auto* header = r.Nodes.getNodeAs<clang::CXXMemberCallExpr>("header")) {
      if (header->getNumArgs() >= 2)
        header_set(header_name(header->getArg(0), ctx.ast()), header->getArg(1), header, ctx);
    } else if (const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call")) {
      const auto* callee = r.Nodes.getNodeAs<clang::NamedDecl>("callee");
      std::string name = callee->getNameAsString();
      if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(callee)) name = method->getParent()->getNameAsString() + "::" + name;
      if (is_rate_limit_name(name)) ctx.fact("web.ratelimit", call->getSourceRange(), {{"how", name}});
    }
  }

 private:
  // svr.set_default_headers({{"X-Frame-Options", "DENY"}, ...}): name/value literal pairs.
  static void default_headers(const clang::CXXMemberCallExpr* call, Context& ctx) {
    std::vector<const clang::StringLiteral*> literals;
    web::any_below(call, [&](const clang::Stmt* n) {
      if (const auto* lit = llvm::dyn_cast<clang::StringLiteral>(n)) literals.push_back(lit);
      return false;
    });
    for (size_t i = 0; i + 1 < literals.size(); ++i)
      if (std::string name = header_name(literals[i], ctx.ast()); !name.empty()) {
        header_set(name, literals[i + 1], literals[i], ctx);
        ++i;
      }
  }

  static void header_set(const std::string& name, const clang::Expr* value, const clang::Expr* at, Context& ctx) {
    if (name.empty()) return;
    StringFacts v = string_facts(value, ctx.ast());
    std::string literal = v.is_constant() ? v.text : "";
    ctx.fact("web.header", at->getSourceRange(), {{"name", name}, {"value", literal}});
    if (name == "x-xss-protection" && v.is_constant() && !v.text.starts_with("0"))
      ctx.report("VG506", at->getSourceRange(),
                 "`X-XSS-Protection: " + v.text +
                     "` turns on the browsers' removed XSS auditor; send `0` and rely on Content-Security-Policy");
    if (name != "access-control-allow-origin") return;
    if (v.is_constant() && v.text == "*") {
      ctx.report("VG503", at->getSourceRange(), "`Access-Control-Allow-Origin: *` lets every site read these responses");
    } else if (web::derived_from(value, ctx.ast(), [](const clang::Expr* e) { return web::is_request_data(e); })) {
      ctx.report("VG503", at->getSourceRange(),
                 "the request's Origin is reflected into Access-Control-Allow-Origin: every site is trusted",
                 Severity::critical);
    }
  }
};

}  // namespace

VIGIL_REGISTER_CPP_CHECKER(TlsVerificationDisabled);
VIGIL_REGISTER_CPP_CHECKER(HttpHardening);

}  // namespace vigil::cpp
