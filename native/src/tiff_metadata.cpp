// ImageJ description text and resolution tags <-> Calibration. ImageJ's own reader
// (ij/io/FileOpener.java) and writer (ij/io/FileSaver.java) are the reference: a file we
// write must open in ImageJ/Fiji with the right axes and calibration, and vice versa.
#include "tiff_metadata.h"

#include <tiffio.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace nativeseg {
namespace detail {

namespace {

// Numbers are written and parsed with <charconv>: shortest round-trip text, and no
// dependence on the process locale (a JVM may set a decimal comma).
std::string format_number(double v) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

bool parse_number(const std::string& s, double& out) {
    const char* b = s.data();
    const char* e = b + s.size();
    if (b != e && *b == '+') ++b;
    auto r = std::from_chars(b, e, out);
    return r.ec == std::errc() && r.ptr == e && std::isfinite(out);
}

bool parse_count(const std::string& s, std::int64_t& out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && out > 0;
}

/// Rounds to `digits` significant digits (through decimal text, so 0.1625 stays 0.1625).
double round_significant(double v, int digits) {
    if (!std::isfinite(v) || v == 0.0) return v;
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, digits);
    double out = v;
    std::from_chars(buf, r.ptr, out);
    return out;
}

void append_utf8(std::string& s, unsigned cp) {
    if (cp < 0x80) {
        s += static_cast<char>(cp);
    } else if (cp < 0x800) {
        s += static_cast<char>(0xC0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        s += static_cast<char>(0xE0 | (cp >> 12));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

/// ImageJ escapes characters outside printable ASCII as \uXXXX (FileSaver.appendEscapedLine).
std::string unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned cp = 0;
        if (s[i] == '\\' && i + 6 <= s.size() && s[i + 1] == 'u' &&
            std::from_chars(s.data() + i + 2, s.data() + i + 6, cp, 16).ptr == s.data() + i + 6) {
            append_utf8(out, cp);
            i += 5;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string escape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        unsigned cp = c;
        std::size_t len = 1;
        // Decode UTF-8 (2- and 3-byte sequences; anything else is passed as single bytes).
        if ((c & 0xE0) == 0xC0 && i + 1 < s.size()) {
            cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
            len = 2;
        } else if ((c & 0xF0) == 0xE0 && i + 2 < s.size()) {
            cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
                 (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
            len = 3;
        }
        if (cp >= 0x20 && cp < 0x7F && cp != '\\') {
            out += static_cast<char>(cp);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04X", cp & 0xFFFFu);
            out += buf;
        }
        i += len;
    }
    return out;
}

std::string trim(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

std::string lower(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

/// Length units in centimetres, for resolution tags written without an ImageJ description.
double unit_in_cm(const std::string& unit) {
    if (unit == "micron") return 1e-4;
    if (unit == "nm") return 1e-7;
    if (unit == "mm") return 0.1;
    if (unit == "cm") return 1.0;
    if (unit == "m" || unit == "meter" || unit == "metre") return 100.0;
    return 0.0;
}

bool positive(double v) { return std::isfinite(v) && v > 0.0; }

}  // namespace

std::string canonical_unit(const std::string& unit) {
    const std::string u = lower(trim(unit));
    if (u == "micron" || u == "microns" || u == "um" || u == "\xC2\xB5m" /* U+00B5 */ ||
        u == "\xCE\xBCm" /* U+03BC */ || u == "micrometer" || u == "micrometre" || u == "micrometers" ||
        u == "micrometres")
        return "micron";
    return trim(unit);
}

ImageJDescription parse_imagej_description(const std::string& text) {
    ImageJDescription d;
    if (text.compare(0, 7, "ImageJ=") != 0) return d;
    d.present = true;
    std::istringstream lines(text.substr(0, text.find('\0')));
    std::string line;
    while (std::getline(lines, line)) {
        const auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        const std::string key = trim(line.substr(0, eq));
        const std::string value = trim(line.substr(eq + 1));
        double number = 0.0;
        // Values that do not parse are ignored, as ImageJ does: a damaged description
        // must not stop the pixels from being read.
        if (key == "images") parse_count(value, d.images);
        else if (key == "channels") parse_count(value, d.channels);
        else if (key == "slices") parse_count(value, d.slices);
        else if (key == "frames") parse_count(value, d.frames);
        else if (key == "unit") d.unit = canonical_unit(unescape(value));
        else if (key == "tunit") d.tunit = trim(unescape(value));
        else if (key == "spacing" && parse_number(value, number)) d.spacing = std::fabs(number);
        else if (key == "finterval" && parse_number(value, number) && number > 0) d.finterval = number;
    }
    return d;
}

Calibration calibration_from_tiff(const ResolutionTags& res, const ImageJDescription& ij) {
    Calibration cal;
    std::string unit = ij.unit;
    if (unit.empty()) {
        if (res.unit == RESUNIT_INCH) unit = "inch";
        else if (res.unit == RESUNIT_CENTIMETER) unit = "cm";
    }
    if (positive(ij.spacing)) cal.voxel_depth = ij.spacing;
    if (!unit.empty() && unit != "pixel") {
        cal.unit = unit;
        if (positive(res.x)) cal.pixel_width = 1.0 / res.x;
        cal.pixel_height = positive(res.y) ? 1.0 / res.y : cal.pixel_width;
        // ImageJ's "convert to microns": sizes in cm this small are microscope data.
        const double threshold = ij.present ? 1e-4 : 1e-3;
        if (unit == "cm" && cal.pixel_width <= threshold) {
            cal.pixel_width *= 1e4;
            cal.pixel_height *= 1e4;
            if (cal.voxel_depth != 1.0) cal.voxel_depth *= 1e4;
            cal.unit = "micron";
        }
        // libtiff keeps resolutions as float: 7 significant digits are all there is.
        cal.pixel_width = round_significant(cal.pixel_width, 7);
        cal.pixel_height = round_significant(cal.pixel_height, 7);
    }
    if (positive(ij.finterval)) cal.frame_interval = ij.finterval;
    if (!ij.tunit.empty()) cal.time_unit = ij.tunit;
    return cal;
}

ResolutionTags resolution_for(const Calibration& cal, bool imagej) {
    ResolutionTags r;
    const std::string unit = canonical_unit(cal.unit);
    const bool uncalibrated = unit.empty() || unit == "pixel";
    if ((uncalibrated && cal.pixel_width == 1.0 && cal.pixel_height == 1.0) || !positive(cal.pixel_width) ||
        !positive(cal.pixel_height))
        return r;
    double scale = 1.0;  // pixel size -> size in the tag's unit
    if (unit == "inch") {
        r.unit = RESUNIT_INCH;
    } else if (unit == "cm") {
        r.unit = RESUNIT_CENTIMETER;
    } else if (!imagej && unit_in_cm(unit) > 0.0) {
        // No description to carry the unit: state the size in cm so other readers see it.
        r.unit = RESUNIT_CENTIMETER;
        scale = unit_in_cm(unit);
    } else {
        r.unit = RESUNIT_NONE;  // as ImageJ writes it; the unit is in the description
    }
    r.x = 1.0 / (cal.pixel_width * scale);
    r.y = 1.0 / (cal.pixel_height * scale);
    return r;
}

std::string imagej_description(const Shape& shape, const Calibration& cal, bool images_key) {
    // Keys and order as ImageJ's FileSaver.getDescriptionString writes them. ImageJ
    // computes its display range itself when min=/max= are absent.
    std::ostringstream d;
    d << "ImageJ=1.11a\n";
    const std::int64_t n = shape.planes();
    if (n > 1 && images_key) d << "images=" << n << "\n";
    if (shape.c > 1) d << "channels=" << shape.c << "\n";
    if (shape.z > 1) d << "slices=" << shape.z << "\n";
    if (shape.t > 1) d << "frames=" << shape.t << "\n";
    if (n > 1) d << "hyperstack=true\n";
    const std::string unit = canonical_unit(cal.unit);
    if (!unit.empty() && unit != "pixel") d << "unit=" << escape(unit) << "\n";
    if (std::isfinite(cal.frame_interval) && cal.frame_interval > 0.0)
        d << "finterval=" << format_number(cal.frame_interval) << "\n";
    if (!cal.time_unit.empty() && cal.time_unit != "sec") d << "tunit=" << escape(cal.time_unit) << "\n";
    if (positive(cal.voxel_depth) && cal.voxel_depth != 1.0)
        d << "spacing=" << format_number(cal.voxel_depth) << "\n";
    if (n > 1) d << "loop=false\n";
    return d.str();
}

}  // namespace detail

std::string imagej_description(const Shape& shape, const Calibration& calibration, DType /*dtype*/) {
    return detail::imagej_description(shape, calibration, true);
}

}  // namespace nativeseg
