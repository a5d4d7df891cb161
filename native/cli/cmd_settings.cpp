// `nativeseg settings`: the settings schema as a table, JSON or Markdown.
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "nativeseg/settings.h"

namespace nativeseg::cli {

void add_settings_command(CLI::App& app) {
    auto* sub = app.add_subcommand("settings", "List every setting (key, flag, default, range, help)");
    auto json = std::make_shared<bool>(false);
    auto markdown = std::make_shared<bool>(false);
    auto command = std::make_shared<std::string>();
    sub->add_flag("--json", *json, "Print the schema as JSON (used by the Fiji plugin)");
    sub->add_flag("--markdown", *markdown, "Print the schema as the Markdown page docs/settings.md");
    sub->add_option("--command", *command, "Only the settings of this command (e.g. simulate)");
    sub->callback([json, markdown, command] {
        if (*json) {
            std::cout << settings_schema_json().dump(2) << "\n";
            return;
        }
        if (*markdown) {
            std::cout << settings_schema_markdown();
            return;
        }
        for (const Setting& s : settings_schema()) {
            if (!command->empty() &&
                std::find(s.commands.begin(), s.commands.end(), *command) == s.commands.end())
                continue;
            std::cout << cli_flag(s.key) << " (" << setting_type_name(s.type) << ", default " << s.default_value
                      << (s.unit.empty() ? "" : " " + s.unit) << ")\n    " << s.help << "\n";
        }
    });
}

}  // namespace nativeseg::cli
