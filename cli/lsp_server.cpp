// `vigil server`: the Language Server Protocol over stdio, for editors.
// Diagnostics on open, change and save (Python, and C/C++ with the project's
// compile database); code actions "suppress VGnnn on this line" and, where a
// rule has a safe fix, "apply fix"; the configuration reloads when its file
// changes. Requests are handled one at a time.
#include "cli/lsp_server.h"

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/discovery.h"
#include "core/project.h"
#include "core/scanner.h"
#include "frontends/cpp/analyzer.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------- transport

std::optional<json> read_message(std::istream& in) {
  size_t length = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    if (line.rfind("Content-Length:", 0) == 0) length = std::stoul(line.substr(15));
  }
  if (!in || length == 0) return std::nullopt;
  std::string body(length, '\0');
  in.read(body.data(), static_cast<std::streamsize>(length));
  if (!in) return std::nullopt;
  try {
    return json::parse(body);
  } catch (const json::exception&) {
    return json::object();  // answered as an invalid request
  }
}

void write_message(std::ostream& out, const json& message) {
  std::string body = message.dump();
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

// ---------------------------------------------------------------- positions

std::string path_of(const std::string& uri) {
  std::string p = uri.rfind("file://", 0) == 0 ? uri.substr(7) : uri;
  std::string out;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '%' && i + 2 < p.size()) {
      out += static_cast<char>(std::stoi(p.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += p[i];
    }
  }
  return out;
}

std::string line_of(const std::string& text, uint32_t line) {  // 1-based
  size_t start = 0;
  for (uint32_t l = 1; l < line && start != std::string::npos; ++l) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos) return {};
  size_t end = text.find('\n', start);
  std::string out = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return out;
}

// A 1-based code-point column as LSP's 0-based UTF-16 character offset.
uint32_t utf16_character(const std::string& line, uint32_t column) {
  uint32_t units = 0, point = 1;
  for (size_t i = 0; i < line.size() && point < column; ++point) {
    unsigned char c = line[i];
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    units += len == 4 ? 2 : 1;
    i += len;
  }
  return units + (column > point ? column - point : 0);
}

json position(const std::string& text, uint32_t line, uint32_t column) {
  return {{"line", line - 1}, {"character", utf16_character(line_of(text, line), column)}};
}

json range_of(const std::string& text, const Region& r) {
  return {{"start", position(text, r.start_line, r.start_column)}, {"end", position(text, r.end_line, r.end_column)}};
}

int lsp_severity(Severity s) { return s >= Severity::high ? 1 : s == Severity::medium ? 2 : 3; }

// ---------------------------------------------------------------- server

class Server {
 public:
  Server(std::istream& in, std::ostream& out) : in_(in), out_(out) {}

  int run() {
    while (auto message = read_message(in_)) {
      if (!handle(*message)) return exit_code_;
    }
    return 1;  // the client went away without `exit`
  }

 private:
  struct Document {
    std::string text;
    std::vector<Finding> findings;  // from the last analysis
  };

  // One configuration (and compile database) per configuration file.
  struct Settings {
    Config config;
    ScanOptions options;
    std::unique_ptr<cpp::Session> session;
    fs::file_time_type stamp;
  };

