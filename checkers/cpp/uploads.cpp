// Family 4, uploads, for C++ (cpp-httplib): VG401 upload-without-validation,
// VG402 upload-client-filename-in-path.
#include <string>
#include <vector>

#include "checkers/cpp/web.h"

namespace vigil::cpp {
namespace {

using namespace match;

}  // namespace

// Matchers for the calls and constructions that take a filesystem path
// (shared with VG305 in injection.cpp).
void add_path_sinks(MatchFinder& finder, MatchFinder::MatchCallback* cb) {
  finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::fopen", "::open", "::std::fopen", "::creat",
                                                              "::std::filesystem::rename", "::std::filesystem::copy_file",
                                                              "::std::filesystem::copy"))))
                        .bind("sink"),
                    cb);
  finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("open"), ofClass(hasAnyName("::std::basic_ofstream",
                                                                                              "::std::basic_fstream")))))
                        .bind("sink"),
                    cb);
  finder.addMatcher(cxxConstructExpr(hasDeclaration(cxxConstructorDecl(ofClass(hasAnyName(
                                         "::std::basic_ofstream", "::std::basic_fstream", "::std::basic_ifstream")))))
                        .bind("sink"),
                    cb);
  finder.addMatcher(cxxOperatorCallExpr(hasOverloadedOperatorName("/")).bind("sink"), cb);
}

namespace {

// ---------------------------------------------------------------- VG402

class ClientFilenameInPath : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG402"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override { add_path_sinks(finder, cb); }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* sink = r.Nodes.getNodeAs<clang::Expr>("sink");
    for (const auto& use : web::path_arguments(sink)) {
      const clang::Expr* name = web::derived_from(use.path, ctx.ast(), web::upload_member("filename"));
      if (!name) continue;
      ctx.report("VG402", use.at->getSourceRange(),
                 "client-supplied filename `" + ctx.text(name->getSourceRange(), 40) +
                     "` is used in a filesystem path (`../` escapes the upload directory); use "
                     "`std::filesystem::path(name).filename()` with an allow-list, or a server-generated name");
      return;
    }
  }
};

// ---------------------------------------------------------------- VG401

enum Check : unsigned { kExtension = 1, kSize = 2, kContent = 4, kAll = 7 };

bool mentions_member(const clang::Stmt* s, std::initializer_list<const char*> members) {
  return web::any_below(s, [&](const clang::Stmt* n) {
    const auto* m = llvm::dyn_cast<clang::MemberExpr>(n);
    if (!m || !web::is_upload(m->getBase())) return false;
    for (const char* name : members)
      if (m->getMemberDecl()->getName() == name) return true;
    return false;
  });
}

bool mentions_request_size(const clang::Stmt* s) {
  return web::any_below(s, [](const clang::Stmt* n) {
    const auto* m = llvm::dyn_cast<clang::MemberExpr>(n);
    if (!m) return false;
    if (m->getMemberDecl()->getName() == "content_length_") return true;
    return m->getMemberDecl()->getName() == "body" && web::record_name(m->getBase()->getType()) == "httplib::Request";
  });
}

std::string method(const clang::Stmt* s) {
  const auto* call = llvm::dyn_cast<clang::CXXMemberCallExpr>(s);
  const clang::CXXMethodDecl* m = call ? call->getMethodDecl() : nullptr;
  return m && m->getDeclName().isIdentifier() ? m->getNameAsString() : std::string();
}

// The checks a handler body makes on its uploads.
unsigned checks_in(const clang::Stmt* body) {
  unsigned found = 0;
  web::any_below(body, [&](const clang::Stmt* n) {
    std::string m = method(n);
    bool equality = false, ordering = false;
    if (const auto* op = llvm::dyn_cast<clang::BinaryOperator>(n)) {
      equality = op->isEqualityOp();
      ordering = op->isRelationalOp();
    } else if (const auto* op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(n)) {
      auto k = op->getOperator();
      equality = k == clang::OO_EqualEqual || k == clang::OO_ExclaimEqual;
      ordering = k == clang::OO_Less || k == clang::OO_Greater || k == clang::OO_LessEqual || k == clang::OO_GreaterEqual;
    }
    bool lookup = m == "ends_with" || m == "count" || m == "find" || m == "contains" || m == "compare" || m == "rfind";
    if ((equality || lookup) && mentions_member(n, {"filename", "content_type"})) found |= kExtension;
    if (ordering && (mentions_member(n, {"content"}) || mentions_request_size(n))) found |= kSize;
    // magic numbers: file.content.compare(0, 8, "\x89PNG..."), starts_with, rfind(magic, 0), memcmp
    bool prefix = m == "compare" || m == "starts_with" || m == "rfind" || m == "substr";
    if (prefix && mentions_member(n, {"content"})) found |= kContent;
    if (const auto* call = llvm::dyn_cast<clang::CallExpr>(n))
      if (const clang::FunctionDecl* fn = call->getDirectCallee()) {
        std::string name = fn->getNameAsString();
        if ((name == "memcmp" && mentions_member(call, {"content"})) || name == "magic_buffer") found |= kContent;
      }
    return found == kAll;
  });
  return found;
}

std::string missing_text(unsigned missing) {
  std::vector<std::string> parts;
  if (missing & kExtension) parts.push_back("an extension allow-list");
  if (missing & kSize) parts.push_back("a size limit");
  if (missing & kContent) parts.push_back("a content (magic-number) check");
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return out;
}

class UploadWithoutValidation : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG401"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(cxxOperatorCallExpr(hasOverloadedOperatorName("<<")).bind("store"), cb);
    finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("write")))).bind("store"), cb);
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::fwrite", "::std::fwrite", "::write")))).bind("store"), cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* store = r.Nodes.getNodeAs<clang::CallExpr>("store");
    const clang::Expr* data = nullptr;
    if (llvm::isa<clang::CXXOperatorCallExpr>(store)) data = store->getNumArgs() == 2 ? store->getArg(1) : nullptr;
    else if (const auto* member = llvm::dyn_cast<clang::CXXMemberCallExpr>(store)) data = member->getNumArgs() ? member->getArg(0) : nullptr;
    else data = store->getNumArgs() > 1 ? store->getArg(store->getDirectCallee()->getName() == "write" ? 1 : 0) : nullptr;
    if (!data || !web::derived_from(data, ctx.ast(), [](const clang::Expr* e) {
          const auto* m = llvm::dyn_cast<clang::MemberExpr>(e->IgnoreParenImpCasts());
          if (const auto* call = llvm::dyn_cast<clang::CXXMemberCallExpr>(e))  // file.content.data()
            if (const auto* obj = call->getImplicitObjectArgument()) m = llvm::dyn_cast<clang::MemberExpr>(obj->IgnoreParenImpCasts());
          return m && m->getMemberDecl()->getName() == "content" && web::is_upload(m->getBase());
        }))
      return;
    const clang::Stmt* body = ctx.enclosing_body(*store);
    unsigned missing = kAll & ~checks_in(body);
    if (!missing) return;
    ctx.report("VG401", store->getSourceRange(), "uploaded file is stored without " + missing_text(missing));
  }
};

}  // namespace

VIGIL_REGISTER_CPP_CHECKER(ClientFilenameInPath);
VIGIL_REGISTER_CPP_CHECKER(UploadWithoutValidation);

}  // namespace vigil::cpp
