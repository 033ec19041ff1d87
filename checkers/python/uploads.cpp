// Family 4, uploads: VG401 upload-without-validation, VG402
// upload-client-filename-in-path, VG403 unbounded-upload-read.
//
// VG401 and VG403 are decided in the project phase, because the checks may
// live in helpers of other modules (the standard's `secure_file_upload`).
// Each file emits facts about the uploads its functions handle:
//   upload.check    an extension allow-list, a size limit or a content check
//   upload.store    the upload written, saved or stored
//   upload.read     an unbounded read of the whole upload
//   upload.forward  the upload (or a value derived from it) passed to a call
//   upload.function a function's parameter names (to map keyword arguments)
//   upload.limit    a framework-wide request size limit (Flask MAX_CONTENT_LENGTH)
// An upload is identified per function by its source: a parameter
// ("param:file") or a request access ("request:request.files["doc"]").
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <unordered_set>

#include "checkers/python/common.h"

namespace vigil::python {
namespace {

constexpr int kMaxDepth = 12;

const std::unordered_set<std::string_view> kUploadClasses = {
    "fastapi.UploadFile", "fastapi.datastructures.UploadFile", "starlette.datastructures.UploadFile"};

// Content (magic number / decoder) checks.
const std::unordered_set<std::string_view> kContentChecks = {
    "magic.from_buffer", "magic.from_file", "magic.from_descriptor", "magic.Magic().from_buffer",
    "magic.Magic().from_file", "magic.detect_from_content", "filetype.guess", "filetype.guess_mime",
    "filetype.guess_extension", "filetype.is_image", "filetype.is_archive", "imghdr.what", "PIL.Image.open",
    "puremagic.from_string", "puremagic.magic_string", "puremagic.from_stream", "fleep.get"};

// Names of parameters that may hold an upload handed over by a caller.
const std::unordered_set<std::string_view> kUploadWords = {
    "file", "files", "upload", "uploads", "uploaded", "attachment", "image", "img", "photo", "avatar",
    "document", "doc", "f", "fp", "fileobj", "filename", "storage", "picture", "media", "content", "contents"};

// Calls that write data somewhere: (method or function, which argument).
const std::unordered_set<std::string_view> kWriteMethods = {"write", "write_bytes", "writelines",
                                                            "upload_fileobj", "put_object", "upload_file"};

struct Source {
  std::string key;   // "param:file" or "request:<access text>"
  int param = -1;    // parameter index, or -1
  bool known = false;  // known to be an upload (annotation or request access)
  std::string framework;
  explicit operator bool() const { return !key.empty(); }
};

// ---------------------------------------------------------------- recognition

// `request.files["x"]`, `request.files.get("x")`, `request.FILES[...]`,
// `(await request.form())["x"]`: the upload object itself.
std::string request_upload_framework(TSNode expr, const Context& ctx) {
  expr = unparen(expr);
  if (!is(expr, "subscript") && !is(expr, "call")) return {};
  auto q = ctx.model().qualified_name(expr, ctx.scope());
  if (q) {
    if (q->starts_with("flask.request.files") &&
        (q->ends_with("[]") || q->ends_with(".get()") || q->ends_with(".getlist()")))
      return "flask";
    bool request = q->starts_with("fastapi.Request().form()") || q->starts_with("starlette.requests.Request().form()");
    if (request && (q->ends_with("()[]") || q->ends_with(".get()") || q->ends_with(".getlist()"))) return "starlette";
  }
  // Django views take an unannotated `request`; FILES is Django's alone.
  TSNode base = is(expr, "subscript") ? field(expr, "value") : receiver(expr);
  if (is(base, "attribute") && ctx.text(field(base, "attribute")) == "FILES") {
    std::string_view m = is(expr, "call") ? method_name(expr, ctx) : "";
    if (is(expr, "subscript") || m == "get" || m == "getlist") return "django";
  }
  return {};
}

// Does a parameter annotation name UploadFile (also inside List[...]/Optional[...])?
bool annotation_is_upload(TSNode type, int scope, const Context& ctx, int depth = 0) {
  if (is_null(type) || depth > 6) return false;
  if (is(type, "identifier") || is(type, "attribute")) {
    auto q = ctx.model().qualified_name(type, scope);
    return q && kUploadClasses.count(*q);
  }
  for (TSNode c : children(type))
    if (annotation_is_upload(c, scope, ctx, depth + 1)) return true;
  return false;
}

bool is_upload_word_name(std::string_view name) {
  for (const auto& w : words_of(name))
    if (kUploadWords.count(w)) return true;
  return false;
}

// A parameter of the current function that may be an upload.
Source param_source(const Def& d, const Context& ctx) {
  std::string name(ctx.text(is(d.node, "identifier") ? d.node : field(d.node, "name")));
  if (is(d.node, "typed_parameter")) name = ctx.text(named_child(d.node, 0));
  bool known = annotation_is_upload(d.value, ctx.model().scope(d.scope).parent, ctx);
  if (!known && !is_upload_word_name(name)) return {};
  int index = 0;
  TSNode params = parent_of(d.node);
  for (TSNode p : children(params)) {
    if (p.id == d.node.id) break;
    ++index;
  }
  return {"param:" + name, index, known, known ? "fastapi" : ""};
}

// The first upload source `expr` is derived from (the upload itself, its
// filename, its contents...), through local variables of the function.
Source find_source(TSNode expr, const Context& ctx, int depth = 0) {
  expr = unparen(expr);
  if (is_null(expr) || depth > kMaxDepth) return {};
  if (std::string fw = request_upload_framework(expr, ctx); !fw.empty())
    return {"request:" + std::string(ctx.text(expr)), -1, true, fw};
  std::string_view k = kind(expr);
  if (k == "identifier") {
    for (const Def* d : ctx.model().reaching_defs(ctx.text(expr), ctx.scope(), expr)) {
      if (d->scope != ctx.scope()) continue;
      if (d->kind == Def::Kind::param) {
        if (Source s = param_source(*d, ctx)) return s;
      } else if (d->kind == Def::Kind::assign || d->kind == Def::Kind::loop || d->kind == Def::Kind::with_item ||
                 d->kind == Def::Kind::aug_assign) {
        if (Source s = find_source(d->value, ctx, depth + 1)) return s;
      }
    }
    return {};
  }
  if (k == "string" || k == "keyword_argument" || k == "argument_list" || k == "attribute" || k == "subscript" ||
      k == "call" || k == "await" || k == "binary_operator" || k == "interpolation" || k == "comparison_operator" ||
      k == "boolean_operator" || k == "not_operator" || k == "list" || k == "tuple" || k == "conditional_expression") {
    for (TSNode c : children(expr)) {
      if (is(expr, "attribute") && c.id == field(expr, "attribute").id) continue;
      if (is(expr, "keyword_argument") && c.id == field(expr, "name").id) continue;
      if (Source s = find_source(c, ctx, depth + 1)) return s;
    }
  }
  return {};
}

// Is `expr` the upload object (or its `.file` / `.stream`), not merely derived from it?
bool is_upload_handle(TSNode expr, const Context& ctx, int depth = 0) {
  expr = unparen(expr);
  if (is_null(expr) || depth > kMaxDepth) return false;
  if (!request_upload_framework(expr, ctx).empty()) return true;
  if (is(expr, "attribute")) {
    std::string_view a = ctx.text(field(expr, "attribute"));
    return (a == "file" || a == "stream") && is_upload_handle(field(expr, "object"), ctx, depth + 1);
  }
  if (!is(expr, "identifier")) return false;
  for (const Def* d : ctx.model().reaching_defs(ctx.text(expr), ctx.scope(), expr)) {
    if (d->scope != ctx.scope()) continue;
    if (d->kind == Def::Kind::param) return static_cast<bool>(param_source(*d, ctx));
    if ((d->kind == Def::Kind::assign || d->kind == Def::Kind::loop) && is_upload_handle(d->value, ctx, depth + 1))
      return true;
  }
  return false;
}

// "module.Class.function" of the function holding the current scope.
std::string function_name(const Context& ctx) {
  const Model& m = ctx.model();
  int fn = m.enclosing_function(ctx.scope());
  if (fn < 0) return ctx.module() + ".<module>";
  std::string name;
  for (int s = fn; s > 0; s = m.scope(s).parent) {
    TSNode n = m.scope(s).node;
    if (is(n, "function_definition") || is(n, "class_definition"))
      name = std::string(ctx.text(field(n, "name"))) + (name.empty() ? "" : "." + name);
  }
  return ctx.module() + "." + name;
}

std::string resolved_callee(TSNode call, const Context& ctx) {
  auto q = callee(call, ctx);
  if (!q) return {};
  if (q->starts_with("__local__.")) return ctx.module() + "." + q->substr(10);
  return *q;
}

nlohmann::json source_json(const Source& s, const Context& ctx, TSNode at) {
  return {{"fn", function_name(ctx)}, {"src", s.key}, {"param", s.param}, {"known", s.known},
          {"framework", s.framework}, {"pos", start(at)}};
}

// ---------------------------------------------------------------- facts

class UploadFacts : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG401", "VG403"}; }
  std::vector<std::string> node_kinds() const override {
    return {"call", "comparison_operator", "function_definition", "assignment", "keyword_argument", "pair",
            "match_statement"};
  }

