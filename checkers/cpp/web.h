// What the C++ web checkers share: recognising cpp-httplib requests and
// uploads, following a value to where it came from, and filesystem sinks.
#pragma once
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>

#include <functional>
#include <string>

#include "frontends/cpp/checker.h"
#include "frontends/cpp/strings.h"

namespace vigil::cpp::web {

// The class of a value, through references and pointers (req->getParameter).
inline std::string record_name(clang::QualType t) {
  t = t.getNonReferenceType();
  if (t->isPointerType()) t = t->getPointeeType();
  const clang::CXXRecordDecl* r = t->getAsCXXRecordDecl();
  return r ? r->getQualifiedNameAsString() : std::string();
}

// An uploaded file, by type: cpp-httplib MultipartFormData, a Crow multipart
// part, a Drogon HttpFile (from req.get_file_value, req.files, msg.parts,
// parser.getFiles(), or a copy in a local).
inline bool is_upload(const clang::Expr* e) {
  if (!e) return false;
  std::string n = record_name(e->getType());
  return n == "httplib::MultipartFormData" || n == "crow::multipart::part" || n == "drogon::HttpFile";
}

inline bool is_request_type(const std::string& n) {
  return n == "httplib::Request" || n == "crow::request" || n == "drogon::HttpRequest";
}

// Data from the request line, headers or body: members and methods of the
// request (req.path, req.body, req.matches[1], req.get_param_value(...),
// req->getParameter(...)).
inline bool is_request_data(const clang::Expr* e) {
  e = e->IgnoreParenImpCasts();
  const clang::Expr* base = nullptr;
  if (const auto* m = llvm::dyn_cast<clang::MemberExpr>(e)) base = m->getBase();
  else if (const auto* c = llvm::dyn_cast<clang::CXXMemberCallExpr>(e)) base = c->getImplicitObjectArgument();
  else if (const auto* op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(e); op && op->getNumArgs() > 0)
    return op->getOperator() != clang::OO_Arrow && is_request_data(op->getArg(0));  // req.matches[1]
  if (!base) return false;
  if (is_request_type(record_name(base->getType()))) return true;
  return is_request_data(base);  // req.params.find(...)->second
}

inline std::string method_of(const clang::Expr* e) {
  const auto* call = llvm::dyn_cast<clang::CXXMemberCallExpr>(e->IgnoreParenImpCasts());
  const clang::CXXMethodDecl* m = call ? call->getMethodDecl() : nullptr;
  return m && m->getDeclName().isIdentifier() ? m->getNameAsString() : std::string();
}

inline const clang::Expr* object_of(const clang::Expr* e) {
  const auto* call = llvm::dyn_cast<clang::CXXMemberCallExpr>(e->IgnoreParenImpCasts());
  return call ? call->getImplicitObjectArgument() : nullptr;
}

inline bool is_member_of_upload(const clang::Expr* e, llvm::StringRef member) {
  const auto* m = llvm::dyn_cast<clang::MemberExpr>(e->IgnoreParenImpCasts());
  return m && m->getMemberDecl()->getName() == member && is_upload(m->getBase());
}

// The name the client gave the file: httplib `file.filename`, Drogon
// `file.getFileName()`, Crow `part.get_header_object("Content-Disposition").params["filename"]`.
inline bool is_client_filename(const clang::Expr* e) {
  if (is_member_of_upload(e, "filename")) return true;
  if (method_of(e) == "getFileName" && is_upload(object_of(e))) return true;
  const auto* op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(e->IgnoreParenImpCasts());
  const clang::Expr* map = op && op->getOperator() == clang::OO_Subscript ? op->getArg(0) : object_of(e);
  const clang::Expr* key = op && op->getOperator() == clang::OO_Subscript ? op->getArg(1)
                           : method_of(e) == "at" && llvm::cast<clang::CallExpr>(e->IgnoreParenImpCasts())->getNumArgs() == 1
                               ? llvm::cast<clang::CallExpr>(e->IgnoreParenImpCasts())->getArg(0)
                               : nullptr;
  const auto* params = map ? llvm::dyn_cast<clang::MemberExpr>(map->IgnoreParenImpCasts()) : nullptr;
  const auto* literal = key ? llvm::dyn_cast<clang::StringLiteral>(strip_string_wrappers(key)) : nullptr;
  return params && literal && params->getMemberDecl()->getName() == "params" &&
         record_name(params->getBase()->getType()) == "crow::multipart::header" && literal->getString() == "filename";
}

// The file's bytes: httplib `content`, Crow `body`, Drogon `fileData()`.
inline bool is_upload_data(const clang::Expr* e) {
  return is_member_of_upload(e, "content") || is_member_of_upload(e, "body") ||
         (method_of(e) == "fileData" && is_upload(object_of(e)));
}

// The first sub-expression of `e` that `pred` accepts, through string
// building (string_facts parts) and the initialisers of local variables.
inline const clang::Expr* derived_from(const clang::Expr* e, clang::ASTContext& ast,
                                       const std::function<bool(const clang::Expr*)>& pred, int depth = 0) {
  if (!e || depth > 12) return nullptr;
  const clang::Expr* s = strip_string_wrappers(e);
  if (pred(s)) return s;
  if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(s))
    if (const auto* var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl()); var && var->isLocalVarDecl() && var->getInit())
      return derived_from(var->getInit(), ast, pred, depth + 1);
  StringFacts facts = string_facts(e, ast);
  for (const auto& part : facts.parts)
    if (const clang::Expr* found = derived_from(part.expr, ast, pred, depth + 1)) return found;
  return nullptr;
}

