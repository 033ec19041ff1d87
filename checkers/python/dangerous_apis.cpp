// Family 9, dangerous APIs (Bandit parity): VG901 assert-for-security, VG902
// insecure-temp-file, VG903 permissive-file-permissions, VG904
// cleartext-protocol, VG905 ssh-host-key-unchecked.
#include <unordered_set>

#include "checkers/python/common.h"

namespace vigil::python {
namespace {

// ---------------------------------------------------------------- VG901

// Words that say a condition is about who may do what. Words with other
// common meanings (token, owner, current, scope, access) are left out: they
// name lexer tokens, DOM owners, indents and symbol tables as often.
const std::unordered_set<std::string_view> kAuthWords = {
    "user", "role", "roles", "admin", "permission", "permissions", "authorized", "authorised", "authenticated",
    "password", "staff", "superuser", "grant", "granted", "acl", "auth", "logged", "privilege", "privileges"};

class AssertForSecurity : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG901"}; }
  std::vector<std::string> node_kinds() const override { return {"assert_statement"}; }

  void check(TSNode stmt, Context& ctx) const override {
    if (is_test_file(ctx.file().path())) return;
    auto parts = children(stmt);
    if (parts.empty()) return;
    for (const auto& w : words_of(ctx.text(parts[0])))
      if (kAuthWords.count(w)) {
        ctx.report("VG901", stmt, "`assert` guards a security check, and `python -O` removes asserts; raise an "
                                  "exception (PermissionError, HTTPException(403)) instead");
        return;
      }
  }
};

// ---------------------------------------------------------------- VG902

const std::unordered_set<std::string_view> kFileOpeners = {
    "open", "io.open", "os.open", "pathlib.Path", "shutil.copy", "shutil.copyfile", "shutil.move",
    "logging.FileHandler", "codecs.open", "aiofiles.open", "os.mkdir", "os.makedirs"};

class InsecureTempFile : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG902"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    if (!q) return;
    if (*q == "tempfile.mktemp" || *q == "os.tempnam" || *q == "os.tmpnam") {
      ctx.report("VG902", call, "`" + *q + "` returns a name another process can create first (symlink race); use "
                                "`tempfile.NamedTemporaryFile()` or `mkstemp()`");
      return;
    }
    if (!kFileOpeners.count(*q)) return;
    for (TSNode a : children(field(call, "arguments"))) {
      if (is(a, "keyword_argument")) break;
      auto path = constant_string(a, ctx);
      if (path && (path->starts_with("/tmp/") || path->starts_with("/var/tmp/") || path->starts_with("/dev/shm/"))) {
        ctx.report("VG902", a, "a fixed path in a shared temporary directory (`" + *path + "`) can be created or "
                               "linked by another user first; use the `tempfile` module");
        return;
      }
    }
  }
};

// ---------------------------------------------------------------- VG903

class PermissiveFilePermissions : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG903"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    if (!q) return;
    TSNode mode{};
    if (*q == "os.chmod" || *q == "os.fchmod" || *q == "os.lchmod") mode = call_arg(call, 1, "mode", ctx);
    else if (method_name(call, ctx) == "chmod" && q->starts_with("pathlib.")) mode = call_arg(call, 0, "mode", ctx);
    else if (*q == "os.umask") {
      auto n = ctx.model().number(call_arg(call, 0, "mask", ctx), ctx.scope());
      if (n && (static_cast<long>(*n) & 0022) != 0022)
        ctx.report("VG903", call, "`os.umask(" + std::string(ctx.text(positional_arg(call, 0))) +
                                      ")` lets new files be writable by the group or by everyone; use 0o022 or 0o077");
      return;
    } else {
      return;
    }
    long bits = mode_bits(mode, ctx);
    if (bits < 0 || (bits & 0022) == 0) return;
    ctx.report("VG903", mode, std::string((bits & 0002) ? "world" : "group") +
                                  "-writable permissions (`" + std::string(ctx.text(mode)) +
                                  "`): other users can change the file; drop the write bits (0o644, 0o600)");
  }

 private:
  // Octal literals, arithmetic and stat.S_* flags combined with |.
  static long mode_bits(TSNode e, const Context& ctx) {
    e = unparen(e);
    if (is(e, "binary_operator") && ctx.text(field(e, "operator")) == "|") {
      long l = mode_bits(field(e, "left"), ctx), r = mode_bits(field(e, "right"), ctx);
      return l < 0 || r < 0 ? -1 : (l | r);
    }
    auto q = ctx.model().qualified_name(e, ctx.scope());
    if (q && q->starts_with("stat.S_")) {
      static const std::pair<const char*, long> kFlags[] = {
          {"stat.S_IRWXU", 0700}, {"stat.S_IRUSR", 0400}, {"stat.S_IWUSR", 0200}, {"stat.S_IXUSR", 0100},
          {"stat.S_IRWXG", 0070}, {"stat.S_IRGRP", 0040}, {"stat.S_IWGRP", 0020}, {"stat.S_IXGRP", 0010},
          {"stat.S_IRWXO", 0007}, {"stat.S_IROTH", 0004}, {"stat.S_IWOTH", 0002}, {"stat.S_IXOTH", 0001}};
      for (const auto& [name, bits] : kFlags)
        if (*q == name) return bits;
      return -1;
    }
    auto n = ctx.model().number(e, ctx.scope());
    return n ? static_cast<long>(*n) : -1;
  }
};

