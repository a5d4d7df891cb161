#pragma once
// Overlap-tile planning with a halo (one axis at a time) and mirror padding.
//
// An image axis of `size` pixels is covered by tiles whose input size is allowed by the
// model (AxisSize: fixed or min + n*step). Each tile reads `halo` extra pixels on both sides
// of the part it writes (its core); pixels outside the image are mirrored. Neighbouring cores
// overlap when the tiles do not divide the axis evenly; each output pixel is written by the
// tile whose core centre is nearest (the overlap is split at its midpoint). When the halo
// covers the network's receptive field, the stitched result equals the whole-image result.
#include <cstdint>
#include <string>
#include <vector>

#include "nativeseg/rdf.h"

namespace nativeseg {

struct AxisTile {
    std::int64_t read_start = 0;  // image coordinate of the tile's first input pixel (may be < 0)
    std::int64_t write_start = 0, write_end = 0;  // image range [start, end) taken from this tile
};

struct AxisPlan {
    std::int64_t size = 0;  // image size
    std::int64_t tile = 0;  // tile input size (allowed by the model)
    std::int64_t halo = 0;
    std::vector<AxisTile> tiles;
    /// True when the image is smaller than the model's minimum and the single tile pads it
    /// beyond the halo.
    bool padded_to_minimum = false;
};

/// Plans one axis. `max_tile` is the largest tile input wanted (0: one tile for the whole
/// axis). Tiles are balanced: the fewest tiles of at most max_tile, each as small as the
/// model allows. Error naming `axis_name` when the model's sizes cannot fit the halo.
AxisPlan plan_axis(std::int64_t size, const AxisSize& rule, std::int64_t halo, std::int64_t max_tile,
                   const std::string& axis_name = "x");

/// Symmetric mirror index (… c b a | a b c … c | c b a …) into [0, n), repeating as often as
/// needed, so any padding works on images smaller than the halo.
std::int64_t mirror_index(std::int64_t i, std::int64_t n);

}  // namespace nativeseg
