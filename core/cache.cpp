#include "core/cache.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <iterator>
#include <sstream>
#include <vector>
#include <thread>

namespace vigil {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kMarker = "CACHEDIR.TAG";

// FNV-1a, 64 bits: stable across builds and platforms (std::hash is not).
uint64_t fnv1a(std::string_view data, uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : data) h = (h ^ c) * 1099511628211ull;
  return h;
}

// The same multiply-xor over 8-byte words (then the tail
// bytes): file contents are hashed at memory speed.
uint64_t fnv1a_words(std::string_view data, uint64_t h) {
  size_t i = 0;
  for (; i + 8 <= data.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, data.data() + i, 8);  // host byte order: entries are per machine
    h = (h ^ word) * 1099511628211ull;
    h ^= h >> 29;
  }
  return fnv1a(data.substr(i), h);
}

std::string hex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

json region_json(const Region& r) { return {r.start_line, r.start_column, r.end_line, r.end_column}; }
Region region_from(const json& j) {
  return {j.at(0).get<uint32_t>(), j.at(1).get<uint32_t>(), j.at(2).get<uint32_t>(), j.at(3).get<uint32_t>()};
}

json finding_json(const Finding& f) {
  json fixes = json::array();
  for (const auto& fix : f.fixes) {
    json edits = json::array();
    for (const auto& e : fix.edits)
      edits.push_back({{"start", e.start_byte}, {"end", e.end_byte}, {"region", region_json(e.region)},
                       {"text", e.replacement}});
    fixes.push_back({{"description", fix.description}, {"edits", edits}});
  }
  return {{"rule", f.rule_id}, {"severity", static_cast<int>(f.severity)}, {"message", f.message},
          {"path", f.path},    {"region", region_json(f.region)},        {"line", f.source_line},
          {"fixes", fixes}};
}

Finding finding_from(const json& j) {
  Finding f;
  f.rule_id = j.at("rule");
  int severity = j.at("severity");
  if (severity < 0 || severity > static_cast<int>(Severity::critical)) throw std::runtime_error("bad severity");
  f.severity = static_cast<Severity>(severity);
  f.message = j.at("message");
  f.path = j.at("path");
  f.region = region_from(j.at("region"));
  f.source_line = j.at("line");
  for (const auto& fix : j.at("fixes")) {
    Fix x{fix.at("description"), {}};
    for (const auto& e : fix.at("edits"))
      x.edits.push_back({e.at("start"), e.at("end"), region_from(e.at("region")), e.at("text")});
    f.fixes.push_back(std::move(x));
  }
  return f;
}

// The running binary's size and modification time: a rebuilt vigil (new
// checkers, same version number) does not trust the old one's entries.
std::string binary_stamp() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  auto size = fs::file_size(self, ec);
  auto time = fs::last_write_time(self, ec).time_since_epoch().count();
  return std::to_string(size) + ":" + std::to_string(time);
}

}  // namespace

ResultCache::ResultCache(fs::path dir, std::string config_key) : dir_(std::move(dir)), config_key_(std::move(config_key)) {}

std::string ResultCache::key(const std::string& path, const std::string& module, const std::string& package,
                             const std::string& text) const {
  static const std::string stamp = binary_stamp();
  uint64_t h = fnv1a(stamp, fnv1a(VIGIL_VERSION));
  for (const std::string* part : {&config_key_, &path, &module, &package}) h = fnv1a(*part, fnv1a("\x1f", h));
  h = fnv1a_words(text, fnv1a("\x1f", h));
  return hex(h) + "-" + std::to_string(text.size());
}

fs::path ResultCache::entry_path(const std::string& path) const {
  return dir_ / ("v" VIGIL_VERSION) / (hex(fnv1a(path)) + ".msgpack");
}

std::optional<CachedFile> ResultCache::load(const std::string& path, const std::string& key) const {
  std::ifstream in(entry_path(path), std::ios::binary);
  if (!in) return std::nullopt;
  try {
    // MessagePack: several times faster to read than JSON text (a warm scan reads an entry per file).
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    json doc = json::from_msgpack(bytes);
    if (doc.at("key") != key || doc.at("path") != path) return std::nullopt;
    CachedFile out;
    for (const auto& f : doc.at("findings")) out.findings.push_back(finding_from(f));
    for (const auto& n : doc.at("notices")) {
      int level = n.at("level");
      if (level < 0 || level > static_cast<int>(Notice::Level::error)) return std::nullopt;
      out.notices.push_back({static_cast<Notice::Level>(level), n.at("id"), n.at("path"), n.at("line"), n.at("message")});
    }
    for (const auto& f : doc.at("facts")) out.facts.push_back({f.at("kind"), f.at("data"), finding_from(f.at("anchor"))});
    return out;
  } catch (const std::exception&) {
    return std::nullopt;  // corrupt or foreign: a miss, rewritten by store()
  }
}

bool ResultCache::store(const std::string& path, const std::string& key, const CachedFile& entry) const {
  json findings = json::array(), notices = json::array(), facts = json::array();
  for (const auto& f : entry.findings) findings.push_back(finding_json(f));
  for (const auto& n : entry.notices)
    notices.push_back({{"level", static_cast<int>(n.level)}, {"id", n.id}, {"path", n.path}, {"line", n.line},
                       {"message", n.message}});
  for (const auto& f : entry.facts) facts.push_back({{"kind", f.kind}, {"data", f.data}, {"anchor", finding_json(f.anchor)}});
  json doc = {{"key", key}, {"path", path}, {"findings", findings}, {"notices", notices}, {"facts", facts}};
  std::error_code ec;
  fs::path target = entry_path(path);
  if (!fs::exists(dir_ / kMarker, ec)) {
    fs::create_directories(dir_, ec);
    std::ofstream(dir_ / ".gitignore") << "# Created by vigil: the cache is never committed.\n*\n";
    std::ofstream(dir_ / kMarker) << "Signature: 8a477f597d28d172789f06886806bc55\n"
                                  << "# This directory is vigil's cache (vigil clean removes it).\n";
  }
  fs::create_directories(target.parent_path(), ec);
  static std::atomic<unsigned> counter{0};
  fs::path temp = target;
  temp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    std::vector<uint8_t> bytes = json::to_msgpack(doc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) {
      out.close();
      fs::remove(temp, ec);
      return false;
    }
  }
  fs::rename(temp, target, ec);
  if (!ec) return true;
  fs::remove(temp, ec);
  return false;
}

fs::path cache_dir_for(const std::string& explicit_dir, const std::string& config_dir, const std::string& first_path) {
  if (!explicit_dir.empty()) return fs::path(explicit_dir);
  if (const char* env = std::getenv("VIGIL_CACHE_DIR"); env && *env) return fs::path(env);
  if (!config_dir.empty()) return fs::path(config_dir) / ".vigil_cache";
  std::error_code ec;
  fs::path first = fs::absolute(first_path.empty() ? "." : first_path, ec);
  std::string dir = fs::is_directory(first, ec) ? first.string() : first.parent_path().string();
  if (auto root = find_project_root(dir)) return fs::path(*root) / ".vigil_cache";
  return fs::current_path(ec) / ".vigil_cache";
}

bool remove_cache(const fs::path& dir, std::string& error) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  if (!fs::exists(dir / kMarker, ec)) {
    error = dir.string() + " is not a vigil cache (no " + kMarker + "); not removed";
    return false;
  }
  fs::remove_all(dir, ec);
  if (ec) error = dir.string() + ": " + ec.message();
  return !ec;
}

}  // namespace vigil
