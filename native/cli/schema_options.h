#pragma once
// CLI flags generated from the settings schema: every setting a command takes becomes
// `--kebab-case-key`, validated by the schema as it is parsed.
#include <string>

#include <CLI/CLI.hpp>

#include "nativeseg/settings.h"

namespace nativeseg::cli {

/// Adds one option per setting of `command` to `sub`; parsed values land in `values`.
void add_schema_options(CLI::App& sub, const std::string& command, SettingValues& values);

}  // namespace nativeseg::cli
