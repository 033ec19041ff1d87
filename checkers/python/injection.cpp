// Family 3, injection: VG301 sql-built-from-strings, VG302 command-injection,
// VG303 code-injection, VG304 template-injection-xss, VG305 path-traversal,
// VG306 unsafe-deserialization, VG307 xml-external-entities.
//
// A query text built with a non-constant part (f-string, %, .format(), +,
// join) reaching a database execute call, directly or through local
// variables. Sinks are data below, matched on names the model resolved
// through imports, aliases, assignments and parameter annotations.
#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "checkers/python/common.h"
#include "checkers/python/sources.h"

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
    report_sql(call, facts, ctx);
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
          report_sql(call, facts, ctx);
          return;
        }
      }
    }
  }

  // Built from request data: the message says so and the severity rises.
  static void report_sql(TSNode call, const StringFacts& facts, Context& ctx) {
    std::string source;
    for (const auto& part : facts.parts)
      if (source.empty()) source = untrusted_source(part.node, ctx);
    if (source.empty()) ctx.report("VG301", call, message(call, facts, ctx));
    else ctx.report("VG301", call, message(call, facts, ctx) + " (it comes from " + source + ")", Severity::critical);
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

// The conversion (`d`, `s`...) a `%`-format applies to `part`, or 0.
char percent_conversion(TSNode part, const Context& ctx) {
  TSNode parent = parent_of(part);
  size_t index = 0;
  if (is(parent, "tuple")) {
    for (TSNode item : children(parent)) {
      if (item.id == part.id) break;
      ++index;
    }
    parent = parent_of(parent);
  }
  if (!is(parent, "binary_operator") || ctx.text(field(parent, "operator")) != "%") return 0;
  auto format = constant_string(field(parent, "left"), ctx);
  if (!format) return 0;
  size_t seen = 0;
  for (size_t i = 0; i + 1 < format->size(); ++i) {
    if ((*format)[i] != '%') continue;
    size_t j = i + 1;
    if ((*format)[j] == '%') { i = j; continue; }
    while (j < format->size() && std::string_view("#0- +.123456789").find((*format)[j]) != std::string_view::npos) ++j;
    if (j >= format->size()) return 0;
    if (seen++ == index) return (*format)[j];
    i = j;
  }
  return 0;
}

// A value passed through a sanitiser: `shlex.quote(x)`, a local bound to one,
// `map(shlex.quote, xs)` or a comprehension quoting each item.
bool is_sanitised(TSNode n, const Context& ctx, const std::unordered_set<std::string_view>& sanitisers, int depth) {
  n = unparen(n);
  if (is_null(n) || sanitisers.empty() || depth > 3) return false;
  if (is(n, "generator_expression") || is(n, "list_comprehension"))
    return is_sanitised(field(n, "body"), ctx, sanitisers, depth + 1);
  if (is(n, "identifier")) {
    auto defs = ctx.model().reaching_defs(ctx.text(n), ctx.scope(), n);
    if (defs.empty()) return false;
    for (const Def* d : defs)
      if (d->kind != Def::Kind::assign || !is_sanitised(d->value, ctx, sanitisers, depth + 1)) return false;
    return true;
  }
  if (is(n, "attribute")) {  // sys.executable
    auto q = ctx.model().qualified_name(n, ctx.scope());
    return q && sanitisers.count(*q);
  }
  if (!is(n, "call")) return false;
  auto q = callee(n, ctx);
  if (!q) return false;
  if (sanitisers.count(*q)) return true;
  if (*q == "str") return is_sanitised(positional_arg(n, 0), ctx, sanitisers, depth + 1);
  if (*q == "map()" || *q == "map") {
    auto fq = ctx.model().qualified_name(positional_arg(n, 0), ctx.scope());
    return fq && sanitisers.count(*fq);
  }
  return false;
}

// The non-constant parts of a string (or the whole value when it is not
// built), skipping those passed through a sanitiser such as shlex.quote.
std::vector<TSNode> unsafe_parts(TSNode value, const Context& ctx, const std::unordered_set<std::string_view>& sanitisers) {
  std::vector<TSNode> out;
  StringFacts facts = ctx.model().string_facts(value, ctx.scope());
  if (facts.is_constant()) return out;
  // Numbers cannot carry syntax: `"-p %d" % pid` (a sanitiser list that admits `int`).
  bool numbers_safe = sanitisers.count("int") > 0;
  auto sanitised = [&](TSNode n) {
    if (numbers_safe && std::string_view("dioxXeEfFgGu").find(percent_conversion(n, ctx)) != std::string_view::npos &&
        percent_conversion(n, ctx) != 0)
      return true;
    return is_sanitised(n, ctx, sanitisers, 0);
  };
  if (facts.is_built()) {
    for (const auto& part : facts.parts)
      if (!sanitised(part.node)) out.push_back(part.node);
  } else if (!sanitised(value)) {
    out.push_back(value);
  }
  return out;
}

// "`x`, `y`" for a message, and the untrusted source of any of them.
std::pair<std::string, std::string> describe(const std::vector<TSNode>& parts, const Context& ctx) {
  std::string names, source;
  for (size_t i = 0; i < parts.size() && i < 3; ++i)
    names += (i ? ", " : "") + ("`" + std::string(ctx.text(parts[i]).substr(0, 40)) + "`");
  for (TSNode p : parts)
    if (source.empty()) source = untrusted_source(p, ctx);
  return {names, source};
}

void report_flow(Context& ctx, std::string_view rule, TSNode at, const std::string& what, const std::vector<TSNode>& parts,
                 const std::string& advice) {
  auto [names, source] = describe(parts, ctx);
  std::string message = what + " from non-constant " + names + "; " + advice;
  if (source.empty()) ctx.report(rule, at, message);
  else ctx.report(rule, at, message + " (it comes from " + source + ")", Severity::critical);
}

// ---------------------------------------------------------------- VG302

// Quoting, and values that cannot carry shell syntax (numbers, the interpreter's path).
const std::unordered_set<std::string_view> kShellQuote = {"shlex.quote", "pipes.quote", "shlex.join", "int", "float",
                                                          "len", "os.getpid", "os.cpu_count", "sys.executable"};
const std::unordered_set<std::string_view> kShellCalls = {"os.system", "os.popen", "os.popen2", "os.popen3",
                                                          "commands.getoutput", "commands.getstatusoutput",
                                                          "subprocess.getoutput", "subprocess.getstatusoutput"};
const std::unordered_set<std::string_view> kSpawnWithShell = {
    "os.execl", "os.execle", "os.execlp", "os.execlpe", "os.spawnl", "os.spawnle", "os.spawnlp", "os.spawnlpe"};

class CommandInjection : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG302"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    if (!q) return;
    TSNode command{};
    std::string how;
    if (kShellCalls.count(*q)) {
      command = call_arg(call, 0, "cmd", ctx);
      how = "`" + *q + "` runs it through the shell";
    } else if (method_name(call, ctx) == "exec_command" && q->starts_with("paramiko.")) {
      command = call_arg(call, 0, "command", ctx);
      how = "paramiko `exec_command` runs it in the remote shell";
    } else if (constant_bool(keyword_arg(call, "shell", ctx), ctx) == true) {
      command = call_arg(call, 0, "args", ctx);
      how = "`shell=True` runs it through the shell";
    } else if (kSpawnWithShell.count(*q)) {
      // os.execl("/bin/sh", "sh", "-c", command)
      auto args = children(field(call, "arguments"));
      for (size_t i = 0; i + 1 < args.size(); ++i)
        if (constant_string(args[i], ctx) == std::string("-c")) command = args[i + 1];
      how = "`sh -c` runs it through the shell";
    }
    if (is_null(command) || is(unparen(command), "list") || is(unparen(command), "tuple")) return;
    auto parts = unsafe_parts(command, ctx, kShellQuote);
    if (parts.empty()) return;
    report_flow(ctx, "VG302", call, "shell command built", parts,
                how + ": `;`, `|` and `$(...)` in it run other commands; pass an argument list without a shell, or "
                      "`shlex.quote()` each part");
  }
};

