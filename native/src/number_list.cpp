// Number lists and ranges of settings (number_list.h).
#include "nativeseg/number_list.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "nativeseg/error.h"

namespace nativeseg {

namespace {

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(text);
    while (std::getline(in, cur, sep)) {
        cur.erase(0, cur.find_first_not_of(" \t"));
        cur.erase(cur.find_last_not_of(" \t") + 1);
        out.push_back(cur);
    }
    return out;
}

}  // namespace

std::vector<double> parse_number_list(const std::string& text, const std::string& setting) {
    auto number = [&](const std::string& token) {
        char* end = nullptr;
        const double v = std::strtod(token.c_str(), &end);
        if (token.empty() || *end != '\0' || !std::isfinite(v))
            throw Error(setting + ": '" + token + "' is not a number (expected a list such as '0.5,0.75,0.9' or a "
                        "range first:last:step such as '0.5:0.95:0.05'), in '" + text + "'");
        return v;
    };
    std::vector<double> out;
    if (text.find(':') != std::string::npos) {
        const auto parts = split(text, ':');
        if (parts.size() != 3)
            throw Error(setting + ": a range is 'first:last:step' (e.g. '0.5:0.95:0.05'), got '" + text + "'");
        const double first = number(parts[0]), last = number(parts[1]), step = number(parts[2]);
        if (!(step > 0)) throw Error(setting + ": the step of '" + text + "' must be positive");
        const auto steps = static_cast<long>(std::floor((last - first) / step + 1e-9));
        for (long i = 0; i <= steps; ++i) out.push_back(std::round((first + static_cast<double>(i) * step) * 1e9) / 1e9);
    } else {
        for (const std::string& tok : split(text, ',')) out.push_back(number(tok));
    }
    if (out.empty()) throw Error(setting + ": no value in '" + text + "'");
    return out;
}

}  // namespace nativeseg
