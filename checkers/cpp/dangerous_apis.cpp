// Family 9, dangerous APIs, for C++: VG902 insecure-temp-file, VG903
// permissive-file-permissions.
#include <string>

#include "frontends/cpp/checker.h"

namespace vigil::cpp {
namespace {

using namespace match;

// A string literal naming a fixed path in a shared temporary directory.
std::optional<std::string> shared_tmp_path(const clang::Expr* e) {
  const auto* s = llvm::dyn_cast_or_null<clang::StringLiteral>(e ? e->IgnoreParenImpCasts() : nullptr);
  if (!s || s->getCharByteWidth() != 1) return std::nullopt;
  std::string path = s->getString().str();
  for (const char* dir : {"/tmp/", "/var/tmp/", "/dev/shm/"})
    if (path.starts_with(dir) && path.size() > std::string(dir).size()) return path;
  return std::nullopt;
}

// ---------------------------------------------------------------- VG902

class InsecureTempFile : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG902"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(
        callExpr(callee(functionDecl(hasAnyName("::tmpnam", "::tmpnam_r", "::tempnam", "::mktemp")).bind("fn")))
            .bind("racy"),
        cb);
    // A fixed name in /tmp opened as a file: fopen, open, creat, fstreams.
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("::fopen", "::open", "::creat", "::freopen"))),
                               hasArgument(0, ignoringParenImpCasts(stringLiteral().bind("path")))),
                      cb);
    finder.addMatcher(
        cxxConstructExpr(hasDeclaration(cxxConstructorDecl(ofClass(
                             hasAnyName("::std::basic_ofstream", "::std::basic_fstream", "::std::basic_ifstream")))),
                         hasArgument(0, ignoringParenImpCasts(stringLiteral().bind("path")))),
        cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    if (const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("racy")) {
      std::string name = r.Nodes.getNodeAs<clang::FunctionDecl>("fn")->getNameAsString();
      ctx.report("VG902", call->getSourceRange(),
                 "`" + name + "` returns a name that another process can create first (a symlink to a file of "
                 "yours); use mkstemp() or mkdtemp(), which create the file atomically");
      return;
    }
    const auto* literal = r.Nodes.getNodeAs<clang::StringLiteral>("path");
    if (auto path = shared_tmp_path(literal))
      ctx.report("VG902", literal->getSourceRange(),
                 "fixed path `" + *path + "` in a shared temporary directory: another user can create it first "
                 "or link it elsewhere; use mkstemp() or a private directory");
  }
};

// ---------------------------------------------------------------- VG903

constexpr int64_t kGroupWrite = 020, kOtherWrite = 02;

std::string octal(int64_t mode) {
  if (mode == 0) return "0";
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0%llo", static_cast<long long>(mode));
  return buffer;
}

class PermissiveFilePermissions : public Checker {
 public:
  std::vector<std::string> rule_ids() const override { return {"VG903"}; }

  void register_matchers(MatchFinder& finder, MatchFinder::MatchCallback* cb) const override {
    finder.addMatcher(
        callExpr(callee(functionDecl(hasAnyName("::chmod", "::fchmod", "::fchmodat", "::umask")).bind("fn")))
            .bind("call"),
        cb);
    finder.addMatcher(callExpr(callee(functionDecl(hasName("::std::filesystem::permissions")).bind("fn")))
                          .bind("call"),
                      cb);
  }

  void check(const MatchFinder::MatchResult& r, Context& ctx) const override {
    const auto* call = r.Nodes.getNodeAs<clang::CallExpr>("call");
    std::string name = r.Nodes.getNodeAs<clang::FunctionDecl>("fn")->getNameAsString();
    if (name == "umask") return check_umask(call, ctx);
    size_t mode_index = name == "fchmodat" ? 2 : 1;
    if (call->getNumArgs() <= mode_index) return;
    if (name == "permissions" && removes_permissions(call, ctx)) return;
    auto mode = integer(call->getArg(mode_index), ctx.ast());
    if (!mode || !(*mode & (kGroupWrite | kOtherWrite))) return;
    std::string who = *mode & kOtherWrite ? "every user" : "the file's group";
    ctx.report("VG903", call->getArg(mode_index)->getSourceRange(),
               "mode " + octal(*mode & 07777) + " lets " + who + " write the file: a local user can change what it "
               "holds (code, configuration, data); use 0600 or 0644 (0700/0755 for directories)");
  }

 private:
  // permissions(p, perms::others_write, perm_options::remove) takes bits away.
  static bool removes_permissions(const clang::CallExpr* call, Context& ctx) {
    if (call->getNumArgs() < 3) return false;
    auto options = integer(call->getArg(2), ctx.ast());
    return options && (*options & 0x4);  // std::filesystem::perm_options::remove
  }

  static void check_umask(const clang::CallExpr* call, Context& ctx) {
    if (call->getNumArgs() < 1) return;
    auto mask = integer(call->getArg(0), ctx.ast());
    if (!mask || (*mask & (kGroupWrite | kOtherWrite)) == (kGroupWrite | kOtherWrite)) return;
    ctx.report("VG903", call->getArg(0)->getSourceRange(),
               "umask " + octal(*mask) + " lets files this process creates be writable by the group or by every "
               "user; use 022 or 077");
  }
};

}  // namespace

VIGIL_REGISTER_CPP_CHECKER(InsecureTempFile);
VIGIL_REGISTER_CPP_CHECKER(PermissiveFilePermissions);

}  // namespace vigil::cpp
