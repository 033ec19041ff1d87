// Untrusted input, as data tables per framework: where a value comes from
// when it is request data (FastAPI/Starlette parameters and Request members,
// Flask `request.*`, Django `request.GET/POST/...`) or process input
// (`input()`, `sys.argv`, `os.environ`). A first step towards taint
// tracking: followed through local variables and string building only.
#pragma once
#include <tree_sitter/api.h>

#include <string>

#include "frontends/python/checker.h"

namespace vigil::python {

// A short description of the untrusted source `expr` is built from
// ("Flask `request.args`", "FastAPI query parameter `q`"), or "".
// With `request_only`, process input (input(), argv, environment) does not count.
std::string untrusted_source(TSNode expr, const Context& ctx, int depth = 0, bool request_only = false);

// Is `function` (a function_definition) a route handler (FastAPI/Starlette/
// Flask decorator, or a Django/DRF view method taking `request`)?
bool is_route_handler(TSNode function, const Context& ctx);

// The function_definition holding the current scope, or a null node.
TSNode enclosing_function_node(const Context& ctx);

}  // namespace vigil::python
