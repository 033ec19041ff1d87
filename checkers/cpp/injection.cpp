// Family 3, injection, for C++: VG301 sql-built-from-strings, VG302
// command-injection, VG308 format-string, VG309 unsafe-c-string-api.
#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <string>

#include "checkers/cpp/web.h"
#include "frontends/cpp/checker.h"
#include "frontends/cpp/strings.h"

namespace vigil::cpp {
namespace {

using namespace match;

// Functions and methods that run SQL text, and which argument holds it.
const std::map<std::string, unsigned> kSqlSinks = {
    {"sqlite3_exec", 1}, {"sqlite3_prepare", 1}, {"sqlite3_prepare_v2", 1}, {"sqlite3_prepare_v3", 1},
    {"PQexec", 1}, {"PQsendQuery", 1}, {"PQexecParams", 1}, {"PQsendQueryParams", 1}, {"PQprepare", 2},
    {"PQsendPrepare", 2}, {"mysql_query", 1}, {"mysql_real_query", 1}, {"mysql_send_query", 1},
    {"mysql_stmt_prepare", 1}, {"SQLExecDirect", 1}, {"SQLPrepare", 1}, {"SQLExecDirectW", 1},
    {"SQLPrepareW", 1}, {"pqxx::transaction_base::exec", 0}, {"pqxx::transaction_base::exec0", 0},
    {"pqxx::transaction_base::exec1", 0}, {"pqxx::transaction_base::exec_n", 1},
    {"pqxx::transaction_base::exec_params", 0}, {"pqxx::transaction_base::exec_params0", 0},
    {"pqxx::transaction_base::exec_params1", 0}, {"pqxx::transaction_base::exec_params_n", 1},
    {"pqxx::connection_base::prepare", 1}, {"pqxx::connection::prepare", 1}, {"QSqlQuery::exec", 0},
    {"QSqlQuery::prepare", 0}, {"QSqlDatabase::exec", 0}};

// Calls whose result is safe inside SQL text: escaping and quoting.
bool is_sql_escape(const std::string& name) {
  for (const char* s : {"quote", "esc", "esc_raw", "quote_name", "PQescapeLiteral", "PQescapeIdentifier",
                        "PQescapeStringConn", "mysql_real_escape_string", "sqlite3_mprintf", "escapeIdentifier",
                        "formatValue"})
    if (name == s || name.ends_with(std::string("::") + s)) return true;
  return false;
}

std::vector<std::string> with_global_prefix(const std::map<std::string, unsigned>& table) {
  std::vector<std::string> names;
  for (const auto& [name, index] : table) names.push_back("::" + name);
  return names;
}

std::string callee_name(const clang::FunctionDecl* fn) {
  std::string q = fn->getQualifiedNameAsString();
  return q;
}

// Non-constant parts that can change the statement or command: not numbers
// (also through std::to_string), not SQL-escaped values.
std::vector<StringFacts::Part> dangerous_parts(const StringFacts& facts) {
  std::vector<StringFacts::Part> out;
  for (const auto& part : facts.parts) {
    const clang::Expr* e = part.expr ? strip_string_wrappers(part.expr) : nullptr;
    if (!e) continue;
    // char* quoted = PQescapeLiteral(...): a local holding an escaped value.
    if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(e))
      if (const auto* var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl()); var && var->isLocalVarDecl() && var->getInit())
        e = strip_string_wrappers(var->getInit());
    if (e->getType()->isArithmeticType() || e->getType()->isEnumeralType()) continue;
    if (const auto* call = llvm::dyn_cast<clang::CallExpr>(e)) {
      const clang::FunctionDecl* fn = call->getDirectCallee();
      std::string name = fn ? fn->getQualifiedNameAsString() : "";
      if (is_sql_escape(name)) continue;
      // std::to_string(int) and friends hold digits only.
      if ((name == "std::to_string" || name == "std::__cxx11::to_string" || name == "QString::number") &&
          call->getNumArgs() > 0 && call->getArg(0)->getType()->isArithmeticType())
        continue;
    }
    out.push_back(part);
  }
  return out;
}