  void check(TSNode node, Context& ctx) const override {
    std::string_view k = kind(node);
    if (k == "call") return on_call(node, ctx);
    if (k == "comparison_operator") return on_comparison(node, ctx);
    if (k == "function_definition") return on_function(node, ctx);
    if (k == "match_statement") return on_match(node, ctx);
    on_limit(node, ctx);
  }

 private:
  static void check_fact(const Source& s, const char* what, TSNode at, Context& ctx) {
    auto data = source_json(s, ctx, at);
    data["check"] = what;
    ctx.fact("upload.check", at, data);
  }

  static void on_comparison(TSNode cmp, Context& ctx) {
    std::set<std::string> ops;
    for (uint32_t i = 0; i < ts_node_child_count(cmp); ++i) {
      TSNode c = ts_node_child(cmp, i);
      if (!ts_node_is_named(c)) ops.insert(ts_node_type(c));
    }
    auto operands = children(cmp);
    std::string text = lower(ctx.text(cmp));
    bool ordering = ops.count("<") || ops.count(">") || ops.count("<=") || ops.count(">=");
    bool membership = ops.count("in") || ops.count("not in") || ops.count("==") || ops.count("!=");
    Source s = find_source(cmp, ctx);
    if (ordering) {
      if (s) return check_fact(s, "size", cmp, ctx);
      // A request-wide size check covers every upload of the handler.
      if (text.find("content_length") != std::string::npos || text.find("content-length") != std::string::npos)
        return check_fact({"*", -1, false, ""}, "size", cmp, ctx);
      return;
    }
    if (!membership || !s) return;
    for (TSNode o : operands) {  // `file.filename == ""` is a presence test
      TSNode b = unparen(o);
      if (is(b, "none") || (is(b, "string") && constant_string(b, ctx) == std::string())) return;
    }
    if (names_file_type(text)) check_fact(s, "extension", cmp, ctx);
  }