// ---------------------------------------------------------------- VG303

class CodeInjection : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG303"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    if (!q || (*q != "eval" && *q != "exec" && *q != "compile" && *q != "builtins.eval" && *q != "builtins.exec"))
      return;
    TSNode code = positional_arg(call, 0);
    if (is_null(code)) return;
    auto parts = unsafe_parts(code, ctx, {});
    if (parts.empty()) return;
    report_flow(ctx, "VG303", call, "`" + *q + "` runs Python code built", parts,
                "use `ast.literal_eval` for data, or a table of allowed operations");
  }
};

// ---------------------------------------------------------------- VG304

const std::unordered_set<std::string_view> kHtmlEscapes = {"html.escape", "markupsafe.escape", "flask.escape",
                                                           "django.utils.html.escape", "bleach.clean",
                                                           "django.utils.html.format_html", "markupsafe.Markup.escape"};

class TemplateInjection : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG304"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    if (!q) return;
    if (*q == "flask.render_template_string" || *q == "jinja2.Template" || *q == "jinja2.Environment().from_string") {
      auto parts = unsafe_parts(call_arg(call, 0, "source", ctx), ctx, {});
      if (!parts.empty())
        report_flow(ctx, "VG304", call, "template text built", parts,
                    "template syntax in it runs on the server (`{{ config }}`, `{{ ''.__class__ }}`); keep templates "
                    "constant and pass values as context");
      return;
    }
    if (*q == "markupsafe.Markup" || *q == "flask.Markup" || *q == "django.utils.safestring.mark_safe" ||
        *q == "jinja2.Markup") {
      TSNode value = positional_arg(call, 0);
      if (is_null(value)) return;
      auto parts = unsafe_parts(value, ctx, kHtmlEscapes);
      if (!parts.empty())
        report_flow(ctx, "VG304", call, "HTML marked safe is built", parts,
                    "it is sent unescaped; escape the values (`markupsafe.escape`, `format_html`) before marking safe");
      return;
    }
    if (*q == "jinja2.Environment") {
      TSNode autoescape = keyword_arg(call, "autoescape", ctx);
      if (is_null(autoescape))
        ctx.report("VG304", call, "jinja2 `Environment()` without `autoescape` does not escape HTML; use "
                                  "`autoescape=select_autoescape()`");
      else if (constant_bool(autoescape, ctx) == false)
        ctx.report("VG304", call, "jinja2 `Environment(autoescape=False)` does not escape HTML");
      return;
    }
    if (*q == "mako.template.Template" || *q == "mako.lookup.TemplateLookup") {
      if (is_null(keyword_arg(call, "default_filters", ctx)))
        ctx.report("VG304", call, "mako does not escape HTML by default; pass `default_filters=['h']`");
      return;
    }
    // An HTML response made of request data.
    if (*q == "fastapi.responses.HTMLResponse" || *q == "starlette.responses.HTMLResponse" ||
        *q == "flask.make_response" || *q == "django.http.HttpResponse") {
      TSNode content = call_arg(call, 0, "content", ctx);
      if (is_null(content)) return;
      StringFacts facts = ctx.model().string_facts(content, ctx.scope());
      if (!facts.is_built()) return;
      std::vector<TSNode> untrusted;
      for (const auto& part : facts.parts)
        if (!unsafe_parts(part.node, ctx, kHtmlEscapes).empty() && !untrusted_source(part.node, ctx).empty())
          untrusted.push_back(part.node);
      if (!untrusted.empty())
        report_flow(ctx, "VG304", call, "HTML response built", untrusted,
                    "request data in HTML runs as script in the user's browser; escape it or render a template");
    }
  }
};

