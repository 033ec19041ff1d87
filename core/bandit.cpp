#include "core/bandit.h"

#include <algorithm>

namespace vigil {

using C = BanditCheck::Coverage;

const std::vector<BanditCheck>& bandit_checks() {
  static const std::vector<BanditCheck> checks = {
      {"B101", "assert_used", "VG901", C::reported,
       "only asserts that guard security (users, roles, permissions, tokens), outside tests; not every assert"},
      {"B102", "exec_used", "VG303", C::reported, "only `exec` of a non-constant string"},
      {"B103", "set_bad_file_permissions", "VG903", C::reported,
       "group- or world-writable modes in `os.chmod`/`Path.chmod`, and `umask` values that allow them"},
      {"B104", "hardcoded_bind_all_interfaces", "VG703", C::reported,
       "`0.0.0.0`/`::` as the host of a server or `bind`, not every string \"0.0.0.0\""},
      {"B105", "hardcoded_password_string", "VG104", C::reported,
       "secret-named targets with a literal value that is not a placeholder; test files skipped"},
      {"B106", "hardcoded_password_funcarg", "VG104", C::reported, "as B105, for keyword arguments"},
      {"B107", "hardcoded_password_default", "VG104", C::reported, "as B105, for parameter defaults"},
      {"B108", "hardcoded_tmp_directory", "VG902", C::reported,
       "fixed `/tmp/`, `/var/tmp/`, `/dev/shm/` paths reaching a file API, not every such string"},
      {"B109", "password_config_option_not_marked_secret", "", C::none, "removed from Bandit (oslo.config only)"},
      {"B110", "try_except_pass", "VG803", C::reported,
       "only in security code (authentication, tokens, crypto, permissions) and route handlers"},
      {"B111", "execute_with_run_as_root_equals_true", "", C::none, "removed from Bandit"},
      {"B112", "try_except_continue", "VG803", C::reported, "as B110"},
      {"B113", "request_without_timeout", "", C::none,
       "availability, not a vulnerability of the standard; a call without timeout is often fine (scripts, workers)"},
      {"B201", "flask_debug_true", "VG701", C::reported, "also FastAPI/Starlette `debug=True` and Django `DEBUG = True`"},
      {"B202", "tarfile_unsafe_members", "VG305", C::reported,
       "`extractall()` without `filter=\"data\"` or checked `members`"},
      {"B301", "pickle", "VG306", C::reported, "pickle, cPickle, dill, joblib, shelve, pandas.read_pickle loads"},
      {"B302", "marshal", "VG306", C::reported, "marshal loads"},
      {"B303", "md5", "VG601", C::reported,
       "MD5/SHA-1 only in a security context (passwords, tokens, signatures, `usedforsecurity` not False)"},
      {"B304", "ciphers", "VG602", C::reported, "DES, 3DES, RC4, RC2, Blowfish, CAST, IDEA in cryptography/PyCryptodome"},
      {"B305", "cipher_modes", "VG602", C::reported, "ECB mode"},
      {"B306", "mktemp_q", "VG902", C::reported, "`tempfile.mktemp`, `os.tempnam`, `os.tmpnam`"},
      {"B307", "eval", "VG303", C::reported, "only `eval` of non-constant input; `ast.literal_eval` is the fix"},
      {"B308", "mark_safe", "VG304", C::reported, "only over text built from unescaped non-constant parts"},
      {"B309", "httpsconnection", "", C::none, "removed from Bandit (Python 2 only)"},
      {"B310", "urllib_urlopen", "", C::none,
       "flags every `urlopen` for the `file:` scheme; server-side request forgery needs taint tracking "
       "(planned), a call-site rule would be noise"},
      {"B311", "random", "VG606", C::reported, "only when the value becomes a secret (token, key, salt, OTP...)"},
      {"B312", "telnetlib", "VG904", C::reported, "`telnetlib.Telnet` connections"},
      {"B313", "xml_bad_cElementTree", "VG307", C::reported, "parsing of non-constant documents; defusedxml is clean"},
      {"B314", "xml_bad_ElementTree", "VG307", C::reported, "as B313"},
      {"B315", "xml_bad_expatreader", "VG307", C::reported, "as B313"},
      {"B316", "xml_bad_expatbuilder", "VG307", C::reported, "as B313"},
      {"B317", "xml_bad_sax", "VG307", C::reported, "as B313"},
      {"B318", "xml_bad_minidom", "VG307", C::reported, "as B313"},
      {"B319", "xml_bad_pulldom", "VG307", C::reported, "as B313"},
      {"B320", "xml_bad_etree", "VG307", C::reported, "lxml, unless its parser sets `resolve_entities=False`"},
      {"B321", "ftplib", "VG904", C::reported, "`ftplib.FTP` connections (FTP_TLS is fine)"},
      {"B322", "input", "", C::none, "removed from Bandit (Python 2 `input`)"},
      {"B323", "unverified_context", "VG505", C::reported, "`ssl._create_unverified_context()`"},
      {"B324", "hashlib_insecure_functions", "VG601", C::reported, "as B303"},
      {"B325", "tempnam", "", C::none, "removed from Bandit; `os.tempnam` is covered by VG902"},
      {"B401", "import_telnetlib", "VG904", C::calls, "the connection is reported, not the import"},
      {"B402", "import_ftplib", "VG904", C::calls, "the connection is reported, not the import"},
      {"B403", "import_pickle", "VG306", C::calls, "the loads are reported, not the import (dumps are harmless)"},
      {"B404", "import_subprocess", "VG302", C::calls, "shell commands built from data are reported, not the import"},
      {"B405", "import_xml_etree", "VG307", C::calls, "the parse calls are reported, not the import"},
      {"B406", "import_xml_sax", "VG307", C::calls, "as B405"},
      {"B407", "import_xml_expat", "VG307", C::calls, "as B405"},
      {"B408", "import_xml_minidom", "VG307", C::calls, "as B405"},
      {"B409", "import_xml_pulldom", "VG307", C::calls, "as B405"},
      {"B410", "import_lxml", "VG307", C::calls, "as B405"},
      {"B411", "import_xmlrpclib", "VG307", C::calls, "`xmlrpc.client.loads` of non-constant data is reported"},
      {"B412", "import_httpoxy", "", C::none,
       "CGI handlers (`wsgiref.handlers.CGIHandler`, twisted `CGIScript`) are obsolete and httpoxy is fixed in "
       "servers; not in the standard"},
      {"B413", "import_pycrypto", "VG602", C::calls,
       "`Crypto.*` is also PyCryptodome's namespace: the weak ciphers and modes are reported, not the import"},
      {"B415", "import_pyghmi", "", C::none, "IPMI management libraries are outside the standard's scope"},
      {"B501", "request_with_no_cert_validation", "VG505", C::reported,
       "`verify=False` in requests/httpx (and sessions/clients), aiohttp `ssl=False`; fix: remove it"},
      {"B502", "ssl_with_bad_version", "VG505", C::reported, "`ssl.PROTOCOL_SSLv2/3`, `TLSv1`, `TLSv1_1`, pyOpenSSL methods"},
      {"B503", "ssl_with_bad_defaults", "VG505", C::reported, "the same protocol constants, wherever they appear"},
      {"B504", "ssl_with_no_version", "VG505", C::not_reported,
       "`ssl.wrap_socket()` without `ssl_version` negotiates TLS since Python 3.6 and is gone in 3.12: no risk"},
      {"B505", "weak_cryptographic_key", "VG602", C::reported, "RSA/DSA below 2048 bits, EC below 224 bits"},
      {"B506", "yaml_load", "VG306", C::reported, "`yaml.load` without a safe loader, `yaml.unsafe_load`; fix: safe_load"},
      {"B507", "ssh_no_host_key_verification", "VG905", C::reported, "paramiko `AutoAddPolicy`/`WarningPolicy`"},
      {"B508", "snmp_insecure_version", "", C::none, "SNMP management (pysnmp) is outside the standard's scope"},
      {"B509", "snmp_weak_cryptography", "", C::none, "as B508"},
      {"B601", "paramiko_calls", "VG302", C::reported, "`exec_command` only when the command is not constant"},
      {"B602", "subprocess_popen_with_shell_equals_true", "VG302", C::reported,
       "only when the command is built from non-constant parts (not `shlex.quote`d)"},
      {"B603", "subprocess_without_shell_equals_true", "VG302", C::not_reported,
       "an argument list without a shell cannot be injected into; Bandit flags every such call"},
      {"B604", "any_other_function_with_shell_equals_true", "VG302", C::reported, "as B602, for any callee"},
      {"B605", "start_process_with_a_shell", "VG302", C::reported,
       "`os.system`, `os.popen`, `commands.*`, `subprocess.getoutput` with a non-constant command"},
      {"B606", "start_process_with_no_shell", "VG302", C::not_reported, "as B603: `os.exec*`/`os.spawn*` without a shell"},
      {"B607", "start_process_with_partial_path", "VG302", C::not_reported,
       "PATH lookup of `git` is how programs are run; not a vulnerability of the standard"},
      {"B608", "hardcoded_sql_expressions", "VG301", C::reported,
       "SQL built from non-constant parts that reaches an execute sink, not every string containing SELECT"},
      {"B609", "linux_commands_wildcard_injection", "VG302", C::not_reported,
       "a constant command with `*` is not injectable by a client; built commands are reported as B602"},
      {"B610", "django_extra_used", "VG301", C::reported, "only with built SQL (`params=` is clean)"},
      {"B611", "django_rawsql_used", "VG301", C::reported, "only with built SQL"},
      {"B612", "logging_config_insecure_listen", "", C::none,
       "`logging.config.listen()` is rare and local; planned with the dangerous-API family"},
      {"B613", "trojansource", "", C::none, "bidirectional-text characters are a review concern, not in the standard"},
      {"B614", "pytorch_load", "VG306", C::reported, "`torch.load` without `weights_only=True`"},
      {"B615", "huggingface_unsafe_download", "", C::none, "supply-chain pinning of model revisions is outside the standard"},
      {"B701", "jinja2_autoescape_false", "VG304", C::reported, "`Environment()` without autoescape or `autoescape=False`"},
      {"B702", "use_of_mako_templates", "VG304", C::reported, "mako templates without `default_filters`"},
      {"B703", "django_mark_safe", "VG304", C::reported, "as B308"},
      {"B704", "markupsafe_markup_xss", "VG304", C::reported, "`Markup(...)` over unescaped non-constant text"},
  };
  return checks;
}

std::vector<std::string> bandit_to_vigil(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids)
    for (const auto& c : bandit_checks())
      if (c.id == id && !c.rule.empty() && std::find(out.begin(), out.end(), c.rule) == out.end())
        out.emplace_back(c.rule);
  return out;
}

