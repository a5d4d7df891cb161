#include "nativeseg/settings.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include <nlohmann/json.hpp>

#include "nativeseg/error.h"

namespace nativeseg {

const char* setting_type_name(SettingType t) {
    switch (t) {
        case SettingType::Int: return "int";
        case SettingType::Float: return "float";
        case SettingType::Bool: return "bool";
        case SettingType::String: return "string";
        case SettingType::Choice: return "choice";
        case SettingType::Path: return "path";
    }
    return "?";
}

const Setting& find_setting(const std::string& key) {
    for (const Setting& s : settings_schema())
        if (s.key == key) return s;
    throw Error("unknown setting '" + key + "' (see `nativeseg settings` for the list)");
}

std::vector<const Setting*> settings_for_command(const std::string& command) {
    std::vector<const Setting*> out;
    for (const Setting& s : settings_schema())
        if (std::find(s.commands.begin(), s.commands.end(), command) != s.commands.end()) out.push_back(&s);
    return out;
}

std::string cli_flag(const std::string& key) {
    std::string flag = "--" + key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    return flag;
}

namespace {

std::string trim(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Numbers are printed so that they parse back to the same value and look like what a user typed.
std::string format_number(double v) {
    std::ostringstream os;
    os.precision(15);
    os << v;
    return os.str();
}

std::string range_text(const Setting& s) {
    std::string r;
    if (s.min && s.max) r = "from " + format_number(*s.min) + " to " + format_number(*s.max);
    else if (s.min) r = "at least " + format_number(*s.min);
    else if (s.max) r = "at most " + format_number(*s.max);
    return r;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
    return out;
}

}  // namespace

std::string validate_setting_value(const Setting& s, const std::string& raw_text) {
    const std::string text = trim(raw_text);
    auto fail = [&](const std::string& expected) -> Error {
        return Error(s.key + ": expected " + expected + ", got '" + raw_text + "'");
    };
    switch (s.type) {
        case SettingType::Int: {
            const std::string what = "an integer" + (range_text(s).empty() ? "" : " " + range_text(s));
            if (text.empty()) throw fail(what);
            errno = 0;
            char* end = nullptr;
            const long long v = std::strtoll(text.c_str(), &end, 10);
            if (errno != 0 || *end != '\0') throw fail(what);
            if ((s.min && static_cast<double>(v) < *s.min) || (s.max && static_cast<double>(v) > *s.max))
                throw fail(what);
            return std::to_string(v);
        }
        case SettingType::Float: {
            const std::string what = "a number" + (range_text(s).empty() ? "" : " " + range_text(s));
            if (text.empty()) throw fail(what);
            errno = 0;
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            if (errno != 0 || *end != '\0' || !std::isfinite(v)) throw fail(what);
            if ((s.min && v < *s.min) || (s.max && v > *s.max)) throw fail(what);
            return text;
        }
        case SettingType::Bool: {
            const std::string v = lower(text);
            if (v == "true" || v == "1" || v == "yes" || v == "on") return "true";
            if (v == "false" || v == "0" || v == "no" || v == "off") return "false";
            throw fail("true or false");
        }
        case SettingType::Choice: {
            for (const std::string& c : s.choices)
                if (lower(text) == lower(c)) return c;
            throw fail("one of " + join(s.choices, ", "));
        }
        case SettingType::String:
        case SettingType::Path:
            return raw_text;
    }
    return raw_text;
}

SettingValues::SettingValues() {
    for (const Setting& s : settings_schema()) {
        values_[s.key] = validate_setting_value(s, s.default_value);
        explicit_[s.key] = false;
    }
}

void SettingValues::set(const std::string& key, const std::string& text) {
    const Setting& s = find_setting(key);
    values_[key] = validate_setting_value(s, text);
    explicit_[key] = true;
}

bool SettingValues::is_default(const std::string& key) const {
    find_setting(key);
    return !explicit_.at(key);
}

const std::string& SettingValues::raw(const std::string& key, SettingType expected) const {
    const Setting& s = find_setting(key);
    if (s.type != expected && !(expected == SettingType::String))
        throw Error(std::string("setting '") + key + "' is a " + setting_type_name(s.type) + ", read as " +
                    setting_type_name(expected));
    return values_.at(key);
}

std::int64_t SettingValues::get_int(const std::string& key) const {
    return std::stoll(raw(key, SettingType::Int));
}

double SettingValues::get_float(const std::string& key) const {
    return std::stod(raw(key, SettingType::Float));
}

bool SettingValues::get_bool(const std::string& key) const {
    return raw(key, SettingType::Bool) == "true";
}

const std::string& SettingValues::get_string(const std::string& key) const {
    return raw(key, SettingType::String);
}

nlohmann::json SettingValues::to_json(const std::string& command) const {
    nlohmann::json j = nlohmann::json::object();
    for (const Setting* s : settings_for_command(command)) {
        switch (s->type) {
            case SettingType::Int: j[s->key] = get_int(s->key); break;
            case SettingType::Float: j[s->key] = get_float(s->key); break;
            case SettingType::Bool: j[s->key] = get_bool(s->key); break;
            default: j[s->key] = get_string(s->key); break;
        }
    }
    return j;
}

nlohmann::json settings_schema_json() {
    nlohmann::json list = nlohmann::json::array();
    for (const Setting& s : settings_schema()) {
        nlohmann::json j;
        j["key"] = s.key;
        j["flag"] = cli_flag(s.key);
        j["type"] = setting_type_name(s.type);
        switch (s.type) {
            case SettingType::Int: j["default"] = std::stoll(s.default_value); break;
            case SettingType::Float: j["default"] = std::stod(s.default_value); break;
            case SettingType::Bool: j["default"] = validate_setting_value(s, s.default_value) == "true"; break;
            default: j["default"] = s.default_value; break;
        }
        if (s.min) j["min"] = *s.min;
        if (s.max) j["max"] = *s.max;
        if (!s.choices.empty()) j["choices"] = s.choices;
        j["unit"] = s.unit;
        j["help"] = s.help;
        j["group"] = s.group;
        j["commands"] = s.commands;
        list.push_back(j);
    }
    nlohmann::json out;
    out["schema_version"] = 1;
    out["settings"] = list;
    return out;
}

std::string settings_schema_markdown() {
    std::ostringstream md;
    md << "# Settings reference\n\n"
       << "Generated from the settings schema (`nativeseg settings --markdown`); do not edit by hand.\n"
       << "Each setting's key is also its ImageJ macro key; its command-line flag is the same words in "
          "`--kebab-case`.\n";
    std::vector<std::string> groups;
    for (const Setting& s : settings_schema())
        if (std::find(groups.begin(), groups.end(), s.group) == groups.end()) groups.push_back(s.group);
    for (const std::string& g : groups) {
        md << "\n## " << g << "\n\n| key | flag | type | default | allowed | unit | commands | description |\n"
           << "|---|---|---|---|---|---|---|---|\n";
        for (const Setting& s : settings_schema()) {
            if (s.group != g) continue;
            std::string allowed = s.choices.empty() ? range_text(s) : join(s.choices, ", ");
            md << "| `" << s.key << "` | `" << cli_flag(s.key) << "` | " << setting_type_name(s.type) << " | `"
               << s.default_value << "` | " << allowed << " | " << s.unit << " | " << join(s.commands, ", ")
               << " | " << s.help << " |\n";
        }
    }
    return md.str();
}

}  // namespace nativeseg