// Filesystem sinks: the arguments that are paths.
struct PathUse {
  const clang::Expr* path;
  const clang::Expr* at;
};

inline std::vector<PathUse> path_arguments(const clang::Expr* e) {
  std::vector<PathUse> out;
  if (const auto* call = llvm::dyn_cast<clang::CallExpr>(e); call && !llvm::isa<clang::CXXOperatorCallExpr>(call)) {
    const clang::FunctionDecl* fn = call->getDirectCallee();
    std::string name = fn ? fn->getQualifiedNameAsString() : "";
    if ((name == "fopen" || name == "open" || name == "std::fopen" || name == "creat") && call->getNumArgs() > 0)
      out.push_back({call->getArg(0), call});
    if ((name.starts_with("std::filesystem::") && (name.ends_with("::rename") || name.ends_with("::copy_file") ||
                                                   name.ends_with("::copy"))) &&
        call->getNumArgs() > 1)
      out.push_back({call->getArg(1), call});
    if (const auto* member = llvm::dyn_cast<clang::CXXMemberCallExpr>(call)) {
      std::string m = method_of(member);
      std::string cls = record_name(member->getImplicitObjectArgument()->getType());
      if (m == "open" && call->getNumArgs() > 0 &&
          (cls == "std::basic_ofstream" || cls == "std::basic_fstream" || cls == "std::basic_ifstream"))
        out.push_back({call->getArg(0), call});
      // Drogon: file.saveAs(path), file.save(dir)
      if ((m == "saveAs" || m == "save") && call->getNumArgs() > 0 && cls == "drogon::HttpFile")
        out.push_back({call->getArg(0), call});
    }
  } else if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(e)) {
    std::string cls = record_name(construct->getType());
    if ((cls == "std::basic_ofstream" || cls == "std::basic_fstream" || cls == "std::basic_ifstream") &&
        construct->getNumArgs() > 0)
      out.push_back({construct->getArg(0), construct});
  } else if (const auto* op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(e)) {
    // std::filesystem::path operator/: the right-hand side joins the path.
    std::string type = record_name(op->getType());
    if (op->getOperator() == clang::OO_Slash && op->getNumArgs() == 2 &&
        (type == "std::filesystem::__cxx11::path" || type == "std::filesystem::path"))
      out.push_back({op->getArg(1), op});
  }
  return out;
}

// Is the path normalised before use (weakly_canonical(root / name)), so that a
// containment check can follow?
inline bool normalised(const clang::Expr* path_expr, clang::ASTContext& ast) {
  clang::DynTypedNodeList parents = ast.getParents(*path_expr);
  for (int depth = 0; depth < 4 && !parents.empty(); ++depth) {
    if (const auto* call = parents[0].get<clang::CallExpr>()) {
      const clang::FunctionDecl* fn = call->getDirectCallee();
      std::string n = fn ? fn->getNameAsString() : "";
      if (n == "canonical" || n == "weakly_canonical" || n == "lexically_normal" || n == "realpath") return true;
    }
    parents = ast.getParents(parents[0]);
  }
  return false;
}

// Does any expression below `s` satisfy `pred`?
inline bool any_below(const clang::Stmt* s, const std::function<bool(const clang::Stmt*)>& pred, int depth = 0) {
  if (!s || depth > 64) return false;
  if (pred(s)) return true;
  for (const clang::Stmt* child : s->children())
    if (any_below(child, pred, depth + 1)) return true;
  return false;
}

}  // namespace vigil::cpp::web

namespace vigil::cpp {
// Adds matchers binding "sink" to every call or construction that takes a path.
void add_path_sinks(match::MatchFinder& finder, match::MatchFinder::MatchCallback* cb);
}  // namespace vigil::cpp