namespace {

std::string_view coverage_text(C coverage) {
  switch (coverage) {
    case C::reported: return "reported";
    case C::calls: return "calls reported, not imports";
    case C::not_reported: return "deliberately not reported";
    case C::none: return "not covered";
  }
  return "";
}

}  // namespace

std::string bandit_migration_page() {
  size_t active = 0, mapped = 0, reported = 0;
  for (const auto& c : bandit_checks()) {
    if (c.note.starts_with("removed from Bandit")) continue;
    ++active;
    mapped += c.rule.empty() ? 0 : 1;
    reported += c.coverage == C::reported || c.coverage == C::calls ? 1 : 0;
  }
  std::string out =
      "# Migrating from Bandit\n\n"
      "<!-- Generated by `vigil docs` from core/bandit.cpp: do not edit. -->\n\n"
      "Every Bandit test, what vigil does with it, and the vigil rule a `# nosec Bxxx` (or Ruff's\n"
      "`# noqa: Sxxx`) comment suppresses. Of Bandit's " + std::to_string(active) + " active tests, " +
      std::to_string(mapped) + " map to a vigil rule and " + std::to_string(reported) +
      " of those are reported.\nvigil reports a dangerous call when a "
      "non-constant value reaches it, resolved through imports and aliases, where Bandit reports the call or\n"
      "the import itself: expect fewer findings, each one worth reading.\n\n"
      "- **reported**: the rule finds what the Bandit test looks for; the note says where vigil is narrower.\n"
      "- **calls reported, not imports**: Bandit's import blacklist; vigil reports the dangerous use.\n"
      "- **deliberately not reported**: the ID maps to a rule (so `# nosec` comments keep working, and\n"
      "  `--report-unused-suppressions` shows them as unused) but vigil never reports it; the note says why.\n"
      "- **not covered**: no vigil rule; the note says why.\n\n"
      "| Bandit | test | vigil | coverage | note |\n|---|---|---|---|---|\n";
  for (const auto& c : bandit_checks()) {
    std::string rule = c.rule.empty() ? "—" : "[" + std::string(c.rule) + "](rules/" + std::string(c.rule) + ".md)";
    out += "| " + std::string(c.id) + " | `" + std::string(c.name) + "` | " + rule + " | " +
           std::string(coverage_text(c.coverage)) + " | " + std::string(c.note) + " |\n";
  }
  out +=
      "\n## Suppressions\n\n"
      "`# nosec` with no ID suppresses every finding on its line (forbid it with `require-rule-ids = true`);\n"
      "`# nosec B608, B105` suppresses the vigil rules above; Ruff's `# noqa: S608` reads as `B608`.\n"
      "Turn the aliases off with `suppression-aliases = false` or `--no-suppression-aliases`, and move to\n"
      "`# vigil: ignore[VG301] -- why` (see [configuration](configuration.md)).\n";
  return out;
}

}  // namespace vigil
