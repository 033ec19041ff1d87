// Family 3, injection: VG301 sql-built-from-strings.
//
// A query text built with a non-constant part (f-string, %, .format(), +,
// join) reaching a database execute call, directly or through local
// variables. Sinks are data below, matched on names the model resolved
// through imports, aliases, assignments and parameter annotations.
#include <algorithm>
#include <cctype>

#include "checkers/python/common.h"

namespace vigil::python {
namespace {

// Qualified-name prefixes of objects known to be database connections,
// cursors, sessions, engines or pools ("()" marks a call or an instance).
constexpr std::string_view kDatabaseObjects[] = {
    "sqlite3.connect()", "sqlite3.Connection()", "sqlite3.Cursor()",
    "psycopg2.connect()", "psycopg2.extensions.connection()", "psycopg2.extensions.cursor()",
    "psycopg.connect()", "psycopg.Connection.connect()", "psycopg.AsyncConnection.connect()",
    "psycopg.Connection()", "psycopg.Cursor()", "psycopg.AsyncConnection()", "psycopg.AsyncCursor()",
    "pymysql.connect()", "pymysql.connections.Connection()", "pymysql.cursors.Cursor()",
    "MySQLdb.connect()", "mysql.connector.connect()",
    "asyncpg.connect()", "asyncpg.create_pool()", "asyncpg.Connection()", "asyncpg.Pool()",
    "asyncpg.pool.Pool()", "asyncpg.connection.Connection()",
    "django.db.connection", "django.db.connections[]",
    "sqlalchemy.create_engine()", "sqlalchemy.engine.create_engine()",
    "sqlalchemy.ext.asyncio.create_async_engine()", "sqlalchemy.orm.Session()",
    "sqlalchemy.orm.sessionmaker()()", "sqlalchemy.orm.scoped_session()()",
    "sqlalchemy.engine.Connection()", "sqlalchemy.engine.Engine()", "sqlalchemy.Connection()",
    "sqlalchemy.Engine()", "sqlalchemy.ext.asyncio.AsyncSession()",
    "sqlalchemy.ext.asyncio.AsyncConnection()", "sqlmodel.Session()",
};

// Methods that run query text on such objects.
constexpr std::string_view kExecuteMethods[] = {
    "execute", "executemany", "executescript", "exec_driver_sql", "fetch", "fetchrow", "fetchval",
};

// Functions whose first argument is query text.
constexpr std::string_view kQueryFunctions[] = {
    "sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text", "sqlmodel.text",
    "django.db.models.RawSQL", "django.db.models.expressions.RawSQL",
    "pandas.read_sql", "pandas.read_sql_query", "pandas.io.sql.read_sql", "pandas.io.sql.read_sql_query",
};

// Keyword names under which sinks accept the query text.
constexpr std::string_view kQueryKeywords[] = {"sql", "query", "statement", "operation", "text"};

// Statements that start SQL text: used only when the receiver's type is unknown.
constexpr std::string_view kSqlStatementWords[] = {
    "select", "insert", "update", "delete", "create", "drop", "alter", "replace",
    "with", "pragma", "merge", "truncate", "upsert",
};

template <size_t N>
bool contains(const std::string_view (&table)[N], std::string_view value) {
  return std::find(std::begin(table), std::end(table), value) != std::end(table);
}

bool is_database_object(const std::string& name) {
  for (std::string_view root : kDatabaseObjects)
    if (name.compare(0, root.size(), root) == 0 && (name.size() == root.size() || name[root.size()] == '.'))
      return true;
  return false;
}

bool starts_like_sql(const std::string& text) {
  size_t i = text.find_first_not_of(" \t\r\n(\\n");
  if (i == std::string::npos) return false;
  size_t j = i;
  while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
  std::string word = text.substr(i, j - i);
  std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
  return contains(kSqlStatementWords, word);
}

TSNode query_argument(TSNode call, const Context& ctx) {
  if (TSNode first = positional_arg(call, 0); !is_null(first)) return first;
  for (std::string_view k : kQueryKeywords)
    if (TSNode v = keyword_arg(call, k, ctx); !is_null(v)) return v;
  return TSNode{};
}

// Is the receiver a Django manager (`Model.objects`, `Model.objects.filter(...)`)?
bool is_django_manager_chain(TSNode receiver, const Context& ctx) {
  for (TSNode n = unparen(receiver); !is_null(n);) {
    if (is(n, "attribute")) {
      if (ctx.text(field(n, "attribute")) == "objects") return true;
      n = unparen(field(n, "object"));
    } else if (is(n, "call")) {
      n = unparen(field(n, "function"));
    } else {
      return false;
    }
  }
  return false;
}

class SqlBuiltFromStrings : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG301"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    TSNode fn = field(call, "function");
    const Model& model = ctx.model();
    if (is(fn, "attribute")) {
      std::string_view method = ctx.text(field(fn, "attribute"));
      TSNode receiver = field(fn, "object");
      if (method == "extra" && is_django_manager_chain(receiver, ctx)) {
        check_extra(call, ctx);
        return;
      }
      bool django_raw = method == "raw" && is_django_manager_chain(receiver, ctx);
      if (django_raw || contains(kExecuteMethods, method)) {
        auto type = model.qualified_name(receiver, ctx.scope());
        bool known = django_raw || (type && is_database_object(*type));
        check_query(call, query_argument(call, ctx), known, ctx);
        return;
      }
    }
    auto name = model.qualified_name(fn, ctx.scope());
    if (name && contains(kQueryFunctions, *name)) check_query(call, query_argument(call, ctx), true, ctx);
  }

