#pragma once
// Per-frame clean-up of a binary mask, as the reference workflow does it
// (../shared/docs/reference-pipeline.md §3.1): closing with a ball of radius 3 and a safe
// border, hole filling (holes = background not 4-connected to the border), removal of
// 4-connected objects under `cleanup_min_size` pixels, and optionally removal of objects
// touching the frame border. Masks are CV_8U with values 0/1.
#include <opencv2/core/mat.hpp>

namespace nativeseg {

struct CleanupParams {
    int closing_radius = 3;     // 0 disables the closing
    bool fill_holes = true;
    int cleanup_min_size = 150; // pixels, 4-connected; 0 keeps everything
    bool clear_border = false;  // remove objects touching the frame border
};

/// ITK's Ball structuring element of radius r: offsets with dx² + dy² ≤ (r + 0.5)².
cv::Mat ball_kernel(int radius);

/// Binary closing as ITK's BinaryMorphologicalClosingImageFilter with SafeBorder on: the
/// frame is padded with background by the radius, dilated, eroded and cropped back.
cv::Mat close_safe_border(const cv::Mat& mask01, int radius);
/// Sets to 1 every background pixel that is not 4-connected to the frame border.
cv::Mat fill_holes_4(const cv::Mat& mask01);
/// Removes objects (connectivity 4 or 8) with fewer than min_size pixels.
cv::Mat remove_small_objects(const cv::Mat& mask01, int min_size, int connectivity);
/// Removes objects (4-connected) that touch the frame border.
cv::Mat remove_border_objects(const cv::Mat& mask01);

/// All steps in the reference order.
cv::Mat cleanup_mask(const cv::Mat& mask01, const CleanupParams& params);

}  // namespace nativeseg
