#pragma once
// The state of one simulated cell, shared by the model (simulate.cpp) and the renderer
// (sim_render.cpp). Coordinates are pixels: pixel (i, j) is centred on x = i, y = j, so a
// centre lies in the field when it rounds to a pixel of the image.
#include <cmath>
#include <cstdint>
#include <vector>

namespace nativeseg::sim {

/// Side of the square texture patch each cell carries (smooth noise, mean 0, std 1). It is
/// sampled in the cell's normalised frame, so it rotates and grows with the cell.
constexpr int kTextureSize = 24;

struct SimCell {
    std::uint32_t label = 0;
    double x = 0, y = 0;            // centre
    double vx = 0, vy = 0;          // persistent part of the random walk
    double radius = 0;              // mean of the semi-axes at full size
    double elongation = 1;          // long / short semi-axis, >= 1
    double angle = 0;               // orientation of the long axis, radians
    double spin = 0;                // change of angle per frame
    double deform[4] = {0, 0, 0, 0};  // boundary harmonics: cos 2θ, sin 2θ, cos 3θ, sin 3θ
    double growth = 1;              // size factor: below 1 after a division, grows back to 1
    double brightness = 1;          // relative stain intensity
    int age = 0;                    // frames since the cell's track began
    int blink_left = 0;             // dim frames still to come (0 = in focus)
    double blink_level = 1;         // contrast factor while dim
    long blink_event = -1;          // index of the running blink in the event list
    double push_x = 0, push_y = 0;  // inward push of a cell entering through the border
    int push_left = 0;
    std::vector<float> texture;     // kTextureSize^2 values

    double semi_major() const { return radius * std::sqrt(elongation) * growth; }
    double semi_minor() const { return radius / std::sqrt(elongation) * growth; }
    /// Radius used for spacing cells: the mean semi-axis at the current size.
    double size() const { return radius * growth; }
    /// Largest boundary distance from the centre (bounding box half-width).
    double extent() const {
        return semi_major() * (1.0 + std::fabs(deform[0]) + std::fabs(deform[1]) + std::fabs(deform[2]) +
                               std::fabs(deform[3]));
    }
    /// Contrast factor of this frame: 1 in focus, blink_level while blinking.
    double contrast() const { return blink_left > 0 ? blink_level : 1.0; }
};

/// Rounded pixel coordinate of a position.
inline long pixel_of(double v) { return static_cast<long>(std::floor(v + 0.5)); }

}  // namespace nativeseg::sim