  // Does the text of a test look at the file's name, extension or declared type?
  static bool names_file_type(const std::string& text) {
    for (const char* word : {"ext", "suffix", "filename", "content_type", "mimetype", ".name", "splitext"})
      if (text.find(word) != std::string::npos) return true;
    return false;
  }

  // match Path(file.filename).suffix.lower(): case ".png" | ".jpg": ...
  static void on_match(TSNode stmt, Context& ctx) {
    TSNode subject = field(stmt, "subject");
    if (!names_file_type(lower(ctx.text(subject)))) return;
    if (Source s = find_source(subject, ctx)) check_fact(s, "extension", stmt, ctx);
  }

  static void on_call(TSNode call, Context& ctx) {
    std::string_view m = method_name(call, ctx);
    auto q = callee(call, ctx);
    TSNode args = field(call, "arguments");
    if (q && kContentChecks.count(*q)) {
      if (Source s = find_source(args, ctx)) check_fact(s, "content", call, ctx);
      return;
    }
    if (m == "endswith" || (m == "startswith" && names_file_type(lower(ctx.text(receiver(call)))))) {
      if (Source s = find_source(receiver(call), ctx)) check_fact(s, "extension", call, ctx);
      return;
    }
    if (Source s = stored_source(call, m, q, ctx)) {
      auto data = source_json(s, ctx, call);
      data["what"] = std::string(ctx.text(field(call, "function")));
      ctx.fact("upload.store", call, data);
      return;
    }
    if (m == "read" && is_unbounded_read(call, ctx) && is_upload_handle(receiver(call), ctx)) {
      if (Source s = find_source(receiver(call), ctx)) ctx.fact("upload.read", call, source_json(s, ctx, call));
      return;
    }
    forward(call, ctx);
  }