// ---------------------------------------------------------------- VG305

const std::unordered_set<std::string_view> kPathSanitisers = {
    "os.path.basename", "werkzeug.utils.secure_filename", "werkzeug.secure_filename", "werkzeug.utils.safe_join",
    "werkzeug.security.safe_join", "flask.helpers.safe_join", "django.utils._os.safe_join"};

class PathTraversal : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG305"}; }
  std::vector<std::string> node_kinds() const override { return {"call", "binary_operator"}; }

  void check(TSNode node, Context& ctx) const override {
    if (is(node, "binary_operator")) {  // base_dir / user_value (pathlib)
      if (ctx.text(field(node, "operator")) != "/") return;
      check_path(node, field(node, "right"), ctx);
      return;
    }
    auto q = callee(node, ctx);
    if (!q) return;
    if (*q == "tarfile.open().extractall" || (method_name(node, ctx) == "extractall" && q->starts_with("tarfile."))) {
      if (is_null(keyword_arg(node, "filter", ctx)) && is_null(keyword_arg(node, "members", ctx)))
        ctx.report("VG305", node, "`tarfile.extractall()` without `filter=\"data\"` (or checked `members`) writes "
                                  "archive entries like `../../etc/cron.d/x` outside the target directory");
      return;
    }
    static const std::unordered_set<std::string_view> kSinks = {
        "open", "io.open", "os.open", "pathlib.Path", "os.path.join", "flask.send_file",
        "fastapi.responses.FileResponse", "starlette.responses.FileResponse", "shutil.copy", "shutil.copyfile",
        "os.remove", "os.unlink", "aiofiles.open", "django.http.FileResponse"};
    if (!kSinks.count(*q)) return;
    auto args = children(field(node, "arguments"));
    for (TSNode a : args) {
      if (is(a, "keyword_argument")) break;
      if (check_path(node, a, ctx)) return;
    }
  }

 private:
  static bool check_path(TSNode at, TSNode value, Context& ctx) {
    auto parts = unsafe_parts(value, ctx, kPathSanitisers);
    std::vector<TSNode> untrusted;
    std::string source;
    for (TSNode p : parts) {
      if (is_upload_filename(p, ctx)) continue;  // VG402's finding
      std::string s = untrusted_source(p, ctx, 0, true);
      if (s.empty()) continue;
      untrusted.push_back(p);
      if (source.empty()) source = s;
    }
    if (untrusted.empty() || contained(ctx)) return false;
    auto [names, unused] = describe(untrusted, ctx);
    ctx.report("VG305", at,
               "filesystem path built from " + source + " (" + names +
                   "): `../` reaches any file; use `os.path.basename`/`secure_filename`, or `resolve()` the path and "
                   "check `is_relative_to(base)`");
    return true;
  }

  // An upload's client filename (directly or through one local): reported as VG402.
  static bool is_upload_filename(TSNode e, const Context& ctx) {
    e = unparen(e);
    if (is(e, "identifier")) {
      auto defs = ctx.model().reaching_defs(ctx.text(e), ctx.scope(), e);
      if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign) e = unparen(defs[0]->value);
    }
    while (is(e, "call") && is(field(e, "function"), "attribute")) e = unparen(field(field(e, "function"), "object"));
    return is(e, "attribute") && (ctx.text(field(e, "attribute")) == "filename" || ctx.text(field(e, "attribute")) == "name");
  }

  // The function checks containment itself (resolve() + is_relative_to / commonpath).
  static bool contained(const Context& ctx) {
    TSNode fn = enclosing_function_node(ctx);
    if (is_null(fn)) return false;
    std::string_view body = ctx.text(fn);
    return body.find("is_relative_to") != std::string_view::npos || body.find("commonpath") != std::string_view::npos ||
           body.find("realpath") != std::string_view::npos;
  }
};