std::string describe_parts(const std::vector<StringFacts::Part>& parts, const Context& ctx) {
  std::string out;
  size_t shown = 0;
  for (const auto& p : parts) {
    std::string t = "`" + ctx.text(strip_string_wrappers(p.expr)->getSourceRange(), 40) + "`";
    if (out.find(t) != std::string::npos) continue;
    out += (out.empty() ? "" : ", ") + t;
    if (++shown == 3) break;
  }
  if (parts.size() > shown) out += ", ...";
  return out;
}

// ---------------------------------------------------------------- VG301

class SqlBuiltFromStrings : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG301"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    static const std::vector<std::string> names = with_global_prefix(kSqlSinks);
    std::vector<llvm::StringRef> refs(names.begin(), names.end());
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName(refs)).bind("fn"))).bind("call"), cb);
    // QSqlQuery(const QString& query, QSqlDatabase db) runs the query at once.
    finder.addMatcher(cxxConstructExpr(hasDeclaration(cxxConstructorDecl(ofClass(hasName("::QSqlQuery")))))
                          .bind("construct"),
                      cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const clang::Expr* sink = nullptr;
    const clang::Expr* query = nullptr;
    std::string name;
    if (const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call")) {
      const auto* fn = r.Nodes.getNodeAs<clang::FunctionDecl>("fn");
      name = callee_name(fn);
      auto it = kSqlSinks.find(name);
      if (it == kSqlSinks.end() || it->second >= call->getNumArgs()) return;
      sink = call;
      query = call->getArg(it->second);
    } else if (const auto* construct = r.Nodes.getNodeAs<clang::CXXConstructExpr>("construct")) {
      if (construct->getNumArgs() == 0 || !construct->getArg(0)->getType()->getAsCXXRecordDecl() ||
          construct->getArg(0)->getType()->getAsCXXRecordDecl()->getName() != "QString")
        return;
      sink = construct;
      query = construct->getArg(0);
      name = "QSqlQuery";
    }
    if (!query || llvm::isa<clang::CXXDefaultArgExpr>(query)) return;
    StringFacts facts = string_facts(query, ctx.ast());
    if (!facts.is_built()) return;
    auto parts = dangerous_parts(facts);
    if (parts.empty()) return;
    ctx.report("VG301", sink->getSourceRange(),
               "SQL text built by " + parts.front().how + " from non-constant " + describe_parts(parts, ctx) +
                   " reaches `" + name + "`; bind the values as parameters (`?`/`$1` placeholders)");
  }
};

// ---------------------------------------------------------------- VG302

bool is_shell(const std::string& path) {
  for (const char* sh : {"/bin/sh", "/bin/bash", "/usr/bin/sh", "/usr/bin/bash", "sh", "bash", "/bin/dash", "dash", "zsh"})
    if (path == sh) return true;
  return false;
}

class CommandInjection : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG302"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::system", "::popen", "::std::system", "::execl",
                                                                "::execlp", "::execle"))
                                          .bind("fn")))
                          .bind("call"),
                      cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call");
    std::string name = r.Nodes.getNodeAs<clang::FunctionDecl>("fn")->getQualifiedNameAsString();
    const clang::Expr* command = nullptr;
    if (name == "system" || name == "std::system" || name == "popen") {
      if (call->getNumArgs() > 0) command = call->getArg(0);
    } else {
      // execl("/bin/sh", "sh", "-c", command, (char*)nullptr)
      auto arg_text = [&](unsigned i) {
        StringFacts f = string_facts(call->getArg(i), ctx.ast());
        return f.is_constant() ? f.text : std::string();
      };
      if (call->getNumArgs() < 4 || !is_shell(arg_text(0))) return;
      for (unsigned i = 1; i + 1 < call->getNumArgs(); ++i)
        if (arg_text(i) == "-c") command = call->getArg(i + 1);
    }
    if (!command) return;
    StringFacts facts = string_facts(command, ctx.ast());
    if (!facts.is_built()) return;
    auto parts = dangerous_parts(facts);
    if (parts.empty()) return;
    ctx.report("VG302", call->getSourceRange(),
               "shell command built by " + parts.front().how + " from non-constant " + describe_parts(parts, ctx) +
                   " runs through `" + name + "`; the shell interprets `;`, `|`, `$(...)` in it; use "
                   "`execv`/`posix_spawn` with an argument vector");
  }
};

// ---------------------------------------------------------------- VG308