  static bool is_unbounded_read(TSNode call, const Context& ctx) {
    TSNode size = call_arg(call, 0, "size", ctx);
    if (is_null(size)) return true;
    auto n = ctx.model().number(size, ctx.scope());
    return (n && *n < 0) || is(unparen(size), "none");
  }

  // The upload written by this call: `file.save(path)`, `out.write(contents)`,
  // `shutil.copyfileobj(file.file, out)`, `storage.save(name, file)`.
  static Source stored_source(TSNode call, std::string_view m, const std::optional<std::string>& q, Context& ctx) {
    if (m == "save") {
      if (is_upload_handle(receiver(call), ctx)) return find_source(receiver(call), ctx);
      for (TSNode a : children(field(call, "arguments")))
        if (is_upload_handle(is(a, "keyword_argument") ? field(a, "value") : a, ctx)) return find_source(a, ctx);
      return {};
    }
    if (kWriteMethods.count(m) || (q && (*q == "shutil.copyfileobj" || *q == "shutil.copyfile"))) {
      TSNode data = m == "put_object" ? keyword_arg(call, "Body", ctx) : positional_arg(call, 0);
      return find_source(data, ctx);
    }
    return {};
  }

  static void forward(TSNode call, Context& ctx) {
    std::string target = resolved_callee(call, ctx);
    if (target.empty()) return;
    size_t index = 0;
    for (TSNode a : children(field(call, "arguments"))) {
      bool keyword = is(a, "keyword_argument");
      if (Source s = find_source(keyword ? field(a, "value") : a, ctx)) {
        auto data = source_json(s, ctx, call);
        data["callee"] = target;
        if (keyword) data["keyword"] = std::string(ctx.text(field(a, "name")));
        else data["arg"] = index;
        ctx.fact("upload.forward", call, data);
      }
      if (!keyword) ++index;
    }
  }

  static void on_function(TSNode fn, Context& ctx) {
    // The visit happens in the enclosing scope; name the function itself.
    int inner = ctx.model().scope_of_node(fn, -1);
    if (inner < 0) return;
    nlohmann::json params = nlohmann::json::array();
    bool any = false;
    for (TSNode p : children(field(fn, "parameters"))) {
      TSNode name = is(p, "identifier") ? p : is(p, "typed_parameter") ? named_child(p, 0) : field(p, "name");
      std::string text(ctx.text(name));
      params.push_back(text);
      any = any || is_upload_word_name(text) || is(p, "typed_parameter") || is(p, "typed_default_parameter");
    }
    if (!any) return;
    Context inner_ctx = ctx;
    inner_ctx.set_scope(inner);
    ctx.fact("upload.function", fn, {{"fn", function_name(inner_ctx)}, {"params", params}});
    dependency_forwards(fn, inner_ctx);
  }

  // FastAPI: `file: UploadFile = Depends(valid_image)`: the dependency gets the
  // upload first, so its checks count for the handler's parameter.
  static void dependency_forwards(TSNode fn, Context& ctx) {
    int index = 0;
    for (TSNode p : children(field(fn, "parameters"))) {
      TSNode value = is(p, "default_parameter") || is(p, "typed_default_parameter") ? field(p, "value") : TSNode{};
      if (is(value, "call")) {
        auto q = callee(value, ctx);
        if (q && (*q == "fastapi.Depends" || *q == "fastapi.params.Depends")) {
          auto dep = ctx.model().qualified_name(positional_arg(value, 0), ctx.scope());
          std::string name(ctx.text(field(p, "name")));
          bool known = annotation_is_upload(field(p, "type"), ctx.model().scope(ctx.scope()).parent, ctx);
          if (dep && (known || is_upload_word_name(name))) {
            std::string target = dep->starts_with("__local__.") ? ctx.module() + "." + dep->substr(10) : *dep;
            auto data = source_json({"param:" + name, index, known, known ? "fastapi" : ""}, ctx, p);
            data["callee"] = target;
            data["arg"] = 0;
            ctx.fact("upload.forward", p, data);
          }
        }
      }
      ++index;
    }
  }

