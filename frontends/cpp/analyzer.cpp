// Analysis of one C++ translation unit: its command from the compilation
// database, clang run in-process (syntax only), and every enabled checker's
// matchers over the declarations outside system headers.
#include "frontends/cpp/analyzer.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendActions.h>
#include <clang/Lex/Lexer.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <algorithm>
#include <filesystem>

#include "core/discovery.h"
#include "frontends/cpp/checker.h"
#include "frontends/cpp/compile_db.h"

namespace vigil::cpp {
namespace fs = std::filesystem;

// ---------------------------------------------------------------- checkers

std::vector<std::unique_ptr<Checker>>& checker_list() {
  static std::vector<std::unique_ptr<Checker>> list;
  return list;
}

bool is_translation_unit(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  return ext == ".cpp" || ext == ".cc" || ext == ".cxx" || ext == ".c++" || ext == ".C" || ext == ".c";
}

std::vector<std::string> checker_rule_ids() {
  std::vector<std::string> ids;
  for (const auto& c : checker_list())
    for (const auto& id : c->rule_ids()) ids.push_back(id);
  return ids;
}

namespace {

// Code points before a 1-based byte column of a line.
uint32_t code_point_column(llvm::StringRef line, unsigned byte_column) {
  uint32_t column = 1;
  for (unsigned i = 0; i + 1 < byte_column && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  return column;
}

llvm::StringRef line_text(const clang::SourceManager& sm, clang::SourceLocation loc) {
  auto [fid, offset] = sm.getDecomposedLoc(loc);
  bool invalid = false;
  llvm::StringRef buffer = sm.getBufferData(fid, &invalid);
  if (invalid) return {};
  size_t begin = buffer.rfind('\n', offset == 0 ? 0 : offset - 1);
  begin = begin == llvm::StringRef::npos || offset == 0 ? 0 : begin + 1;
  size_t end = buffer.find('\n', offset);
  return buffer.slice(begin, end == llvm::StringRef::npos ? buffer.size() : end);
}

}  // namespace

std::optional<Finding> Context::located(clang::SourceRange at) const {
  const clang::SourceManager& sm = this->sm();
  clang::SourceLocation begin = sm.getExpansionLoc(at.getBegin());
  clang::SourceLocation end = sm.getExpansionRange(at.getEnd()).getEnd();
  if (begin.isInvalid() || sm.isInSystemHeader(begin)) return std::nullopt;
  end = clang::Lexer::getLocForEndOfToken(end, 0, sm, ast_->getLangOpts());
  if (end.isInvalid() || sm.getFileID(end) != sm.getFileID(begin)) end = begin;
  const clang::FileEntry* file = sm.getFileEntryForID(sm.getFileID(begin));
  if (!file) return std::nullopt;
  llvm::StringRef real = file->tryGetRealPathName();
  std::string path = real.empty() ? file->getName().str() : real.str();
  Finding f;
  f.path = display_path(fs::absolute(path).lexically_normal());
  llvm::StringRef line = line_text(sm, begin);
  f.region.start_line = sm.getSpellingLineNumber(begin);
  f.region.start_column = code_point_column(line, sm.getSpellingColumnNumber(begin));
  f.region.end_line = sm.getSpellingLineNumber(end);
  f.region.end_column = code_point_column(line_text(sm, end), sm.getSpellingColumnNumber(end));
  f.source_line = line.str();
  return f;
}

void Context::report(std::string_view rule_id, clang::SourceRange at, std::string message,
                     std::optional<Severity> severity) {
  if (!selection_.enabled(rule_id)) return;
  const RuleMeta* rule = Registry::instance().find(rule_id);
  if (!rule) throw std::logic_error("C++ checker reported unknown rule " + std::string(rule_id));
  auto f = located(at);
  if (!f) return;
  f->rule_id = rule->id;
  f->severity = severity.value_or(rule->severity);
  f->message = std::move(message);
  out_.push_back(std::move(*f));
}

void Context::report_with_insertion(std::string_view rule_id, clang::SourceRange at, std::string message,
                                    clang::SourceLocation where, std::string text, std::string description) {
  size_t before = out_.size();
  report(rule_id, at, std::move(message));
  if (out_.size() == before) return;
  const clang::SourceManager& sm = this->sm();
  where = sm.getExpansionLoc(where);
  if (where.isInvalid() || where.isMacroID()) return;
  Edit e;
  e.start_byte = e.end_byte = sm.getFileOffset(where);
  uint32_t line = sm.getSpellingLineNumber(where);
  uint32_t column = code_point_column(line_text(sm, where), sm.getSpellingColumnNumber(where));
  e.region = {line, column, line, column};
  e.replacement = std::move(text);
  out_.back().fixes.push_back({std::move(description), {std::move(e)}});
}

void Context::fact(std::string kind, clang::SourceRange at, nlohmann::json data) {
  if (auto f = located(at)) facts_.push_back({std::move(kind), std::move(data), std::move(*f)});
}

std::string Context::text(clang::SourceRange range, size_t max) const {
  auto chars = clang::CharSourceRange::getTokenRange(range);
  std::string t = clang::Lexer::getSourceText(chars, sm(), ast_->getLangOpts()).str();
  std::replace(t.begin(), t.end(), '\n', ' ');
  return t.size() > max ? t.substr(0, max) + "..." : t;
}

const clang::FunctionDecl* Context::enclosing_function(const clang::Stmt& node) const {
  clang::DynTypedNodeList parents = ast_->getParents(node);
  for (int depth = 0; depth < 256 && !parents.empty(); ++depth) {
    const clang::DynTypedNode& p = parents[0];
    if (const auto* fn = p.get<clang::FunctionDecl>()) return fn;
    if (p.get<clang::LambdaExpr>()) return nullptr;
    parents = ast_->getParents(p);
  }
  return nullptr;
}

const clang::Stmt* Context::enclosing_body(const clang::Stmt& node) const {
  clang::DynTypedNodeList parents = ast_->getParents(node);
  for (int depth = 0; depth < 256 && !parents.empty(); ++depth) {
    const clang::DynTypedNode& p = parents[0];
    if (const auto* lambda = p.get<clang::LambdaExpr>()) return lambda->getBody();
    if (const auto* fn = p.get<clang::FunctionDecl>()) return fn->getBody();
    parents = ast_->getParents(p);
  }
  return nullptr;
}

// ---------------------------------------------------------------- clang run

namespace {

class Dispatch : public match::MatchFinder::MatchCallback {
 public:
  Dispatch(const Checker& checker, Context& ctx) : checker_(checker), ctx_(ctx) {}
  void run(const match::MatchFinder::MatchResult& result) override { checker_.check(result, ctx_); }