  bool handle(const json& m) {
    std::string method = m.value("method", "");
    const json params = m.value("params", json::object());
    bool request = m.contains("id");
    try {
      if (method == "initialize") {
        reply(m, {{"capabilities",
                   {{"textDocumentSync", {{"openClose", true}, {"change", 1}, {"save", {{"includeText", false}}}}},
                    {"codeActionProvider", {{"codeActionKinds", json::array({"quickfix"})}}}}},
                  {"serverInfo", {{"name", "vigil"}, {"version", VIGIL_VERSION}}}});
      } else if (method == "shutdown") {
        shutdown_ = true;
        reply(m, nullptr);
      } else if (method == "exit") {
        exit_code_ = shutdown_ ? 0 : 1;
        return false;
      } else if (method == "textDocument/didOpen") {
        const json& doc = params["textDocument"];
        documents_[doc["uri"]].text = doc["text"];
        analyse(doc["uri"]);
      } else if (method == "textDocument/didChange") {
        const json& changes = params["contentChanges"];
        if (!changes.empty()) documents_[params["textDocument"]["uri"]].text = changes.back()["text"];
        analyse(params["textDocument"]["uri"]);
      } else if (method == "textDocument/didSave") {
        std::string uri = params["textDocument"]["uri"];
        if (is_config(path_of(uri))) reanalyse_all();
        else if (documents_.count(uri)) analyse(uri);
      } else if (method == "textDocument/didClose") {
        std::string uri = params["textDocument"]["uri"];
        documents_.erase(uri);
        notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}});
      } else if (method == "workspace/didChangeWatchedFiles") {
        reanalyse_all();
      } else if (method == "textDocument/codeAction") {
        reply(m, code_actions(params));
      } else if (request) {
        reply_error(m, -32601, "method not supported: " + method);
      }
    } catch (const std::exception& e) {
      if (request) reply_error(m, -32603, e.what());
      else log(std::string("vigil: ") + e.what());
    }
    return true;
  }

  static bool is_config(const fs::path& p) {
    std::string name = p.filename().string();
    return name == "vigil.toml" || name == ".vigil.toml" || name == "pyproject.toml";
  }

  // The settings for a file, reloaded when the configuration file changed.
  Settings& settings_for(const std::string& path) {
    auto found = find_config(path);
    std::string key = found.value_or("");
    auto it = settings_.find(key);
    std::error_code ec;
    fs::file_time_type stamp = found ? fs::last_write_time(*found, ec) : fs::file_time_type{};
    if (it != settings_.end() && it->second->stamp == stamp) return *it->second;
    auto s = std::make_unique<Settings>();
    s->stamp = stamp;
    try {
      s->config = found ? load_config(*found) : Config{};
    } catch (const ConfigError& e) {
      show_error(e.what());  // keep analysing with the defaults
    }
    s->options = scan_options_from(s->config);
    std::vector<Notice> notices;
    cpp::Options cpp_options{s->options.compile_commands, s->options.extra_args,
                             {found ? fs::path(*found).parent_path().string() : fs::path(path).parent_path().string()}};
    s->session = std::make_unique<cpp::Session>(cpp_options, notices);
    settings_.erase(key);
    return *(settings_[key] = std::move(s));
  }

  void analyse(const std::string& uri) {
    Document& doc = documents_[uri];
    std::string path = path_of(uri);
    Language language = language_of(path);
    if (language == Language::unknown) return;
    Settings& s = settings_for(path);
    ScanResult result = scan_buffer(s.options, path, doc.text, s.session.get());
    doc.findings.clear();
    json diagnostics = json::array();
    for (const auto& f : result.findings) {
      if (f.suppressed) continue;
      const RuleMeta* rule = Registry::instance().find(f.rule_id);
      diagnostics.push_back({{"range", range_of(doc.text, f.region)},
                             {"severity", lsp_severity(f.severity)},
                             {"code", f.rule_id},
                             {"codeDescription", {{"href", std::string(VIGIL_INFORMATION_URI) + "/blob/main/docs/rules/" +
                                                               f.rule_id + ".md"}}},
                             {"source", "vigil"},
                             {"message", (rule ? rule->name + ": " : std::string()) + f.message}});
      doc.findings.push_back(f);
    }
    notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", diagnostics}});
  }

  void reanalyse_all() {
    settings_.clear();
    for (auto& [uri, doc] : documents_) analyse(uri);
  }

  json code_actions(const json& params) {
    json actions = json::array();
    std::string uri = params["textDocument"]["uri"];
    auto it = documents_.find(uri);
    if (it == documents_.end()) return actions;
    const Document& doc = it->second;
    uint32_t first = params["range"]["start"]["line"].get<uint32_t>() + 1;
    uint32_t last = params["range"]["end"]["line"].get<uint32_t>() + 1;
    bool python = language_of(path_of(uri)) == Language::python;
    for (const auto& f : doc.findings) {
      if (f.region.start_line > last || f.region.end_line < first) continue;
      // Suppress: a vigil comment at the end of the finding's line.
      std::string line = line_of(doc.text, f.region.start_line);
      json end = {{"line", f.region.start_line - 1},
                  {"character", utf16_character(line, static_cast<uint32_t>(line.size()) + 1)}};
      std::string comment = std::string(python ? "  # " : "  // ") + "vigil: ignore[" + f.rule_id + "]";
      actions.push_back({{"title", "Suppress " + f.rule_id + " on this line"},
                         {"kind", "quickfix"},
                         {"edit", {{"changes", {{uri, json::array({{{"range", {{"start", end}, {"end", end}}},
                                                                    {"newText", comment}}})}}}}}});
      for (const auto& fix : f.fixes) {
        json edits = json::array();
        for (const auto& e : fix.edits) edits.push_back({{"range", range_of(doc.text, e.region)}, {"newText", e.replacement}});
        actions.push_back({{"title", "Fix " + f.rule_id + ": " + fix.description},
                           {"kind", "quickfix"},
                           {"isPreferred", true},
                           {"edit", {{"changes", {{uri, edits}}}}}});
      }
    }
    return actions;
  }

  void reply(const json& request, const json& result) {
    write_message(out_, {{"jsonrpc", "2.0"}, {"id", request["id"]}, {"result", result}});
  }
  void reply_error(const json& request, int code, const std::string& message) {
    write_message(out_, {{"jsonrpc", "2.0"}, {"id", request["id"]}, {"error", {{"code", code}, {"message", message}}}});
  }
  void notify(const std::string& method, const json& params) {
    write_message(out_, {{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
  }
  void show_error(const std::string& message) {
    notify("window/showMessage", {{"type", 1}, {"message", "vigil: " + message}});
  }
  void log(const std::string& message) { notify("window/logMessage", {{"type", 1}, {"message", message}}); }

  std::istream& in_;
  std::ostream& out_;
  std::map<std::string, Document> documents_;
  std::map<std::string, std::unique_ptr<Settings>> settings_;
  bool shutdown_ = false;
  int exit_code_ = 1;
};

}  // namespace

int run_language_server(std::istream& in, std::ostream& out) {
  std::ios::sync_with_stdio(false);
  return Server(in, out).run();
}

}  // namespace vigil
