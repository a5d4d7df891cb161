// Simulation parameters from the settings schema, and their range check.
#include <cmath>
#include <limits>

#include "nativeseg/error.h"
#include "nativeseg/simulate.h"

namespace nativeseg {

namespace {

int as_int(const SettingValues& v, const char* key) {
    const std::int64_t x = v.get_int(key);
    if (x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max())
        throw Error(std::string(key) + ": value " + std::to_string(x) + " is out of range");
    return static_cast<int>(x);
}

void require(bool ok, const char* key, const std::string& expected, double value) {
    if (!ok) {
        std::string text = std::to_string(value);
        text.erase(text.find_last_not_of('0') + 1);  // 2.500000 -> 2.5
        if (!text.empty() && text.back() == '.') text.pop_back();
        throw Error(std::string("simulation parameter ") + key + ": expected " + expected + ", got " + text);
    }
}

}  // namespace

const char* modality_name(Modality m) { return m == Modality::Phase ? "phase" : "fluo"; }

Modality modality_from_name(const std::string& name) {
    if (name == "fluo") return Modality::Fluorescence;
    if (name == "phase") return Modality::Phase;
    throw Error("modality: expected 'fluo' or 'phase', got '" + name + "'");
}

SimulationParams simulation_params(const SettingValues& v) {
    SimulationParams p;
    p.frames = as_int(v, "frames");
    p.width = as_int(v, "width");
    p.height = as_int(v, "height");
    p.cells = as_int(v, "cells");
    p.seed = static_cast<std::uint64_t>(v.get_int("seed"));
    p.modality = modality_from_name(v.get_string("modality"));
    p.cell_radius = v.get_float("cell_radius");
    p.motion_step = v.get_float("motion_step");
    p.drift_x = v.get_float("drift_x");
    p.drift_y = v.get_float("drift_y");
    p.division_rate = v.get_float("division_rate");
    p.blink_rate = v.get_float("blink_rate");
    p.enter_rate = v.get_float("enter_rate");
    p.noise = v.get_float("noise");
    p.blur = v.get_float("blur");
    p.pixel_size = v.get_float("pixel_size");
    p.frame_interval = v.get_float("frame_interval");
    return p;
}

SimulationParams default_simulation_params() { return simulation_params(SettingValues()); }

void check_simulation_params(const SimulationParams& p) {
    auto finite = [](double v) { return std::isfinite(v); };
    require(p.frames >= 1, "frames", "at least 1", p.frames);
    require(p.width >= 16 && p.width <= 65535, "width", "16 to 65535 pixels", p.width);
    require(p.height >= 16 && p.height <= 65535, "height", "16 to 65535 pixels", p.height);
    require(p.cells >= 0 && p.cells <= 65535, "cells", "0 to 65535", p.cells);
    require(p.modality == Modality::Fluorescence || p.modality == Modality::Phase, "modality", "fluo or phase",
            static_cast<int>(p.modality));
    const double max_radius = std::min(p.width, p.height) / 2.0;
    require(finite(p.cell_radius) && p.cell_radius >= 2 && p.cell_radius <= max_radius, "cell_radius",
            "2 to " + std::to_string(static_cast<int>(max_radius)) + " pixels (half the smaller side)",
            p.cell_radius);
    require(finite(p.motion_step) && p.motion_step >= 0 && p.motion_step <= 100, "motion_step", "0 to 100 pixels",
            p.motion_step);
    require(finite(p.drift_x) && std::fabs(p.drift_x) <= 100, "drift_x", "-100 to 100 pixels", p.drift_x);
    require(finite(p.drift_y) && std::fabs(p.drift_y) <= 100, "drift_y", "-100 to 100 pixels", p.drift_y);
    require(finite(p.division_rate) && p.division_rate >= 0 && p.division_rate <= 1, "division_rate", "0 to 1",
            p.division_rate);
    require(finite(p.blink_rate) && p.blink_rate >= 0 && p.blink_rate <= 1, "blink_rate", "0 to 1", p.blink_rate);
    require(finite(p.enter_rate) && p.enter_rate >= 0 && p.enter_rate <= 100, "enter_rate", "0 to 100 cells per frame",
            p.enter_rate);
    require(finite(p.noise) && p.noise >= 0 && p.noise <= 100, "noise", "0 to 100", p.noise);
    require(finite(p.blur) && p.blur >= 0 && p.blur <= 50, "blur", "0 to 50 pixels", p.blur);
    require(finite(p.pixel_size) && p.pixel_size > 0, "pixel_size", "a positive size in micron", p.pixel_size);
    require(finite(p.frame_interval) && p.frame_interval >= 0, "frame_interval", "0 or more minutes",
            p.frame_interval);
}

}  // namespace nativeseg
