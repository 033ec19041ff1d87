// `vigil server` driven by a test client over JSON-RPC, as an editor does.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

class Client {
 public:
  Client() {
    int to_server[2], from_server[2];
    EXPECT_EQ(::pipe(to_server), 0);
    EXPECT_EQ(::pipe(from_server), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(to_server[0], 0);
      ::dup2(from_server[1], 1);
      ::close(to_server[1]);
      ::close(from_server[0]);
      ::execl(VIGIL_BINARY, VIGIL_BINARY, "server", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(to_server[0]);
    ::close(from_server[1]);
    in_ = to_server[1];
    out_ = from_server[0];
  }
  ~Client() {
    if (pid_ > 0) {
      ::close(in_);
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  void send(const json& message) {
    std::string body = message.dump();
    std::string data = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    ASSERT_EQ(::write(in_, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  }
  void request(int id, const std::string& method, const json& params) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
  }
  void notify(const std::string& method, const json& params) {
    send({{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
  }

  // The next message for which `want` is true (others are skipped), or null after a timeout.
  json wait_for(const std::function<bool(const json&)>& want) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto m = next(deadline); !m.is_null()) {
        if (want(m)) return m;
      } else {
        break;
      }
    }
    return nullptr;
  }
  json response(int id) {
    return wait_for([id](const json& m) { return m.contains("id") && m["id"] == id; });
  }
  json diagnostics(const std::string& uri) {
    return wait_for([&](const json& m) {
      return m.value("method", "") == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri;
    });
  }
  int wait_exit() {
    int status = 0;
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      ::usleep(50000);
    }
    return -1;
  }

 private:
  json next(std::chrono::steady_clock::time_point deadline) {
    while (true) {
      size_t header_end = buffer_.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        size_t length = std::stoul(buffer_.substr(buffer_.find("Content-Length:") + 15));
        if (buffer_.size() >= header_end + 4 + length) {
          json m = json::parse(buffer_.substr(header_end + 4, length));
          buffer_.erase(0, header_end + 4 + length);
          return m;
        }
      }
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      deadline - std::chrono::steady_clock::now()).count());
      pollfd p{out_, POLLIN, 0};
      if (left <= 0 || ::poll(&p, 1, left) <= 0) return nullptr;
      char chunk[4096];
      ssize_t n = ::read(out_, chunk, sizeof chunk);
      if (n <= 0) return nullptr;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int in_ = -1, out_ = -1;
  std::string buffer_;
};

const std::string kBadSql =
    "import sqlite3\n"
    "def f(conn: sqlite3.Connection, name):\n"
    "    conn.execute(\"SELECT * FROM t WHERE n = '\" + name + \"'\")\n";

}  // namespace

TEST(LanguageServer, DiagnosticsCodeActionsAndConfigurationReload) {
  fs::path dir = fs::temp_directory_path() / ("vigil-lsp-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "pyproject.toml") << "[project]\nname = \"x\"\n";
  std::ofstream(dir / "app.py") << "";
  std::ofstream(dir / "log.cpp") << "";
  std::string py = "file://" + (dir / "app.py").string(), cc = "file://" + (dir / "log.cpp").string();

  Client client;
  client.request(1, "initialize", {{"processId", ::getpid()}, {"rootUri", "file://" + dir.string()}, {"capabilities", json::object()}});
  json init = client.response(1);
  ASSERT_FALSE(init.is_null());
  EXPECT_TRUE(init["result"]["capabilities"].contains("codeActionProvider"));
  client.notify("initialized", json::object());

  // A Python buffer (not saved: the file on disk is empty).
  client.notify("textDocument/didOpen", {{"textDocument", {{"uri", py}, {"languageId", "python"}, {"version", 1}, {"text", kBadSql}}}});
  json d = client.diagnostics(py);
  ASSERT_FALSE(d.is_null());
  ASSERT_EQ(d["params"]["diagnostics"].size(), 1u) << d.dump();
  const json& diag = d["params"]["diagnostics"][0];
  EXPECT_EQ(diag["code"], "VG301");
  EXPECT_EQ(diag["range"]["start"]["line"], 2);
  EXPECT_EQ(diag["range"]["start"]["character"], 4);

  client.request(2, "textDocument/codeAction",
                 {{"textDocument", {{"uri", py}}}, {"range", diag["range"]}, {"context", {{"diagnostics", json::array({diag})}}}});
  json actions = client.response(2)["result"];
  ASSERT_FALSE(actions.empty());
  EXPECT_EQ(actions[0]["title"], "Suppress VG301 on this line");
  EXPECT_EQ(actions[0]["edit"]["changes"][py][0]["newText"], "  # vigil: ignore[VG301]");

  // The edit applied: no more diagnostics.
  std::string suppressed = kBadSql.substr(0, kBadSql.size() - 1) + "  # vigil: ignore[VG301]\n";
  client.notify("textDocument/didChange", {{"textDocument", {{"uri", py}, {"version", 2}}}, {"contentChanges", json::array({{{"text", suppressed}}})}});
  json cleared = client.diagnostics(py);
  ASSERT_FALSE(cleared.is_null());
  EXPECT_TRUE(cleared["params"]["diagnostics"].empty()) << cleared.dump();

  // A C++ buffer with a fixable finding.
  client.notify("textDocument/didOpen", {{"textDocument", {{"uri", cc}, {"languageId", "cpp"}, {"version", 1},
                                                           {"text", "#include <cstdio>\nvoid echo(const char* m) { printf(m); }\n"}}}});
  json c = client.diagnostics(cc);
  ASSERT_FALSE(c.is_null());
  ASSERT_EQ(c["params"]["diagnostics"].size(), 1u) << c.dump();
  EXPECT_EQ(c["params"]["diagnostics"][0]["code"], "VG308");
  client.request(3, "textDocument/codeAction",
                 {{"textDocument", {{"uri", cc}}}, {"range", c["params"]["diagnostics"][0]["range"]}, {"context", {{"diagnostics", c["params"]["diagnostics"]}}}});
  json cpp_actions = client.response(3)["result"];
  bool fix = false;
  for (const auto& a : cpp_actions)
    if (a["title"].get<std::string>().rfind("Fix VG308", 0) == 0) {
      fix = true;
      EXPECT_EQ(a["edit"]["changes"][cc][0]["newText"], "\"%s\", ");
    }
  EXPECT_TRUE(fix) << cpp_actions.dump();

  // The configuration changes: the server reloads it and analyses again.
  std::ofstream(dir / "vigil.toml") << "ignore = [\"VG308\"]\n";
  client.notify("textDocument/didSave", {{"textDocument", {{"uri", "file://" + (dir / "vigil.toml").string()}}}});
  json reloaded = client.diagnostics(cc);
  ASSERT_FALSE(reloaded.is_null());
  EXPECT_TRUE(reloaded["params"]["diagnostics"].empty()) << reloaded.dump();

  client.request(4, "shutdown", nullptr);
  EXPECT_TRUE(client.response(4).contains("result"));
  client.notify("exit", nullptr);
  EXPECT_EQ(client.wait_exit(), 0);
  fs::remove_all(dir);
}