// ---------------------------------------------------------------- VG904

bool is_local_url(const std::string& url) {
  return url.starts_with("http://localhost") || url.starts_with("http://127.") || url.starts_with("http://[::1]");
}

class CleartextProtocol : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG904"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    auto q = callee(call, ctx);
    if (!q) return;
    if (*q == "telnetlib.Telnet" || *q == "ftplib.FTP") {
      ctx.report("VG904", call, "`" + *q + "` sends credentials and data in cleartext; use SSH/SFTP or " +
                                    std::string(*q == "ftplib.FTP" ? "`ftplib.FTP_TLS`" : "SSH"));
      return;
    }
    if (!q->starts_with("requests.") && !q->starts_with("httpx.") && *q != "urllib.request.urlopen") return;
    auto url = constant_string(call_arg(call, 0, "url", ctx), ctx);
    if (!url || !url->starts_with("http://") || is_local_url(*url)) return;
    bool credentials = !is_null(keyword_arg(call, "auth", ctx));
    for (const char* k : {"headers", "data", "json", "params"}) {
      TSNode v = keyword_arg(call, k, ctx);
      if (is_null(v)) continue;
      for (TSNode pair : children(dict_literal(v, ctx)))
        if (is(pair, "pair")) {
          std::string key = lower(constant_string(field(pair, "key"), ctx).value_or(""));
          credentials = credentials || key == "authorization" || is_secret_name(key);
        }
    }
    if (credentials)
      ctx.report("VG904", call, "credentials sent to a plain `http://` URL (`" + url->substr(0, 60) +
                                    "`) can be read on the network; use https");
  }
};

// ---------------------------------------------------------------- VG905

class SshHostKeyUnchecked : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG905"}; }
  std::vector<std::string> node_kinds() const override { return {"call"}; }

  void check(TSNode call, Context& ctx) const override {
    if (method_name(call, ctx) != "set_missing_host_key_policy") return;
    TSNode policy = unparen(positional_arg(call, 0));
    auto q = ctx.model().qualified_name(is(policy, "call") ? field(policy, "function") : policy, ctx.scope());
    if (!q || (*q != "paramiko.AutoAddPolicy" && *q != "paramiko.WarningPolicy" &&
               *q != "paramiko.client.AutoAddPolicy" && *q != "paramiko.client.WarningPolicy"))
      return;
    ctx.report("VG905", call, "`" + last_component(*q) + "` accepts any host key: a machine in the middle gets the "
                              "session and its credentials; load known_hosts and use `RejectPolicy`");
  }
};

}  // namespace

VIGIL_REGISTER_PYTHON_CHECKER(AssertForSecurity);
VIGIL_REGISTER_PYTHON_CHECKER(InsecureTempFile);
VIGIL_REGISTER_PYTHON_CHECKER(PermissiveFilePermissions);
VIGIL_REGISTER_PYTHON_CHECKER(CleartextProtocol);
VIGIL_REGISTER_PYTHON_CHECKER(SshHostKeyUnchecked);

}  // namespace vigil::python
