#include "frontends/cpp/strings.h"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>

#include <algorithm>
#include <set>

namespace vigil::cpp {
namespace {

constexpr int kMaxDepth = 24;

StringFacts constant(std::string text) {
  StringFacts f;
  f.kind = StringFacts::Kind::constant;
  f.text = std::move(text);
  return f;
}

// Collects the pieces of a string being built.
class Builder {
 public:
  void add(const StringFacts& f, const clang::Expr* e, const char* how) {
    if (f.kind == StringFacts::Kind::opaque) {
      out_.text += "{}";
      out_.parts.push_back({e, how});
      return;
    }
    out_.text += f.text;
    out_.parts.insert(out_.parts.end(), f.parts.begin(), f.parts.end());
  }
  void add_text(const std::string& t) { out_.text += t; }
  StringFacts finish() {
    out_.kind = out_.parts.empty() ? StringFacts::Kind::constant : StringFacts::Kind::built;
    return std::move(out_);
  }

 private:
  StringFacts out_;
};

std::string method_name(const clang::CXXMemberCallExpr* call) {
  const clang::CXXMethodDecl* m = call->getMethodDecl();
  return m && m->getDeclName().isIdentifier() ? m->getName().str() : std::string();
}

std::string qualified(const clang::FunctionDecl* fn) { return fn ? fn->getQualifiedNameAsString() : std::string(); }

// Member functions that return the same characters in another type.
bool is_conversion_method(const std::string& m) {
  return m == "c_str" || m == "data" || m == "toStdString" || m == "toUtf8" || m == "toLatin1" ||
         m == "toLocal8Bit" || m == "constData" || m == "toStdWString" || m == "trimmed" || m == "simplified";
}

// Calls that format their arguments into a new string: (name, index of the format).
int format_index(const std::string& name) {
  if (name == "fmt::format" || name == "std::format" || name == "fmt::sprintf" || name == "QString::asprintf" ||
      name == "absl::StrFormat" || name == "boost::str")
    return 0;
  return -1;
}

// Calls that write a formatted or copied string into their first argument.
bool is_buffer_writer(const std::string& name) {
  return name == "sprintf" || name == "snprintf" || name == "strcpy" || name == "strcat" || name == "strncpy" ||
         name == "strncat" || name == "vsnprintf" || name == "vsprintf" || name == "std::sprintf" ||
         name == "std::snprintf" || name == "std::strcpy" || name == "std::strcat" || name == "std::strncat" ||
         name == "std::strncpy";
}

size_t buffer_format_index(const std::string& name) {
  if (name.find("snprintf") != std::string::npos) return 2;
  return 1;  // sprintf(buf, fmt, ...), strcpy(buf, src), strcat(buf, src)
}

const clang::VarDecl* referenced_var(const clang::Expr* e) {
  if (const auto* ref = llvm::dyn_cast_or_null<clang::DeclRefExpr>(e ? e->IgnoreParenImpCasts() : nullptr))
    return llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
  return nullptr;
}

// Everything a function body does to one local variable before a point.
class Changes : public clang::RecursiveASTVisitor<Changes> {
 public:
  Changes(const clang::VarDecl* var, clang::SourceLocation before, const clang::SourceManager& sm)
      : var_(var), before_(before), sm_(sm) {}

  struct Change {
    enum Kind { assign, append, format, stream } kind;
    const clang::Expr* value = nullptr;  // assigned or appended value; format: the call
  };
  std::vector<Change> changes;
  bool escaped = false;  // passed by non-const reference or pointer somewhere: unknown changes

  bool VisitCXXOperatorCallExpr(clang::CXXOperatorCallExpr* call) {
    if (!is_before(call) || call->getNumArgs() < 2 || referenced_var(call->getArg(0)) != var_) {
      // `oss << a << b`: the leftmost operand of a chain is the stream.
      if (call->getOperator() == clang::OO_LessLess && is_before(call) && stream_root(call) == var_)
        changes.push_back({Change::stream, call->getArg(1)});
      return true;
    }
    switch (call->getOperator()) {
      case clang::OO_Equal: changes.push_back({Change::assign, call->getArg(1)}); break;
      case clang::OO_PlusEqual: changes.push_back({Change::append, call->getArg(1)}); break;
      case clang::OO_LessLess: changes.push_back({Change::stream, call->getArg(1)}); break;
      default: break;
    }
    return true;
  }

