#include "nativeseg/temporal_window.h"

#include <algorithm>

#include "nativeseg/error.h"
#include "nativeseg/tiling.h"

namespace nativeseg {

TemporalMode temporal_mode_from_name(const std::string& name) {
    if (name == "causal") return TemporalMode::Causal;
    if (name == "centered" || name == "centred") return TemporalMode::Centered;
    throw Error("temporal_mode: expected causal or centered, got '" + name + "'");
}

TemporalPadding temporal_padding_from_name(const std::string& name) {
    if (name == "replicate") return TemporalPadding::Replicate;
    if (name == "reflect") return TemporalPadding::Reflect;
    throw Error("temporal_padding: expected replicate or reflect, got '" + name + "'");
}

std::vector<std::int64_t> temporal_window(std::int64_t t, std::int64_t frames, int k, TemporalMode mode,
                                          TemporalPadding padding) {
    if (frames < 1 || t < 0 || t >= frames) throw Error("temporal window: frame " + std::to_string(t) + " out of range");
    if (k < 1) throw Error("temporal window: window of " + std::to_string(k) + " frames");
    const std::int64_t first = mode == TemporalMode::Causal ? t - (k - 1) : t - (k - 1) / 2;
    std::vector<std::int64_t> w;
    w.reserve(static_cast<std::size_t>(k));
    for (int j = 0; j < k; ++j) {
        const std::int64_t i = first + j;
        w.push_back(padding == TemporalPadding::Replicate ? std::clamp<std::int64_t>(i, 0, frames - 1)
                                                          : mirror_index(i, frames));
    }
    return w;
}

}  // namespace nativeseg