 private:
  // `known_sink`: the callee is resolved to a database API. Otherwise the
  // text must read as SQL for the call to count as a sink.
  void check_query(TSNode call, TSNode query, bool known_sink, Context& ctx) const {
    if (is_null(query)) return;
    StringFacts facts = ctx.model().string_facts(query, ctx.scope());
    if (!facts.is_built()) return;
    if (!known_sink && !starts_like_sql(facts.text)) return;
    ctx.report("VG301", call, message(call, facts, ctx));
  }

  // QuerySet.extra(where=[...], select={...}) takes raw SQL fragments.
  void check_extra(TSNode call, Context& ctx) const {
    for (const char* key : {"where", "select", "tables", "order_by"}) {
      TSNode value = unparen(keyword_arg(call, key, ctx));
      if (is_null(value)) continue;
      std::vector<TSNode> fragments;
      for (TSNode item : children(value)) fragments.push_back(is(item, "pair") ? field(item, "value") : item);
      for (TSNode fragment : fragments) {
        StringFacts facts = ctx.model().string_facts(fragment, ctx.scope());
        if (facts.is_built()) {
          ctx.report("VG301", call, message(call, facts, ctx));
          return;
        }
      }
    }
  }

  static std::string message(TSNode call, const StringFacts& facts, const Context& ctx) {
    std::vector<std::string> names;
    std::string how = facts.parts.front().how;
    for (const auto& part : facts.parts) {
      std::string shown = "`" + std::string(ctx.text(part.node).substr(0, 40)) + "`";
      if (line_of(part.node) != line_of(call)) shown += " (line " + std::to_string(line_of(part.node)) + ")";
      if (std::find(names.begin(), names.end(), shown) == names.end()) names.push_back(shown);
      if (names.size() == 3) break;
    }
    std::string parts;
    for (size_t i = 0; i < names.size(); ++i) parts += (i ? ", " : "") + names[i];
    if (facts.parts.size() > names.size()) parts += ", ...";
    std::string sink(ctx.text(field(call, "function")));
    return "SQL text built by " + how + " from non-constant " + parts + " reaches `" + sink +
           "`; pass the values as query parameters";
  }
};

}  // namespace

VIGIL_REGISTER_PYTHON_CHECKER(SqlBuiltFromStrings);

}  // namespace vigil::python
