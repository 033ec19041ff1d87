// String construction in C++: what the Python model's string facts answer,
// for `const char*`, `std::string` and `QString` values. Is an argument a
// constant, or built (by `+`, `+=`, `append`, `sprintf`/`snprintf`,
// `fmt::format`/`std::format`, `std::ostringstream <<`, `QString::arg`) from
// non-constant parts, directly or through a local variable's initialiser and
// later changes?
#pragma once
#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>

#include <string>
#include <vector>

namespace vigil::cpp {

struct StringFacts {
  enum class Kind { constant, built, opaque };
  struct Part {
    const clang::Expr* expr = nullptr;  // the non-constant piece
    std::string how;                    // "concatenation", "snprintf", "fmt::format", ...
  };
  Kind kind = Kind::opaque;
  std::string text;  // constant text; "{}" where non-constant parts go
  std::vector<Part> parts;
  bool is_constant() const { return kind == Kind::constant; }
  bool is_built() const { return kind == Kind::built; }
};

StringFacts string_facts(const clang::Expr* expr, clang::ASTContext& ast);

// The expression without implicit casts, parentheses, temporaries and
// string-type conversions (`std::string(x)`, `x.c_str()`, `QString(x)`).
const clang::Expr* strip_string_wrappers(const clang::Expr* expr);

}  // namespace vigil::cpp
