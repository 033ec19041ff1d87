#include "core/suppression.h"

#include "core/bandit.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace vigil {
namespace {

// A comment in the source, with the line it is on and whether code precedes it.
struct Comment {
  uint32_t line = 0, column = 1;
  std::string text;  // without the comment markers
  bool after_code = false;
};

// Positions of code tokens that matter for statement extents: the line each
// bracket, `;` or newline-at-depth-0 is on. Built by the same scan as comments.
struct Scan {
  std::vector<Comment> comments;
  // For each line (1-based), the line on which the statement starting there ends.
  std::vector<uint32_t> statement_end;
};

// Scans Python or C/C++ text: comments outside strings, and where each
// statement ends (bracket depth; a newline at depth 0 ends a Python
// statement unless escaped; `;`, `{` or `}` at depth 0 ends a C++ one).
Scan scan(std::string_view s, Language language) {
  Scan out;
  bool python = language == Language::python;
  uint32_t line = 1;
  size_t line_start = 0;
  bool code_on_line = false;
  int depth = 0;
  uint32_t statement_start = 0;  // 0: no statement open
  std::vector<std::pair<uint32_t, uint32_t>> statements;  // start, end
  auto close_statement = [&](uint32_t end_line) {
    if (statement_start) statements.emplace_back(statement_start, end_line);
    statement_start = 0;
  };
  auto newline = [&](size_t i) {
    if (python && depth == 0 && !(i > 0 && s[i - 1] == '\\')) close_statement(line);
    ++line;
    line_start = i + 1;
    code_on_line = false;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n') {
      newline(i);
      continue;
    }
    bool comment_start = python ? c == '#' : (c == '/' && i + 1 < s.size() && (s[i + 1] == '/' || s[i + 1] == '*'));
    if (comment_start) {
      Comment cm{line, static_cast<uint32_t>(i - line_start + 1), "", code_on_line};
      if (python || s[i + 1] == '/') {
        size_t end = s.find('\n', i);
        if (end == std::string_view::npos) end = s.size();
        cm.text = std::string(s.substr(i + (python ? 1 : 2), end - i - (python ? 1 : 2)));
        i = end - 1;
      } else {
        size_t end = s.find("*/", i + 2);
        if (end == std::string_view::npos) end = s.size();
        cm.text = std::string(s.substr(i + 2, end - i - 2));
        for (size_t j = i; j < end; ++j)
          if (s[j] == '\n') newline(j);
        i = std::min(end + 1, s.size());
      }
      out.comments.push_back(std::move(cm));
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (!statement_start) statement_start = line;
    code_on_line = true;
    if (c == '"' || c == '\'') {
      // Strings: Python triple quotes, C++ raw strings R"delim(...)delim", escapes.
      bool triple = python && i + 2 < s.size() && s[i + 1] == c && s[i + 2] == c;
      bool raw = !python && i > 0 && s[i - 1] == 'R' && c == '"';
      std::string close(triple ? 3 : 1, c);
      if (raw) {
        size_t paren = s.find('(', i);
        if (paren != std::string_view::npos) close = ")" + std::string(s.substr(i + 1, paren - i - 1)) + "\"";
      }
      size_t j = i + (triple ? 3 : 1);
      for (; j < s.size(); ++j) {
        if (s[j] == '\\' && !raw) {
          ++j;
          continue;
        }
        if (s[j] == '\n') {
          if (!triple && !raw) break;  // unterminated: stop at the line end
          newline(j);
          continue;
        }
        if (s.compare(j, close.size(), close) == 0) {
          j += close.size() - 1;
          break;
        }
      }
      i = std::min(j, s.size() - 1);
      if (i < s.size() && s[i] == '\n') --i;
      continue;
    }
    // Python: all brackets hold a statement open. C++: parentheses and
    // brackets do; `;`, `{` and `}` outside them end a statement.
    bool opens = c == '(' || c == '[' || (python && c == '{');
    bool closes = c == ')' || c == ']' || (python && c == '}');
    if (opens) ++depth;
    if (closes) depth = std::max(0, depth - 1);
    if (!python && depth == 0 && (c == ';' || c == '{' || c == '}')) close_statement(line);
  }
  close_statement(line);
  out.statement_end.assign(line + 2, 0);
  for (auto [from, to] : statements)
    if (from < out.statement_end.size() && !out.statement_end[from]) out.statement_end[from] = to;
  return out;
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split_ids(std::string_view list) {
  std::vector<std::string> out;
  std::string item;
  for (char c : std::string(list) + ",") {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!item.empty()) out.push_back(item);
      item.clear();
    } else {
      item += c;
    }
  }
  return out;
}