 private:
  const Checker& checker_;
  Context& ctx_;
};

class Consumer : public clang::ASTConsumer {
 public:
  Consumer(Context& ctx, const RuleSelection& selection, bool& reached) : ctx_(ctx), reached_(reached) {
    for (const auto& checker : checker_list()) {
      bool enabled = false;
      for (const auto& id : checker->rule_ids()) enabled = enabled || selection.enabled(id);
      if (!enabled) continue;
      callbacks_.push_back(std::make_unique<Dispatch>(*checker, ctx));
      checker->register_matchers(finder_, callbacks_.back().get());
    }
  }

  // Matching is limited to declarations outside system headers: the standard
  // library's templates are most of a TU and never reported.
  void HandleTranslationUnit(clang::ASTContext& ast) override {
    reached_ = true;
    ctx_.set_ast(&ast);
    const clang::SourceManager& sm = ast.getSourceManager();
    std::vector<clang::Decl*> scope;
    for (clang::Decl* d : ast.getTranslationUnitDecl()->decls()) {
      clang::SourceLocation loc = sm.getExpansionLoc(d->getLocation());
      if (loc.isValid() && !sm.isInSystemHeader(loc)) scope.push_back(d);
    }
    ast.setTraversalScope(scope);
    finder_.matchAST(ast);
  }

