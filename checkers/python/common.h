// Helpers shared by the Python checkers: call arguments, constants, and the
// naming vocabulary (what counts as a password, a secret, a placeholder).
// Vocabulary lives here as data so every rule judges names the same way.
#pragma once
#include <tree_sitter/api.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/vocabulary.h"
#include "frontends/python/checker.h"
#include "frontends/python/syntax.h"

namespace vigil::python {

// ---- calls ----
// The value of keyword argument `name`, or a null node.
TSNode keyword_arg(TSNode call, std::string_view name, const Context& ctx);
// The `index`-th positional argument (0-based), or a null node.
TSNode positional_arg(TSNode call, size_t index);
// Positional `index`, else keyword `name`.
TSNode call_arg(TSNode call, size_t index, std::string_view name, const Context& ctx);
// The callee's qualified name, resolved through imports and locals.
std::optional<std::string> callee(TSNode call, const Context& ctx);
// The method name of `x.m(...)`, or "".
std::string_view method_name(TSNode call, const Context& ctx);
// The receiver `x` of `x.m(...)`, or a null node.
TSNode receiver(TSNode call);
// The last component of a dotted name: "a.b.C()" -> "C".
std::string last_component(std::string name);

// ---- constants ----
// The text of a constant string expression (through module constants).
std::optional<std::string> constant_string(TSNode expr, const Context& ctx);
// Is the node a str or bytes literal (no interpolation)?
bool is_plain_string_literal(TSNode node, const Context& ctx);
// A constant `True`/`False`, through names bound once.
std::optional<bool> constant_bool(TSNode expr, const Context& ctx);
// The constant strings of a list/tuple/set (through one local or module
// binding), or of a single string, which is split on commas and spaces
// ("bcrypt, md5_crypt").
std::vector<std::string> constant_strings(TSNode value, const Context& ctx);
// The dict literal an expression is, directly or through one binding; or null.
TSNode dict_literal(TSNode expr, const Context& ctx);
// The value of a constant key in a dict literal, or null.
TSNode dict_value(TSNode dict, std::string_view key, const Context& ctx);

// ---- names (the vocabulary itself is in core/vocabulary.h) ----
// The name an expression is known by: identifier, attribute name, or the
// constant key of a subscript / `.get("key")`; "" otherwise.
std::string name_of(TSNode expr, const Context& ctx);

// ---- password values ----
// Is `expr` a password in plaintext: a password-named parameter, local,
// attribute or key that was not passed through a hash function?
bool is_plaintext_password(TSNode expr, const Context& ctx, int depth = 0);
// Does `expr` contain a plaintext password (`password.encode()`, `salt + password`)?
bool mentions_plaintext_password(TSNode expr, const Context& ctx, int depth = 0);

}  // namespace vigil::python
