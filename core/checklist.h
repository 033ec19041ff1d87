// The standard's "Security Implementation Checklist" (shared/python-security-
// standards.md, Validation), judged for a project: each item with the rules
// that check it and their open findings.
#pragma once
#include <string>

#include "core/scanner.h"

namespace vigil {

// format: "text", "markdown" (for a pull-request comment) or "json".
std::string render_checklist(const ScanResult& result, const std::string& format);

// True when an item has open findings.
bool checklist_fails(const ScanResult& result);

}  // namespace vigil