 private:
  Context& ctx_;
  bool& reached_;
  match::MatchFinder finder_;
  std::vector<std::unique_ptr<Dispatch>> callbacks_;
};

class Action : public clang::ASTFrontendAction {
 public:
  Action(Context& ctx, const RuleSelection& selection, bool& reached)
      : ctx_(ctx), selection_(selection), reached_(reached) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance&, llvm::StringRef) override {
    return std::make_unique<Consumer>(ctx_, selection_, reached_);
  }

 private:
  Context& ctx_;
  const RuleSelection& selection_;
  bool& reached_;
};

// Counts compile errors and keeps the first, instead of printing them.
class Diagnostics : public clang::DiagnosticConsumer {
 public:
  void HandleDiagnostic(clang::DiagnosticsEngine::Level level, const clang::Diagnostic& info) override {
    clang::DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level < clang::DiagnosticsEngine::Error || !first_.empty()) return;
    llvm::SmallString<256> message;
    info.FormatDiagnostic(message);
    first_ = message.str().str();
    if (info.hasSourceManager() && info.getLocation().isValid()) {
      clang::PresumedLoc p = info.getSourceManager().getPresumedLoc(info.getLocation());
      if (p.isValid()) first_ = display_path(fs::absolute(p.getFilename()).lexically_normal()) + ":" +
                                std::to_string(p.getLine()) + ": " + first_;
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

}  // namespace

struct Session::Impl {
  std::unique_ptr<CompileDatabase> db;
};

Session::Session(const Options& options, std::vector<Notice>& notices) : impl_(std::make_unique<Impl>()) {
  impl_->db = std::make_unique<CompileDatabase>(options.compile_commands, options.search_from, options.extra_args,
                                                notices);
}

Session::~Session() = default;

TuAnalysis Session::analyze(const std::string& file, const std::string& display, const RuleSelection& selection,
                            const std::string* contents) const {
  TuAnalysis out;
  CommandLine command = impl_->db->command_for(file);
  if (!command.dropped.empty()) {
    std::string list;
    for (const auto& d : command.dropped) list += (list.empty() ? "" : " ") + d;
    out.notices.push_back({Notice::Level::note, "unknown-compiler-flag", display, 0,
                           "flags clang does not know were dropped: " + list});
  }
  // A file system of its own per TU, so the working directory of one
  // command does not leak into another thread's.
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> physical(llvm::vfs::createPhysicalFileSystem().release());
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> vfs(new llvm::vfs::OverlayFileSystem(physical));
  if (contents) {  // an editor's unsaved buffer stands in for the file on disk
    llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> memory(new llvm::vfs::InMemoryFileSystem);
    memory->addFile(fs::absolute(file).lexically_normal().string(), 0, llvm::MemoryBuffer::getMemBufferCopy(*contents));
    vfs->pushOverlay(memory);
  }
  if (!command.directory.empty()) vfs->setCurrentWorkingDirectory(command.directory);
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(new clang::FileManager(clang::FileSystemOptions(), vfs));
  Context ctx(selection, out.findings, out.facts);
  Diagnostics diagnostics;
  bool reached = false;
  clang::tooling::ToolInvocation invocation(command.args, std::make_unique<Action>(ctx, selection, reached),
                                            files.get());
  invocation.setDiagnosticConsumer(&diagnostics);
  invocation.run();  // false on compile errors too; what parsed has been analysed
  out.analysed = reached;
  if (!reached) {
    out.notices.push_back({Notice::Level::error, "clang-failed", display, 0,
                           "clang could not parse this file: " +
                               (diagnostics.first().empty() ? std::string("no diagnostic") : diagnostics.first())});
  } else if (unsigned errors = diagnostics.getNumErrors()) {
    out.notices.push_back({Notice::Level::warning, "compile-error", display, 0,
                           std::to_string(errors) + " compile error" + (errors == 1 ? "" : "s") + " (first: " +
                               diagnostics.first() + "); analysed what parsed"});
  }
  return out;
}

}  // namespace vigil::cpp