// The suppression a comment is, if any.
bool parse_comment(const Comment& c, bool python, const SuppressionOptions& options, Suppression& s) {
  static const std::regex vigil_re(R"(^\s*vigil:\s*(ignore-file|ignore)\s*(\[([^\]]*)\])?\s*(--\s*(.*))?$)");
  static const std::regex nosec_re(R"(\bnosec\b:?\s*([A-Za-z0-9_, ]*))");
  static const std::regex noqa_re(R"(\bnoqa\s*:\s*([A-Za-z0-9_, ]+))", std::regex::icase);
  static const std::regex nolint_re(R"(\b(NOLINTNEXTLINE|NOLINT)\b(\(([^)]*)\))?)");
  // std::regex is slow: most comments name none of the markers, so look first.
  auto has = [&](std::string_view marker) { return c.text.find(marker) != std::string::npos; };
  bool maybe_noqa = has("noqa") || has("NOQA") || has("NoQA") || has("Noqa");
  if (!has("vigil") && !has("nosec") && !maybe_noqa && !has("NOLINT") && !has("Flawfinder")) return false;
  std::smatch m;
  s.line = c.line;
  s.column = c.column;
  s.text = trim(c.text);
  if (std::regex_search(c.text, m, vigil_re)) {
    s.origin = "vigil";
    s.whole_file = m[1] == "ignore-file";
    s.codes = split_ids(m[3].str());
    s.all = !m[2].matched || s.codes.empty();
    s.justification = trim(m[5].str());
    return true;
  }
  if (!options.aliases) return false;
  if (python && std::regex_search(c.text, m, nosec_re)) {
    s.origin = "nosec";
    auto ids = split_ids(m[1].str());
    s.all = ids.empty();
    s.codes = bandit_to_vigil(ids);
    return s.all || !s.codes.empty();
  }
  if (python && std::regex_search(c.text, m, noqa_re)) {
    std::vector<std::string> bandit;
    for (const auto& code : split_ids(m[1].str()))
      if (code.size() > 1 && (code[0] == 'S' || code[0] == 's')) bandit.push_back("B" + code.substr(1));
    s.origin = "noqa";
    s.codes = bandit_to_vigil(bandit);
    return !s.codes.empty();
  }
  if (!python && std::regex_search(c.text, m, nolint_re)) {
    s.origin = m[1];
    if (!m[2].matched) {
      s.all = true;
      return true;
    }
    for (const auto& check : split_ids(m[3].str())) {
      std::string id = check.starts_with("vigil-") ? check.substr(6) : check;
      if (check == "vigil" || check == "vigil-*" || check == "*") s.all = true;
      else if (id.starts_with("VG")) s.codes.push_back(id);
    }
    return s.all || !s.codes.empty();
  }
  if (!python && c.text.find("Flawfinder: ignore") != std::string::npos) {
    s.origin = "flawfinder";
    s.all = true;
    return true;
  }
  return false;
}

bool matches(const Suppression& s, const std::string& rule) {
  if (s.all) return true;
  for (const auto& code : s.codes)
    if (rule.compare(0, code.size(), code) == 0) return true;
  return false;
}

}  // namespace


std::vector<Suppression> parse_suppressions(std::string_view text, Language language, const SuppressionOptions& options) {
  bool python = language == Language::python;
  Scan sc = scan(text, language);
  std::vector<Suppression> out;
  for (const Comment& c : sc.comments) {
    Suppression s;
    if (!parse_comment(c, python, options, s)) continue;
    if (options.require_rule_ids && s.all) continue;  // bare comments are not honoured
    if (s.origin == "NOLINTNEXTLINE") {
      s.from = s.to = c.line + 1;
    } else if (s.origin == "vigil" && !c.after_code && !s.whole_file) {
      // Alone on its line: the next statement, all its lines.
      uint32_t next = c.line + 1;
      while (next < sc.statement_end.size() && !sc.statement_end[next]) ++next;
      s.from = next;
      s.to = next < sc.statement_end.size() ? sc.statement_end[next] : next;
    } else {
      s.from = s.to = c.line;
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Finding> apply_suppressions(std::vector<Finding*>& findings, std::vector<Suppression>& suppressions,
                                        const std::string& path, std::string_view text, const RuleSelection& selection,
                                        const SuppressionOptions& options) {
  for (Finding* f : findings) {
    if (f->rule_id == "VG000") continue;
    for (Suppression& s : suppressions) {
      bool covers = s.whole_file || (f->region.start_line >= s.from && f->region.start_line <= s.to);
      if (!covers || !matches(s, f->rule_id)) continue;
      s.used = true;
      if (!f->suppressed) {
        f->suppressed = true;
        f->suppression = s.justification.empty() ? s.origin + " comment: " + s.text : s.justification;
      }
    }
  }
  std::vector<Finding> unused;
  if (!options.report_unused || !selection.enabled("VG000")) return unused;
  for (const Suppression& s : suppressions) {
    if (s.used) continue;
    // A comment for rules that did not run is not known to be unused.
    bool all_enabled = !s.all;
    for (const auto& code : s.codes) all_enabled = all_enabled && selection.enabled(code);
    if (!all_enabled) continue;
    Finding f;
    f.rule_id = "VG000";
    f.path = path;
    f.region = {s.line, s.column, s.line, s.column + static_cast<uint32_t>(s.text.size())};
    size_t start = 0;
    for (uint32_t l = 1; l < s.line && start != std::string_view::npos; ++l) {
      start = text.find('\n', start);
      if (start != std::string_view::npos) ++start;
    }
    if (start != std::string_view::npos) f.source_line = std::string(text.substr(start, text.find('\n', start) - start));
    f.message = "suppression `" + s.text + "` matches no finding; remove it";
    unused.push_back(std::move(f));
  }
  return unused;
}

}  // namespace vigil
