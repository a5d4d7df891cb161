#include "schema_options.h"

#include <sstream>

#include "nativeseg/error.h"

namespace nativeseg::cli {

namespace {

std::string describe(const Setting& s) {
    std::ostringstream d;
    d << s.help << " [default: " << s.default_value;
    if (!s.unit.empty()) d << " " << s.unit;
    if (!s.choices.empty()) {
        d << "; one of";
        for (const auto& c : s.choices) d << " " << c;
    } else if (s.min && s.max && s.type != SettingType::Bool) {
        d << "; " << *s.min << " to " << *s.max;
    }
    d << "]";
    return d.str();
}

// The schema's messages start with the key; on the command line the user typed the flag.
[[noreturn]] void rethrow_with_flag(const Setting& s, const std::exception& e) {
    std::string msg = e.what();
    const std::string prefix = s.key + ": ";
    if (msg.rfind(prefix, 0) == 0) msg = msg.substr(prefix.size());
    throw CLI::ValidationError(cli_flag(s.key), msg);
}

}  // namespace

void add_schema_options(CLI::App& sub, const std::string& command, SettingValues& values) {
    for (const Setting* sp : settings_for_command(command)) {
        const Setting& s = *sp;
        const std::string flag = cli_flag(s.key);
        if (s.type == SettingType::Bool) {
            const std::string negated = "--no-" + flag.substr(2);
            sub.add_flag_function(
                   flag + ",!" + negated,
                   [&values, &s](std::int64_t count) {
                       try {
                           values.set(s.key, count > 0 ? "true" : "false");
                       } catch (const std::exception& e) {
                           rethrow_with_flag(s, e);
                       }
                   },
                   describe(s))
                ->group(s.group);
            continue;
        }
        sub.add_option_function<std::string>(
               flag,
               [&values, &s](const std::string& text) {
                   try {
                       values.set(s.key, text);
                   } catch (const std::exception& e) {
                       rethrow_with_flag(s, e);
                   }
               },
               describe(s))
            ->type_name(s.type == SettingType::Int     ? "INT"
                        : s.type == SettingType::Float ? "NUMBER"
                        : s.type == SettingType::Path  ? "PATH"
                                                       : "TEXT")
            ->group(s.group);
    }
}

}  // namespace nativeseg::cli