  bool VisitBinaryOperator(clang::BinaryOperator* op) {  // char* p; p = ...
    if (is_before(op) && op->getOpcode() == clang::BO_Assign && referenced_var(op->getLHS()) == var_)
      changes.push_back({Change::assign, op->getRHS()});
    return true;
  }

  bool VisitCXXMemberCallExpr(clang::CXXMemberCallExpr* call) {
    if (!is_before(call) || referenced_var(call->getImplicitObjectArgument()) != var_) return true;
    std::string m = method_name(call);
    if ((m == "append" || m == "push_back" || m == "insert" || m == "prepend") && call->getNumArgs() > 0)
      changes.push_back({Change::append, call->getArg(call->getNumArgs() - 1)});
    else if (m == "assign" && call->getNumArgs() > 0)
      changes.push_back({Change::assign, call->getArg(0)});
    return true;
  }

  bool VisitCallExpr(clang::CallExpr* call) {
    if (!is_before(call) || llvm::isa<clang::CXXMemberCallExpr>(call) || llvm::isa<clang::CXXOperatorCallExpr>(call))
      return true;
    const clang::FunctionDecl* fn = call->getDirectCallee();
    if (!fn || call->getNumArgs() == 0) return true;
    if (is_buffer_writer(qualified(fn)) && referenced_var(call->getArg(0)) == var_) {
      changes.push_back({Change::format, call});
      return true;
    }
    // Handed to another function that may write it.
    for (unsigned i = 0; i < call->getNumArgs() && i < fn->getNumParams(); ++i) {
      if (referenced_var(call->getArg(i)) != var_) continue;
      clang::QualType t = fn->getParamDecl(i)->getType();
      if ((t->isReferenceType() || t->isPointerType()) && !t->getPointeeType().isConstQualified()) escaped = true;
    }
    return true;
  }

 private:
  // Statements that end before the use (not the call the use is an argument of).
  bool is_before(const clang::Stmt* s) const { return sm_.isBeforeInTranslationUnit(s->getEndLoc(), before_); }

  static const clang::VarDecl* stream_root(const clang::CXXOperatorCallExpr* call) {
    const clang::Expr* left = call->getArg(0)->IgnoreParenImpCasts();
    while (const auto* inner = llvm::dyn_cast<clang::CXXOperatorCallExpr>(left)) {
      if (inner->getOperator() != clang::OO_LessLess || inner->getNumArgs() < 1) break;
      left = inner->getArg(0)->IgnoreParenImpCasts();
    }
    return referenced_var(left);
  }

  const clang::VarDecl* var_;
  clang::SourceLocation before_;
  const clang::SourceManager& sm_;
};

class Evaluator {
 public:
  explicit Evaluator(clang::ASTContext& ast) : ast_(ast) {}

  StringFacts eval(const clang::Expr* e, int depth) {
    if (!e || depth > kMaxDepth) return {};
    e = strip_string_wrappers(e);
    if (const auto* lit = llvm::dyn_cast<clang::StringLiteral>(e))
      return constant(lit->getCharByteWidth() == 1 ? lit->getString().str() : std::string("?"));
    if (llvm::isa<clang::IntegerLiteral, clang::CharacterLiteral, clang::FloatingLiteral, clang::CXXNullPtrLiteralExpr,
                  clang::CXXBoolLiteralExpr>(e))
      return constant("0");
    if (const auto* op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(e)) {
      if (op->getOperator() == clang::OO_Plus && op->getNumArgs() == 2) return concat(op->getArg(0), op->getArg(1), depth);
      return {};
    }
    if (const auto* cond = llvm::dyn_cast<clang::ConditionalOperator>(e))
      return merge(eval(cond->getTrueExpr(), depth + 1), eval(cond->getFalseExpr(), depth + 1));
    if (const auto* call = llvm::dyn_cast<clang::CXXMemberCallExpr>(e)) return member_call(call, depth);
    if (const auto* call = llvm::dyn_cast<clang::CallExpr>(e)) return free_call(call, depth);
    if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(e)) return variable(ref, depth);
    return {};
  }

 private:
  StringFacts concat(const clang::Expr* a, const clang::Expr* b, int depth) {
    StringFacts l = eval(a, depth + 1), r = eval(b, depth + 1);
    if (l.kind == StringFacts::Kind::opaque && r.kind == StringFacts::Kind::opaque) return {};
    Builder out;
    out.add(l, a, "concatenation");
    out.add(r, b, "concatenation");
    return out.finish();
  }

