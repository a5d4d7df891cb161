#include "nativeseg/tiling.h"

#include <algorithm>

#include "nativeseg/error.h"

namespace nativeseg {

std::int64_t mirror_index(std::int64_t i, std::int64_t n) {
    if (n <= 1) return 0;
    const std::int64_t period = 2 * n;
    const std::int64_t m = ((i % period) + period) % period;
    return m < n ? m : period - 1 - m;
}

namespace {

AxisPlan single_tile(std::int64_t size, std::int64_t tile, std::int64_t halo) {
    AxisPlan p;
    p.size = size;
    p.tile = tile;
    p.halo = halo;
    // One offset for padding and cropping (the reference's two offsets could differ by 1 px).
    const std::int64_t left = (tile - size) / 2;
    p.tiles.push_back({-left, 0, size});
    return p;
}

}  // namespace

AxisPlan plan_axis(std::int64_t size, const AxisSize& rule, std::int64_t halo, std::int64_t max_tile,
                   const std::string& axis_name) {
    if (size < 1) throw Error("tiling: axis " + axis_name + " has no pixels");
    if (halo < 0) throw Error("tiling: negative halo on axis " + axis_name);
    const std::int64_t needed = size + 2 * halo;
    const std::int64_t whole = rule.at_least(needed);
    if (whole > 0 && (max_tile <= 0 || whole <= max_tile)) {
        AxisPlan p = single_tile(size, whole, halo);
        p.padded_to_minimum = (rule.kind == AxisSize::Kind::Parameterized && needed < rule.min) ||
                              (rule.kind == AxisSize::Kind::Fixed && needed < rule.fixed);
        return p;
    }
    // More than one tile: the largest allowed tile input, then balanced.
    std::int64_t tmax;
    if (rule.kind == AxisSize::Kind::Fixed) {
        tmax = rule.fixed;
        if (tmax - 2 * halo < 1)
            throw Error("tiling: the model's fixed size " + std::to_string(tmax) + " along " + axis_name +
                        " cannot hold a halo of " + std::to_string(halo) + " px on both sides; use a smaller halo");
    } else {
        tmax = max_tile > 0 ? rule.at_most(max_tile) : -1;
        if (tmax < 0 || tmax - 2 * halo < 1) tmax = rule.at_least(2 * halo + 1);
    }
    std::int64_t core = tmax - 2 * halo;
    std::int64_t n = (size + core - 1) / core;
    std::int64_t tile = tmax;
    if (rule.kind != AxisSize::Kind::Fixed) {
        tile = std::min(tmax, rule.at_least((size + n - 1) / n + 2 * halo));
        core = tile - 2 * halo;
        n = (size + core - 1) / core;
    }
    if (n <= 1) return single_tile(size, tile, halo);
    AxisPlan p;
    p.size = size;
    p.tile = tile;
    p.halo = halo;
    std::vector<std::int64_t> starts(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) starts[i] = (i * (size - core) + (n - 1) / 2) / (n - 1);
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t ws = i == 0 ? 0 : (starts[i] + starts[i - 1] + core) / 2;
        const std::int64_t we = i == n - 1 ? size : (starts[i + 1] + starts[i] + core) / 2;
        p.tiles.push_back({starts[i] - halo, ws, we});
    }
    return p;
}

}  // namespace nativeseg