  // Flask's request size limit: app.config["MAX_CONTENT_LENGTH"] = ...,
  // `MAX_CONTENT_LENGTH = ...` in a config module or class,
  // app.config.update(MAX_CONTENT_LENGTH=...), {"MAX_CONTENT_LENGTH": ...}.
  static void on_limit(TSNode node, Context& ctx) {
    std::string name;
    if (is(node, "assignment")) {
      TSNode target = field(node, "left");
      name = name_of(target, ctx);
      if (is(target, "identifier") && ctx.scope() != 0 && ctx.model().scope(ctx.scope()).kind != Scope::Kind::class_body)
        return;
    } else if (is(node, "keyword_argument")) {
      name = ctx.text(field(node, "name"));
    } else {
      name = constant_string(field(node, "key"), ctx).value_or("");
    }
    if (name == "MAX_CONTENT_LENGTH") ctx.fact("upload.limit", node, {{"framework", "flask"}});
  }
};

// ---------------------------------------------------------------- project phase

enum Check : unsigned { kExtension = 1, kSize = 2, kContent = 4, kAll = 7 };

unsigned check_bit(const std::string& name) {
  if (name == "extension") return kExtension;
  if (name == "size") return kSize;
  if (name == "content") return kContent;
  return 0;
}

std::string missing_text(unsigned missing) {
  std::vector<std::string> parts;
  if (missing & kExtension) parts.push_back("an extension allow-list");
  if (missing & kSize) parts.push_back("a size limit");
  if (missing & kContent) parts.push_back("a content (magic-number) check");
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i)
    out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return out;
}

