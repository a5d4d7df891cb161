#pragma once
// Rendering of simulated cells into one frame: the label plane (the exact ground truth) and
// the raw microscope image (uneven illumination, blur, fluorescence or phase contrast,
// shot and read noise).
#include <cstdint>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "nativeseg/simulate.h"
#include "sim_cell.h"
#include "sim_random.h"

namespace nativeseg::sim {

/// A smooth texture patch (kTextureSize^2, mean 0, std 1) drawn from `rng`.
std::vector<float> make_texture(Rng& rng);

/// A smooth illumination field around 1 (a linear gradient and vignetting), width x height.
cv::Mat illumination_field(int width, int height, Rng& rng);

class FrameRenderer {
public:
    FrameRenderer(const SimulationParams& params, cv::Mat illumination);

    /// Draws the cells into `labels` (width*height uint16): each pixel goes to the cell whose
    /// normalised centre distance is smallest, and every cell keeps at least one pixel.
    /// Also fills the intensity planes render_raw() uses.
    void draw_cells(const std::vector<SimCell>& cells, std::uint16_t* labels);

    /// The raw image of the cells last drawn. Noise comes from a stream of its own per frame,
    /// so the cells' motion does not depend on the image size or on the noise setting.
    void render_raw(std::int64_t frame, std::uint16_t* raw);

private:
    void draw_cell(const SimCell& c, std::uint16_t* labels);
    void keep_one_pixel_each(const std::vector<SimCell>& cells, std::uint16_t* labels);

    SimulationParams params_;
    int width_, height_;
    cv::Mat illumination_;  // CV_32F
    cv::Mat nearest_;       // CV_32F: normalised distance to the pixel's owner
    cv::Mat signal_;        // CV_32F: owner's stain intensity (texture included, dimmed while blinking)
    cv::Mat weight_;        // CV_32F: owner's contrast factor (1, or the blink level), for phase halos
    cv::Mat scratch_[3];
    std::vector<int> counts_;  // pixels per label in the current frame
};

}  // namespace nativeseg::sim
