// The naming vocabulary shared by the checkers of every language: what a
// name or value says about itself (a password, a secret, a placeholder).
// Kept as data and in one place so Python and C++ rules judge names alike.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

std::string lower(std::string_view text);
// Lower-case words of an identifier, key or header: "X-Api-Key" -> x api key,
// "accessTokenExpire" -> access token expire.
std::vector<std::string> words_of(std::string_view name);
// A plaintext password name: password, passwd, pwd, passphrase... but not
// hashes of one (password_hash), nor policies or labels (password_min_length).
bool is_password_name(std::string_view name);
// A field that holds a password in storage, hashed or not (hashed_password).
bool is_password_field(std::string_view name);
// A secret: password, secret, token, API/private/signing key... but not
// metadata about one (token_url, secret_name, token_type, api_key_header).
bool is_secret_name(std::string_view name);
// An obvious placeholder value: "", "changeme", "<your-key>", "${VAR}", "xxxx".
bool is_placeholder(std::string_view value, std::string_view bound_name = "");
// A test file (tests/, test_*.py, *_test.py, conftest.py).
bool is_test_file(std::string_view path);
// Does a callee name read as a hash or key-derivation function?
bool is_hashing_callee(std::string_view name);
// RateLimiter, rate_limit, Throttle, limiter...
bool is_rate_limit_name(std::string_view name);
// A route path that logs users in or manages credentials (whole words:
// /auth/login, /password-reset, /sign-in; not /presets or /tokenize).
bool is_auth_route(std::string_view path);

}  // namespace vigil