  static StringFacts merge(StringFacts a, StringFacts b) {
    if (a.is_built()) {
      a.parts.insert(a.parts.end(), b.parts.begin(), b.parts.end());
      return a;
    }
    if (b.is_built()) return b;
    if (a.is_constant() && b.is_constant()) return a;
    return {};
  }

  // A format string with its arguments: built when an argument is not constant.
  StringFacts formatted(const clang::Expr* format, llvm::ArrayRef<const clang::Expr*> args, const char* how, int depth) {
    StringFacts f = eval(format, depth + 1);
    if (!f.is_constant()) return {};
    Builder out;
    out.add(f, format, how);
    for (const clang::Expr* a : args) {
      StringFacts v = eval(a, depth + 1);
      if (v.is_constant()) continue;
      StringFacts parts_only = v;
      parts_only.text.clear();
      out.add(parts_only, a, how);
    }
    return out.finish();
  }

  StringFacts member_call(const clang::CXXMemberCallExpr* call, int depth) {
    std::string m = method_name(call);
    const clang::Expr* object = call->getImplicitObjectArgument();
    if (m == "arg") {  // QString("... %1").arg(x)
      std::vector<const clang::Expr*> args(call->arg_begin(), call->arg_end());
      return formatted(object, args, "QString::arg", depth);
    }
    if (m == "str" && object) {  // std::ostringstream::str()
      if (const clang::VarDecl* var = referenced_var(object)) return stream(var, call, depth);
    }
    if ((m == "append" || m == "operator+=") && call->getNumArgs() > 0)
      return concat(object, call->getArg(call->getNumArgs() - 1), depth);
    return {};
  }

  StringFacts free_call(const clang::CallExpr* call, int depth) {
    const clang::FunctionDecl* fn = call->getDirectCallee();
    std::string name = qualified(fn);
    int index = format_index(name);
    if (index >= 0 && static_cast<unsigned>(index) < call->getNumArgs()) {
      std::vector<const clang::Expr*> args;
      for (unsigned i = index + 1; i < call->getNumArgs(); ++i) args.push_back(call->getArg(i));
      return formatted(call->getArg(index), args, name.c_str(), depth);
    }
    if (name == "std::to_string" || name == "std::__cxx11::to_string") return {};
    return {};
  }

  StringFacts variable(const clang::DeclRefExpr* ref, int depth) {
    const auto* var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
    if (!var || llvm::isa<clang::ParmVarDecl>(var)) return {};
    if (!active_.insert(var).second) return {};
    StringFacts out = variable_value(var, ref, depth);
    active_.erase(var);
    return out;
  }

  StringFacts variable_value(const clang::VarDecl* var, const clang::DeclRefExpr* use, int depth) {
    bool constant_var = var->getType().isConstQualified() || var->isConstexpr() ||
                        (var->getType()->isPointerType() && var->getType()->getPointeeType().isConstQualified() &&
                         var->hasGlobalStorage() && var->getType().isConstQualified());
    if (!var->isLocalVarDecl() && !var->isStaticLocal()) {
      // Globals count only when they cannot change.
      if ((var->getType().isConstQualified() || var->isConstexpr()) && var->getInit())
        return eval(var->getInit(), depth + 1);
      return {};
    }
    StringFacts value;
    if (const clang::Expr* init = var->getInit()) {
      value = eval(init, depth + 1);
      // Default-constructed strings and zeroed buffers start empty.
      if (value.kind == StringFacts::Kind::opaque && is_empty_init(init)) value = constant("");
    } else if (var->getType()->isArrayType()) {
      value = constant("");
    }
    if (constant_var) return value;
    const auto* fn = llvm::dyn_cast_or_null<clang::FunctionDecl>(var->getParentFunctionOrMethod());
    if (!fn || !fn->hasBody()) return value;
    Changes changes(var, use->getBeginLoc(), ast_.getSourceManager());
    changes.TraverseStmt(fn->getBody());
    if (changes.escaped) return {};
    for (const auto& c : changes.changes) value = apply(value, c, depth);
    return value;
  }

  static bool is_empty_init(const clang::Expr* init) {
    init = init->IgnoreImplicit();
    if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(init)) return construct->getNumArgs() == 0;
    if (const auto* list = llvm::dyn_cast<clang::InitListExpr>(init)) return list->getNumInits() <= 1;
    return false;
  }