// printf-family functions and the index of their format argument.
const std::map<std::string, unsigned> kFormatFunctions = {
    {"printf", 0}, {"fprintf", 1}, {"dprintf", 1}, {"sprintf", 1}, {"snprintf", 2}, {"syslog", 1},
    {"wprintf", 0}, {"fwprintf", 1}, {"swprintf", 2}, {"err", 1}, {"errx", 1}, {"warn", 0}, {"warnx", 0},
    {"std::printf", 0}, {"std::fprintf", 1}, {"std::sprintf", 1}, {"std::snprintf", 2}};

// Translation lookups return the translated form of a literal format.
bool is_translation(const clang::Expr* e) {
  const auto* call = llvm::dyn_cast<clang::CallExpr>(strip_string_wrappers(e));
  const clang::FunctionDecl* fn = call ? call->getDirectCallee() : nullptr;
  if (!fn) return false;
  std::string n = fn->getQualifiedNameAsString();
  return n == "gettext" || n == "dgettext" || n == "dcgettext" || n == "ngettext" || n == "dngettext" ||
         n == "QObject::tr" || n == "QCoreApplication::translate";
}

class FormatString : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG308"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    static const std::vector<std::string> names = with_global_prefix(kFormatFunctions);
    std::vector<llvm::StringRef> refs(names.begin(), names.end());
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName(refs)).bind("fn"))).bind("call"), cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call");
    auto it = kFormatFunctions.find(r.Nodes.getNodeAs<clang::FunctionDecl>("fn")->getQualifiedNameAsString());
    if (it == kFormatFunctions.end() || it->second >= call->getNumArgs()) return;
    const clang::Expr* format = call->getArg(it->second);
    if (string_facts(format, ctx.ast()).is_constant() || is_translation(format)) return;
    // A format parameter of a function declared printf-like is checked at its callers.
    if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(strip_string_wrappers(format)))
      if (llvm::isa<clang::ParmVarDecl>(ref->getDecl()))
        if (const clang::FunctionDecl* fn = ctx.enclosing_function(*call); fn && fn->hasAttr<clang::FormatAttr>())
          return;
    std::string message = "the format of `" + it->first + "` is not a literal (`" + ctx.text(format->getSourceRange(), 40) +
                          "`): `%n` and `%s` in it read and write memory; use `" + it->first + "(\"%s\", ...)`";
    // The fix is safe only when nothing follows the format: it becomes the argument of "%s".
    bool wide = it->first.find("wprintf") != std::string::npos;
    if (it->second + 1 == call->getNumArgs() && format->getType()->isPointerType() && !wide)
      ctx.report_with_insertion("VG308", format->getSourceRange(), message, format->getBeginLoc(), "\"%s\", ",
                                "print it with \"%s\"");
    else
      ctx.report("VG308", format->getSourceRange(), message);
  }
};

// ---------------------------------------------------------------- VG309

// Size of a fixed-size char array a destination expression names, or 0.
uint64_t array_size(const clang::Expr* dest, const clang::ASTContext& ast) {
  const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(dest->IgnoreParenImpCasts());
  if (!ref) return 0;
  if (const auto* array = ast.getAsConstantArrayType(ref->getDecl()->getType()))
    return array->getSize().getZExtValue();
  return 0;
}

// The longest text a constant printf format can produce, if it only has
// bounded conversions (integers, characters); nullopt otherwise.
std::optional<size_t> bounded_format_length(const std::string& format) {
  size_t length = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') {
      ++length;
      continue;
    }
    size_t j = i + 1;
    if (j < format.size() && format[j] == '%') {
      ++length;
      i = j;
      continue;
    }
    while (j < format.size() && std::strchr("-+ #0123456789lhzjt", format[j])) ++j;
    if (j >= format.size() || !std::strchr("diouxXcp", format[j])) return std::nullopt;  // %s, %f, %*d...
    length += 24;  // a 64-bit integer with sign, or a pointer
    i = j;
  }
  return length;
}