class UploadProject : public ProjectChecker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG401", "VG403"}; }

  void check(const ProjectFacts& facts, ProjectContext& ctx) const override {
    Graph g(facts);
    for (const auto& [key, use] : g.uses) {
      if (!use.known || (use.param >= 0 && !g.callers(key).empty())) continue;  // not a root
      if (const Fact* at = g.store_reached(key)) {
        unsigned missing = kAll & ~g.effective(key);
        if (use.framework == "flask" && g.flask_limit) missing &= ~kSize;
        if (missing)
          ctx.report("VG401", *at,
                     "uploaded file `" + key.second.substr(key.second.find(':') + 1) + "` is stored without " +
                         missing_text(missing) + describe_where(*at));
      }
    }
    for (const Fact* read : facts.of_kind("upload.read")) {
      Key key{read->data["fn"], read->data["src"]};
      const Use& use = g.uses[key];
      if (use.framework == "flask" && g.flask_limit) continue;
      uint64_t pos = read->data["pos"];
      if (g.effective_before(key, pos) & kSize) continue;
      auto callers = g.callers(key);
      if (!use.known && callers.empty()) continue;  // not known to be an upload
      bool checked_by_callers = !callers.empty();
      for (const Fact* c : callers)
        checked_by_callers = checked_by_callers &&
                             (g.effective_before({c->data["fn"], c->data["src"]}, c->data["pos"]) & kSize);
      if (checked_by_callers) continue;
      ctx.report("VG403", *read,
                 "the whole upload is read into memory before any size check; check the size first (or read in "
                 "bounded chunks) so a large upload cannot exhaust memory");
    }
  }

 private:
  using Key = std::pair<std::string, std::string>;  // function, source

  static std::string describe_where(const Fact& at) {
    if (at.kind == "upload.forward")
      return " (it is stored by `" + at.data["callee"].get<std::string>() + "`)";
    return "";
  }

  struct Use {
    bool known = false;
    int param = -1;
    std::string framework;
    std::vector<std::pair<uint64_t, unsigned>> checks;  // position, check bit
    std::vector<const Fact*> stores, forwards;
  };

  struct Graph {
    std::map<Key, Use> uses;
    std::map<std::string, std::vector<std::string>> params;  // function -> parameter names
    std::map<std::string, std::vector<std::pair<uint64_t, unsigned>>> wildcard_checks;  // function -> checks
    std::vector<const Fact*> all_forwards;
    std::map<Key, std::vector<const Fact*>> callers_of;
    bool flask_limit = false;

    explicit Graph(const ProjectFacts& facts) {
      for (const Fact* f : facts.of_kind("upload.function"))
        params[f->data["fn"]] = f->data["params"].get<std::vector<std::string>>();
      flask_limit = !facts.of_kind("upload.limit").empty();
      for (const char* kind : {"upload.check", "upload.store", "upload.read", "upload.forward"})
        for (const Fact* f : facts.of_kind(kind)) {
          if (f->data["src"] == "*") {
            wildcard_checks[f->data["fn"]].push_back({f->data["pos"], check_bit(f->data["check"])});
            continue;
          }
          Use& u = uses[{f->data["fn"], f->data["src"]}];
          u.known = u.known || f->data["known"].get<bool>();
          u.param = f->data["param"];
          if (u.framework.empty()) u.framework = f->data["framework"];
          if (f->kind == "upload.check") u.checks.push_back({f->data["pos"], check_bit(f->data["check"])});
          if (f->kind == "upload.store") u.stores.push_back(f);
          if (f->kind == "upload.forward") {
            u.forwards.push_back(f);
            all_forwards.push_back(f);
          }
        }
      for (const Fact* f : all_forwards)  // resolved once: callers() is asked for every use
        if (Key k = target(*f); !k.first.empty()) callers_of[k].push_back(f);
    }

    // The function a callee name denotes: the same dotted name, or one
    // that ends like it (imports relative to another root).
    std::string resolve(const std::string& callee) const {
      if (params.count(callee)) return callee;
      auto known = resolved.find(callee);
      if (known != resolved.end()) return known->second;
      std::string out;
      for (const auto& [fn, p] : params)
        if (fn.ends_with("." + callee) || callee.ends_with("." + fn)) {
          out = fn;
          break;
        }
      resolved.emplace(callee, out);
      return out;
    }
    mutable std::map<std::string, std::string> resolved;  // callee -> function, memoised

    // The (function, source) a forward lands in, or an empty key.
    Key target(const Fact& forward) const {
      std::string fn = resolve(forward.data["callee"]);
      if (fn.empty()) return {};
      const auto& names = params.at(fn);
      std::string name;
      if (forward.data.contains("keyword")) {
        name = forward.data["keyword"];
      } else {
        size_t arg = forward.data["arg"];
        if (!names.empty() && (names[0] == "self" || names[0] == "cls")) ++arg;
        if (arg >= names.size()) return {};
        name = names[arg];
      }
      return {fn, "param:" + name};
    }

    std::vector<const Fact*> callers(const Key& key) const {
      auto it = callers_of.find(key);
      return it == callers_of.end() ? std::vector<const Fact*>{} : it->second;
    }

    unsigned local(const Key& key, uint64_t before) const {
      unsigned mask = 0;
      auto it = uses.find(key);
      if (it != uses.end())
        for (const auto& [pos, bit] : it->second.checks)
          if (pos < before) mask |= bit;
      if (auto w = wildcard_checks.find(key.first); w != wildcard_checks.end())
        for (const auto& [pos, bit] : w->second)
          if (pos < before) mask |= bit;
      return mask;
    }

    unsigned effective(const Key& key) const { return effective_before(key, UINT64_MAX); }

    // Checks made before `before`: locally, or by helpers called before it.
    unsigned effective_before(const Key& key, uint64_t before) const {
      std::set<Key> visiting;
      return effective_before(key, before, visiting);
    }

    unsigned effective_before(const Key& key, uint64_t before, std::set<Key>& visiting) const {
      if (!visiting.insert(key).second) return 0;
      unsigned mask = local(key, before);
      auto it = uses.find(key);
      if (it != uses.end())
        for (const Fact* f : it->second.forwards) {
          if (f->data["pos"].get<uint64_t>() >= before) continue;
          Key t = target(*f);
          if (!t.first.empty()) mask |= effective_before(t, UINT64_MAX, visiting);
        }
      return mask;
    }

    // Where the upload is stored: a local store, or the call handing it to a
    // helper that stores it.
    const Fact* store_reached(const Key& key) const {
      std::set<Key> visiting;
      return store_reached(key, visiting);
    }

    const Fact* store_reached(const Key& key, std::set<Key>& visiting) const {
      if (!visiting.insert(key).second) return nullptr;
      auto it = uses.find(key);
      if (it == uses.end()) return nullptr;
      if (!it->second.stores.empty()) return it->second.stores.front();
      for (const Fact* f : it->second.forwards) {
        Key t = target(*f);
        if (!t.first.empty() && store_reached(t, visiting)) return f;
      }
      return nullptr;
    }
  };
};

// ---------------------------------------------------------------- VG402

// Calls whose argument is a filesystem path: (callee, argument position).
// `Path(name)` alone is not a use: `Path(file.filename).suffix` is how the
// extension is taken safely; the `/` operator and the calls below are.
struct PathSink {
  std::string_view callee;
  int position;  // -1: every argument after the first
};
constexpr PathSink kPathSinks[] = {
    {"open", 0}, {"io.open", 0}, {"aiofiles.open", 0}, {"os.path.join", -1}, {"shutil.copy", 1}, {"shutil.copyfile", 1}, {"shutil.move", 1},
    {"os.rename", 1}, {"os.replace", 1}, {"os.makedirs", 0}, {"os.open", 0}};

