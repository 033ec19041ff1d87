// Family 3, injection, for C++: VG301 sql-built-from-strings, VG302
// command-injection, VG308 format-string, VG309 unsafe-c-string-api.
#include <algorithm>
#include <map>
#include <string>

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

// Non-constant parts that can change the statement: not numbers, not escaped.
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

}  // namespace

VIGIL_REGISTER_CPP_CHECKER(SqlBuiltFromStrings);

}  // namespace vigil::cpp