// ---------------------------------------------------------------- VG306

const std::unordered_set<std::string_view> kDeserializers = {
    "pickle.load", "pickle.loads", "pickle.Unpickler", "cPickle.load", "cPickle.loads", "_pickle.loads",
    "dill.load", "dill.loads", "shelve.open", "marshal.load", "marshal.loads", "jsonpickle.decode",
    "jsonpickle.loads", "pandas.read_pickle", "joblib.load", "yaml.unsafe_load", "yaml.unsafe_load_all"};

const std::unordered_set<std::string_view> kSafeYamlLoaders = {
    "yaml.SafeLoader", "yaml.CSafeLoader", "yaml.BaseLoader", "yaml.CBaseLoader", "yaml.loader.SafeLoader",
    "yaml.loader.BaseLoader", "yaml.cyaml.CSafeLoader", "yaml.cyaml.CBaseLoader"};

// A safe loader, also when chosen at import time (`try: from yaml import
// CSafeLoader as Loader / except ImportError: from yaml import SafeLoader as
// Loader`), by `getattr(yaml, "CSafeLoader", yaml.SafeLoader)`, or subclassed.
bool is_safe_loader(TSNode loader, const Context& ctx, int depth) {
  loader = unparen(loader);
  if (depth > 3 || is_null(loader)) return false;
  auto q = ctx.model().qualified_name(loader, ctx.scope());
  if (q && kSafeYamlLoaders.count(*q)) return true;
  if (is(loader, "call") && callee(loader, ctx) == std::string("getattr")) {
    auto args = children(field(loader, "arguments"));
    auto module = args.empty() ? std::nullopt : ctx.model().qualified_name(args[0], ctx.scope());
    auto name = args.size() > 1 ? constant_string(args[1], ctx) : std::nullopt;
    return module && name && kSafeYamlLoaders.count(*module + "." + *name) &&
           (args.size() < 3 || is_safe_loader(args[2], ctx, depth + 1));
  }
  if (!is(loader, "identifier")) return false;
  auto defs = ctx.model().reaching_defs(ctx.text(loader), ctx.scope(), loader);
  if (defs.empty()) return false;
  for (const Def* d : defs) {
    bool safe = false;
    if (d->kind == Def::Kind::import) safe = kSafeYamlLoaders.count(d->qualified) > 0;
    else if (d->kind == Def::Kind::assign) safe = is_safe_loader(d->value, ctx, depth + 1);
    else if (d->kind == Def::Kind::class_def)
      for (TSNode base : children(field(d->node, "superclasses")))
        safe = safe || is_safe_loader(base, ctx, depth + 1);
    if (!safe) return false;
  }
  return true;
}

