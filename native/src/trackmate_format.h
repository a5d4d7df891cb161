#pragma once
// Number and text conventions of TrackMate XML (trackmate-xml.md §4): integers as plain
// integers, doubles in the C locale with shortest round-trip digits, non-finite values spelled
// the Java way ("NaN", "Infinity", "-Infinity"), booleans "true"/"false".
#include <cstdint>
#include <optional>
#include <string>

#include <pugixml.hpp>

namespace nativeseg::tmxml {

std::string format_double(double v);
std::string format_int(std::int64_t v);

void set_double(pugi::xml_node node, const char* name, double v);
void set_int(pugi::xml_node node, const char* name, std::int64_t v);
void set_bool(pugi::xml_node node, const char* name, bool v);
void set_text(pugi::xml_node node, const char* name, const std::string& v);

/// Text safe for XML 1.0: characters XML forbids (control characters other than tab, line
/// feed and carriage return) are dropped, invalid UTF-8 bytes replaced by '?'.
std::string xml_safe(const std::string& s);

/// Java-compatible parsing (Double.parseDouble / Integer.parseInt after trimming): the whole
/// string must be the number. nullopt otherwise.
std::optional<double> parse_double(const char* s);
std::optional<std::int64_t> parse_int(const char* s);
std::optional<bool> parse_bool(const char* s);

}  // namespace nativeseg::tmxml
