#include "trackmate_format.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>

namespace nativeseg::tmxml {

std::string format_double(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round trip, no locale
    return std::string(buf, r.ptr);
}

std::string format_int(std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

void set_double(pugi::xml_node node, const char* name, double v) {
    node.append_attribute(name).set_value(format_double(v).c_str());
}
void set_int(pugi::xml_node node, const char* name, std::int64_t v) {
    node.append_attribute(name).set_value(format_int(v).c_str());
}
void set_bool(pugi::xml_node node, const char* name, bool v) {
    node.append_attribute(name).set_value(v ? "true" : "false");
}
void set_text(pugi::xml_node node, const char* name, const std::string& v) {
    node.append_attribute(name).set_value(xml_safe(v).c_str());
}

std::string xml_safe(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += static_cast<char>(c);
            ++i;
            continue;
        }
        // A well-formed multi-byte UTF-8 sequence is kept whole.
        const std::size_t len = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
        bool ok = len > 0 && i + len <= s.size();
        for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
        if (ok) {
            out.append(s, i, len);
            i += len;
        } else {
            out += '?';
            ++i;
        }
    }
    return out;
}

namespace {
std::string_view trimmed(const char* s) {
    std::string_view v(s ? s : "");
    const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!v.empty() && ws(v.front())) v.remove_prefix(1);
    while (!v.empty() && ws(v.back())) v.remove_suffix(1);
    return v;
}
}  // namespace

std::optional<double> parse_double(const char* s) {
    std::string_view v = trimmed(s);
    bool negative = false;
    if (!v.empty() && (v.front() == '+' || v.front() == '-')) {
        negative = v.front() == '-';
        v.remove_prefix(1);
    }
    if (v == "NaN") return std::nan("");
    if (v == "Infinity") return negative ? -HUGE_VAL : HUGE_VAL;
    // from_chars would also take "inf" and "nan", which Java refuses: digits only from here.
    if (v.empty() || !(std::isdigit(static_cast<unsigned char>(v.front())) || v.front() == '.')) return std::nullopt;
    double out = 0;
    const auto r = std::from_chars(v.data(), v.data() + v.size(), out);
    if (r.ec != std::errc() || r.ptr != v.data() + v.size()) return std::nullopt;
    return negative ? -out : out;
}

std::optional<std::int64_t> parse_int(const char* s) {
    std::string_view v = trimmed(s);
    if (!v.empty() && v.front() == '+') v.remove_prefix(1);
    std::int64_t out = 0;
    const auto r = std::from_chars(v.data(), v.data() + v.size(), out);
    if (v.empty() || r.ec != std::errc() || r.ptr != v.data() + v.size()) return std::nullopt;
    return out;
}

std::optional<bool> parse_bool(const char* s) {
    const std::string_view v = trimmed(s);
    if (v == "true") return true;
    if (v == "false") return false;
    return std::nullopt;
}

}  // namespace nativeseg::tmxml