  StringFacts apply(StringFacts value, const Changes::Change& c, int depth) {
    switch (c.kind) {
      case Changes::Change::assign: {
        StringFacts v = eval(c.value, depth + 1);
        // A later assignment replaces the value on that path; earlier built
        // parts may still reach the use on others, so both are kept.
        return merge(std::move(value), std::move(v));
      }
      case Changes::Change::append:
      case Changes::Change::stream: {
        if (value.kind == StringFacts::Kind::opaque) return value;
        Builder out;
        out.add(value, nullptr, "concatenation");
        out.add(eval(c.value, depth + 1), c.value, c.kind == Changes::Change::stream ? "ostringstream <<" : "append");
        return out.finish();
      }
      case Changes::Change::format: {
        const auto* call = llvm::cast<clang::CallExpr>(c.value);
        std::string name = qualified(call->getDirectCallee());
        size_t fi = buffer_format_index(name);
        if (fi >= call->getNumArgs()) return {};
        std::vector<const clang::Expr*> args;
        for (unsigned i = fi + 1; i < call->getNumArgs(); ++i) args.push_back(call->getArg(i));
        std::string how = name.substr(name.rfind(':') == std::string::npos ? 0 : name.rfind(':') + 1);
        bool appends = how.find("cat") != std::string::npos;
        StringFacts written = formatted(call->getArg(fi), args, how == "strcpy" || how == "strcat" || how == "strncpy" ||
                                                                      how == "strncat"
                                                                  ? "strcpy/strcat"
                                                                  : "sprintf",
                                        depth);
        if (written.kind == StringFacts::Kind::opaque) {  // copied from an unknown string
          Builder out;
          if (appends) out.add(value, nullptr, "strcat");
          out.add(written, call->getArg(fi), how.c_str());
          return out.finish();
        }
        if (!appends) return written;
        Builder out;
        out.add(value, nullptr, "strcat");
        out.add(written, call->getArg(fi), "strcat");
        return out.finish();
      }
    }
    return value;
  }

  StringFacts stream(const clang::VarDecl* var, const clang::Expr* use, int depth) {
    const auto* fn = llvm::dyn_cast_or_null<clang::FunctionDecl>(var->getParentFunctionOrMethod());
    if (!fn || !fn->hasBody()) return {};
    Changes changes(var, use->getBeginLoc(), ast_.getSourceManager());
    changes.TraverseStmt(fn->getBody());
    if (changes.escaped) return {};
    StringFacts value = constant("");
    for (const auto& c : changes.changes)
      if (c.kind == Changes::Change::stream) value = apply(value, c, depth);
    return value;
  }

  clang::ASTContext& ast_;
  std::set<const clang::VarDecl*> active_;
};

}  // namespace

const clang::Expr* strip_string_wrappers(const clang::Expr* e) {
  for (int i = 0; e && i < 32; ++i) {
    const clang::Expr* next = e->IgnoreParenCasts();  // also (SQLCHAR*)q.c_str()
    if (const auto* c = llvm::dyn_cast<clang::ExprWithCleanups>(next)) next = c->getSubExpr();
    if (const auto* t = llvm::dyn_cast<clang::MaterializeTemporaryExpr>(next)) next = t->getSubExpr();
    if (const auto* t = llvm::dyn_cast<clang::CXXBindTemporaryExpr>(next)) next = t->getSubExpr();
    if (const auto* cast = llvm::dyn_cast<clang::CXXFunctionalCastExpr>(next)) next = cast->getSubExpr();
    if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(next)) {
      // std::string(x), QString(x), copies and moves: the same characters.
      if (construct->getNumArgs() >= 1 && !llvm::isa<clang::CXXDefaultArgExpr>(construct->getArg(0)) &&
          (construct->getNumArgs() == 1 || llvm::isa<clang::CXXDefaultArgExpr>(construct->getArg(1))))
        next = construct->getArg(0);
    }
    if (const auto* call = llvm::dyn_cast<clang::CXXMemberCallExpr>(next)) {
      if (is_conversion_method(method_name(call)) && call->getImplicitObjectArgument())
        next = call->getImplicitObjectArgument();
    }
    if (next == e) return e;
    e = next;
  }
  return e;
}

StringFacts string_facts(const clang::Expr* expr, clang::ASTContext& ast) {
  Evaluator evaluator(ast);
  return evaluator.eval(expr, 0);
}

}  // namespace vigil::cpp
