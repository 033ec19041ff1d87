// Family 4, uploads, for C++ (cpp-httplib): VG401 upload-without-validation,
// VG402 upload-client-filename-in-path.
#include <functional>
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
  finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasAnyName("saveAs", "save"), ofClass(hasName("::drogon::HttpFile")))))
                        .bind("sink"),
                    cb);
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
      const clang::Expr* name = web::derived_from(use.path, ctx.ast(), web::is_client_filename);
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

bool mentions(const clang::Stmt* s, const std::function<bool(const clang::Expr*)>& pred) {
  return web::any_below(s, [&](const clang::Stmt* n) {
    const auto* e = llvm::dyn_cast<clang::Expr>(n);
    return e && pred(e);
  });
}

// The file's name, extension or declared type.
bool is_upload_name(const clang::Expr* e) {
  return web::is_client_filename(e) || web::is_member_of_upload(e, "content_type") ||
         (web::method_of(e) == "getFileExtension" && web::is_upload(web::object_of(e)));
}

// The file's size: data.size(), data.length(), Drogon's fileLength(), or the request body's.
bool is_upload_size(const clang::Expr* e) {
  std::string m = web::method_of(e);
  if (m == "fileLength" && web::is_upload(web::object_of(e))) return true;
  if ((m == "size" || m == "length") && web::object_of(e)) {
    const clang::Expr* object = web::object_of(e);
    if (web::is_upload_data(object)) return true;
    const auto* body = llvm::dyn_cast<clang::MemberExpr>(object->IgnoreParenImpCasts());
    return body && body->getMemberDecl()->getName() == "body" && web::is_request_type(web::record_name(body->getBase()->getType()));
  }
  return false;
}

// The checks a handler body makes on its uploads.
unsigned checks_in(const clang::Stmt* body) {
  unsigned found = 0;
  web::any_below(body, [&](const clang::Stmt* n) {
    const auto* e = llvm::dyn_cast<clang::Expr>(n);
    if (!e) return false;
    std::string m = web::method_of(e);
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
    if ((equality || lookup) && mentions(n, is_upload_name)) found |= kExtension;
    if (ordering && mentions(n, is_upload_size)) found |= kSize;
    // magic numbers: data.compare(0, 8, "\x89PNG..."), starts_with, rfind(magic, 0), memcmp, libmagic
    bool prefix = m == "compare" || m == "starts_with" || m == "rfind" || m == "substr";
    if (prefix && web::object_of(e) && web::is_upload_data(web::object_of(e))) found |= kContent;
    if (const auto* call = llvm::dyn_cast<clang::CallExpr>(n))
      if (const clang::FunctionDecl* fn = call->getDirectCallee()) {
        std::string name = fn->getNameAsString();
        if ((name == "memcmp" && mentions(call, web::is_upload_data)) || name == "magic_buffer") found |= kContent;
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
    // Drogon writes the file itself.
    finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasAnyName("save", "saveAs"), ofClass(hasName("::drogon::HttpFile")))))
                          .bind("saved"),
                      cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const clang::CallExpr* store = r.Nodes.getNodeAs<clang::CallExpr>("saved");
    if (!store) {
      store = r.Nodes.getNodeAs<clang::CallExpr>("store");
      const clang::Expr* data = nullptr;
      if (llvm::isa<clang::CXXOperatorCallExpr>(store)) data = store->getNumArgs() == 2 ? store->getArg(1) : nullptr;
      else if (const auto* member = llvm::dyn_cast<clang::CXXMemberCallExpr>(store)) data = member->getNumArgs() ? member->getArg(0) : nullptr;
      else data = store->getNumArgs() > 1 ? store->getArg(store->getDirectCallee()->getName() == "write" ? 1 : 0) : nullptr;
      if (!data || !web::derived_from(data, ctx.ast(), web::is_upload_data)) return;
    }
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