// Calls that make a client filename safe to use in a path.
const std::unordered_set<std::string_view> kFilenameSanitizers = {
    "werkzeug.utils.secure_filename", "werkzeug.secure_filename", "os.path.basename",
    "django.utils.text.get_valid_filename", "pathvalidate.sanitize_filename"};

class ClientFilenameInPath : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG402"}; }
  std::vector<std::string> node_kinds() const override { return {"call", "binary_operator"}; }

  void check(TSNode node, Context& ctx) const override {
    if (is(node, "binary_operator")) {
      // pathlib: upload_dir / file.filename
      if (ctx.text(field(node, "operator")) != "/") return;
      if (TSNode name = client_filename(field(node, "right"), ctx); !is_null(name)) report(node, name, ctx);
      return;
    }
    auto q = callee(node, ctx);
    std::string_view m = method_name(node, ctx);
    if (m == "save" && is_upload_handle(receiver(node), ctx)) {
      if (TSNode name = client_filename(call_arg(node, 0, "dst", ctx), ctx); !is_null(name)) report(node, name, ctx);
      return;
    }
    if (!q) return;
    for (const auto& sink : kPathSinks) {
      if (*q != sink.callee) continue;
      auto args = children(field(node, "arguments"));
      for (size_t i = 0; i < args.size(); ++i) {
        if (is(args[i], "keyword_argument")) break;
        if (sink.position >= 0 ? static_cast<int>(i) != sink.position : i == 0) continue;
        if (TSNode name = client_filename(args[i], ctx); !is_null(name)) return report(node, name, ctx);
      }
      return;
    }
  }

 private:
  static void report(TSNode at, TSNode name, Context& ctx) {
    ctx.report("VG402", at,
               "client-supplied filename `" + std::string(ctx.text(name)) +
                   "` is used in a filesystem path (`../` escapes the upload directory); use `secure_filename()` or "
                   "a server-generated name such as `uuid4().hex`");
  }

  // The `x.filename` node an expression carries unchanged (through locals,
  // string building and case/whitespace methods), or a null node.
  static TSNode client_filename(TSNode expr, const Context& ctx, int depth = 0) {
    expr = unparen(expr);
    if (is_null(expr) || depth > kMaxDepth) return TSNode{};
    std::string_view k = kind(expr);
    if (k == "attribute") {
      if (ctx.text(field(expr, "attribute")) != "filename") return TSNode{};
      TSNode object = field(expr, "object");
      if (is_upload_handle(object, ctx) || is_upload_word_name(name_of(object, ctx))) return expr;
      return TSNode{};
    }
    if (k == "identifier") {
      auto defs = ctx.model().reaching_defs(ctx.text(expr), ctx.scope(), expr);
      for (const Def* d : defs)
        if (d->kind == Def::Kind::assign && d->scope == ctx.scope())
          if (TSNode n = client_filename(d->value, ctx, depth + 1); !is_null(n)) return n;
      return TSNode{};
    }
    if (k == "call") {
      auto q = callee(expr, ctx);
      if (q && (kFilenameSanitizers.count(*q) || q->ends_with("secure_filename"))) return TSNode{};
      std::string_view m = method_name(expr, ctx);
      if (m == "lower" || m == "upper" || m == "strip" || m == "replace" || m == "encode" || m == "decode")
        return client_filename(receiver(expr), ctx, depth + 1);
      if (q && *q == "str") return client_filename(positional_arg(expr, 0), ctx, depth + 1);
    }
    StringFacts facts = ctx.model().string_facts(expr, ctx.scope());
    if (facts.is_built())
      for (const auto& part : facts.parts)
        if (TSNode n = client_filename(part.node, ctx, depth + 1); !is_null(n)) return n;
    return TSNode{};
  }
};

}  // namespace

VIGIL_REGISTER_PYTHON_CHECKER(UploadFacts);
VIGIL_REGISTER_PYTHON_CHECKER(ClientFilenameInPath);
VIGIL_REGISTER_PROJECT_CHECKER(UploadProject);

}  // namespace vigil::python
