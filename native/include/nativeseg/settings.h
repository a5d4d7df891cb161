#pragma once
// The settings schema: every user-facing parameter is declared once, here, with its key,
// type, default, range or choices, unit, help text, group and the commands that use it.
// CLI flags, Fiji dialogs, macro keys and the settings page in docs/ are generated from it.
//
// Naming rules (checked by tests): keys are snake_case and are the macro keys; the CLI flag
// is the same words in --kebab-case; no key is the tail of another key after an underscore
// (ImageJ's macro option lookup would confuse `threshold` with `gap_threshold`).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace nativeseg {

enum class SettingType { Int, Float, Bool, String, Choice, Path };

const char* setting_type_name(SettingType t);

struct Setting {
    std::string key;
    SettingType type = SettingType::String;
    std::string default_value;          // as text; parsed with the same rules as user input
    std::optional<double> min, max;     // inclusive range for Int and Float
    std::vector<std::string> choices;   // for Choice
    std::string unit;                   // "px", "frames", "µm", ... or empty
    std::string help;                   // one or two sentences
    std::string group;                  // dialog section / docs heading
    std::vector<std::string> commands;  // the CLI commands (and jobs) that take it
};

/// All settings, in display order.
const std::vector<Setting>& settings_schema();
/// The setting with this key; Error naming it when there is none.
const Setting& find_setting(const std::string& key);
/// The settings that a command takes, in display order.
std::vector<const Setting*> settings_for_command(const std::string& command);
/// "--kebab-case" flag for a key.
std::string cli_flag(const std::string& key);

/// The schema as JSON (what `nativeseg settings --json` prints and Java builds dialogs from).
nlohmann::json settings_schema_json();
/// The schema as a Markdown reference page (docs/settings.md is generated from it).
std::string settings_schema_markdown();

/// Values for the settings of a command, starting from the schema defaults. Every value is
/// validated against its declaration when set; errors name the key and what was expected.
class SettingValues {
public:
    /// Defaults of every setting in the schema.
    SettingValues();
    /// Sets from text (CLI, macro options, YAML): parsed and checked.
    void set(const std::string& key, const std::string& text);
    bool is_default(const std::string& key) const;

    std::int64_t get_int(const std::string& key) const;
    double get_float(const std::string& key) const;
    bool get_bool(const std::string& key) const;
    /// String, Choice and Path values (and the text of any other type).
    const std::string& get_string(const std::string& key) const;

    /// The values of one command's settings, as JSON typed by the schema (for report.json).
    nlohmann::json to_json(const std::string& command) const;

private:
    const std::string& raw(const std::string& key, SettingType expected) const;
    std::map<std::string, std::string> values_;
    std::map<std::string, bool> explicit_;
};

/// Parses and checks one value against its declaration; returns the normalised text
/// (e.g. "yes" → "true"). Error: "<key>: expected …, got '<text>'".
std::string validate_setting_value(const Setting& s, const std::string& text);

}  // namespace nativeseg
