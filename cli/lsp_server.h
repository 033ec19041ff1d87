// `vigil server`: a Language Server Protocol server over the given streams.
#pragma once
#include <iosfwd>

namespace vigil {

// Serves until the client sends `exit`; returns the process exit code
// (0 after `shutdown`, 1 otherwise).
int run_language_server(std::istream& in, std::ostream& out);

}  // namespace vigil