class UnsafeCStringApi : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG309"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(
        callExpr(callee(functionDecl(hasAnyName("::gets", "::strcpy", "::strcat", "::sprintf", "::vsprintf",
                                                "::wcscpy", "::wcscat", "::stpcpy", "::std::strcpy", "::std::strcat",
                                                "::std::sprintf", "::scanf", "::fscanf", "::sscanf", "::std::scanf",
                                                "::std::fscanf", "::std::sscanf"))
                                 .bind("fn")))
            .bind("call"),
        cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call");
    std::string name = r.Nodes.getNodeAs<clang::FunctionDecl>("fn")->getQualifiedNameAsString();
    if (name.starts_with("std::")) name = name.substr(5);
    if (name.find("scanf") != std::string::npos) return check_scanf(call, name, ctx);
    if (call->getNumArgs() >= 2 && fits(call, name, ctx)) return;
    static const std::map<std::string, std::string> kInstead = {
        {"gets", "fgets(buf, sizeof buf, stdin)"}, {"strcpy", "snprintf or std::string"},
        {"strcat", "strncat with the space left, or std::string"}, {"sprintf", "snprintf(buf, sizeof buf, ...)"},
        {"vsprintf", "vsnprintf"}, {"wcscpy", "wcsncpy or std::wstring"}, {"wcscat", "wcsncat or std::wstring"},
        {"stpcpy", "stpncpy or std::string"}};
    auto instead = kInstead.find(name);
    ctx.report("VG309", call->getSourceRange(),
               "`" + name + "` writes without a bound on the destination's size; use " +
                   (instead == kInstead.end() ? std::string("a bounded variant") : instead->second));
  }

 private:
  // strcpy(buf, "literal") and sprintf(buf, "%d", n) into an array large enough.
  static bool fits(const clang::CallExpr* call, const std::string& name, const Context& ctx) {
    uint64_t size = array_size(call->getArg(0), ctx.ast());
    if (size == 0) return false;
    StringFacts source = string_facts(call->getArg(1), ctx.ast());
    if (!source.is_constant()) return false;
    if (name == "strcpy" || name == "stpcpy") return source.text.size() < size;
    if (name == "sprintf") {
      auto longest = bounded_format_length(source.text);
      return longest && *longest < size;
    }
    return false;
  }

  // %s and %[ without a width read unbounded input into a buffer.
  static void check_scanf(const clang::CallExpr* call, const std::string& name, Context& ctx) {
    unsigned index = name == "scanf" ? 0 : 1;
    if (index >= call->getNumArgs()) return;
    StringFacts format = string_facts(call->getArg(index), ctx.ast());
    if (!format.is_constant()) return;
    const std::string& f = format.text;
    for (size_t i = 0; i + 1 < f.size(); ++i) {
      if (f[i] != '%') continue;
      size_t j = i + 1;
      if (f[j] == '%') {
        i = j;
        continue;
      }
      if (f[j] == '*') ++j;  // assignment suppressed: nothing is written
      else if (j < f.size() && (f[j] == 's' || f[j] == '[')) {
        ctx.report("VG309", call->getSourceRange(),
                   "`" + name + "` with `%" + f[j] + "` and no width overflows the buffer on long input; give a "
                   "width (`%63s`) one less than the buffer's size");
        return;
      }
    }
  }
};

// ---------------------------------------------------------------- VG305

class PathTraversal : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG305"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override { add_path_sinks(finder, cb); }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* sink = r.Nodes.getNodeAs<clang::Expr>("sink");
    for (const auto& use : web::path_arguments(sink)) {
      const clang::Expr* source = web::derived_from(use.path, ctx.ast(), [](const clang::Expr* e) {
        return web::is_request_data(e);
      });
      if (!source || web::normalised(use.at, ctx.ast())) continue;
      ctx.report("VG305", use.at->getSourceRange(),
                 "request data `" + ctx.text(source->getSourceRange(), 40) +
                     "` is used in a filesystem path: `../` reaches any file; take `weakly_canonical()` of the joined "
                     "path and check that it stays under the base directory");
      return;
    }
  }
};

}  // namespace

VIGIL_REGISTER_CPP_CHECKER(SqlBuiltFromStrings);
VIGIL_REGISTER_CPP_CHECKER(PathTraversal);
VIGIL_REGISTER_CPP_CHECKER(CommandInjection);
VIGIL_REGISTER_CPP_CHECKER(FormatString);
VIGIL_REGISTER_CPP_CHECKER(UnsafeCStringApi);

}  // namespace vigil::cpp