class UnsafeDeserialization : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG306"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    if (!q) return;
    if (kDeserializers.count(*q)) {
      std::string source = untrusted_source(positional_arg(call, 0), ctx);
      std::string message = "`" + *q + "` runs code embedded in the data it reads; use JSON, or sign the data (hmac) "
                            "and refuse unsigned input";
      if (source.empty()) ctx.report("VG306", call, message);
      else ctx.report("VG306", call, message + " (it reads " + source + ")", Severity::critical);
      return;
    }
    if (*q == "yaml.load" || *q == "yaml.load_all") {
      TSNode loader = call_arg(call, 1, "Loader", ctx);
      if (!is_null(loader) && is_safe_loader(loader, ctx, 0)) return;
      std::string message = "`" + *q + "` without a safe loader builds arbitrary Python objects; use `yaml.safe_load`";
      TSNode fn = field(call, "function");
      if (is_null(loader) && *q == "yaml.load" && is(fn, "attribute")) {  // yaml.load(x) -> yaml.safe_load(x)
        ctx.report_with_fix("VG306", call, message, field(fn, "attribute"), "safe_load", "use yaml.safe_load");
      } else {
        ctx.report("VG306", call, message);
      }
      return;
    }
    if (*q == "torch.load") {
      if (constant_bool(keyword_arg(call, "weights_only", ctx), ctx) != true)
        ctx.report("VG306", call, "`torch.load` without `weights_only=True` unpickles the file: a model file can run "
                                  "code");
    }
  }
};

// ---------------------------------------------------------------- VG307

const std::unordered_set<std::string_view> kXmlParsers = {
    "xml.etree.ElementTree.parse", "xml.etree.ElementTree.fromstring", "xml.etree.ElementTree.XML",
    "xml.etree.ElementTree.iterparse", "xml.etree.ElementTree.XMLParser", "xml.etree.cElementTree.parse",
    "xml.etree.cElementTree.fromstring", "xml.etree.cElementTree.XML", "xml.etree.cElementTree.iterparse",
    "xml.dom.minidom.parse", "xml.dom.minidom.parseString", "xml.dom.pulldom.parse", "xml.dom.pulldom.parseString",
    "xml.dom.expatbuilder.parse", "xml.dom.expatbuilder.parseString", "xml.sax.parse", "xml.sax.parseString",
    "xml.sax.make_parser", "xml.sax.expatreader.create_parser", "xml.parsers.expat.ParserCreate", "lxml.etree.parse", "lxml.etree.fromstring",
    "lxml.etree.XML", "lxml.etree.iterparse", "xmlrpc.client.loads"};

class XmlExternalEntities : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG307"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    if (!q || !kXmlParsers.count(*q)) return;
    TSNode input = positional_arg(call, 0);
    bool no_input = q->ends_with("make_parser") || q->ends_with("create_parser") || q->ends_with("ParserCreate") || q->ends_with("XMLParser");
    if (!no_input && (is_null(input) || constant_string(input, ctx))) return;  // a literal document is trusted
    if (q->starts_with("lxml.")) {
      // lxml with a parser that does not resolve entities is safe.
      TSNode parser = call_arg(call, 1, "parser", ctx);
      if (!is_null(parser) && ctx.text(parser).find("resolve_entities=False") != std::string_view::npos) return;
      if (is(unparen(parser), "identifier")) {
        auto defs = ctx.model().reaching_defs(ctx.text(unparen(parser)), ctx.scope(), unparen(parser));
        if (defs.size() == 1 && defs[0]->kind == Def::Kind::assign &&
            ctx.text(defs[0]->value).find("resolve_entities=False") != std::string_view::npos)
          return;
      }
    }
    std::string source = untrusted_source(input, ctx);
    std::string message = "`" + *q + "` parses XML whose entities can read local files (XXE) or expand without "
                          "bound (billion laughs); use `defusedxml`";
    if (source.empty()) ctx.report("VG307", call, message);
    else ctx.report("VG307", call, message + " (it parses " + source + ")", Severity::critical);
  }
};

}  // namespace

VIGIL_REGISTER_PYTHON_CHECKER(SqlBuiltFromStrings);
VIGIL_REGISTER_PYTHON_CHECKER(CommandInjection);
VIGIL_REGISTER_PYTHON_CHECKER(CodeInjection);
VIGIL_REGISTER_PYTHON_CHECKER(TemplateInjection);
VIGIL_REGISTER_PYTHON_CHECKER(PathTraversal);
VIGIL_REGISTER_PYTHON_CHECKER(UnsafeDeserialization);
VIGIL_REGISTER_PYTHON_CHECKER(XmlExternalEntities);

}  // namespace vigil::python
