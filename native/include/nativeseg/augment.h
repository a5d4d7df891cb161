#pragma once
// Data augmentation for training, on CPU threads: a random patch of a training item seen
// through one random geometric transform (flips, quarter turns, free rotation, shift,
// shear, scale and an elastic deformation, combined into one sampling map so the image is
// interpolated once) plus intensity changes (gain/offset, gamma, blur, noise). Image, target
// and weights go through the same map, so they stay aligned; the target is sampled with
// nearest neighbour and pixels mapped from outside the image get weight 0. The frames of a
// temporal item go through the same map and get the same intensity changes (noise aside,
// which is drawn for each frame). 3-D items (patch_z > 0) get a patch_z × patch × patch crop
// seen through flips (x, y, z) and quarter turns in y-x only; intensity changes as in 2-D
// (blur slice by slice).
#include <cstdint>
#include <random>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "nativeseg/dataset.h"

namespace nativeseg {

struct AugmentOptions {
    int patch = 128;                  // patch edge, px
    int patch_z = 0;                  // 3-D: slices per patch (0: 2-D patches)
    bool flip = true;                 // random mirror
    bool rotate90 = true;             // random quarter turns
    double rotation = 0;              // free rotation, up to ± degrees
    double shift = 0;                 // sub-patch shift, up to ± this fraction of the patch
    double shear = 0;                 // up to ± degrees
    double scale = 0;                 // zoom by 1 ± this fraction
    double elastic = 0;               // elastic deformation amplitude, px (0: off)
    double elastic_sigma = 12;        // smoothness of the deformation field, px
    double intensity = 0;             // gain 1 ± i and offset ± i (normalised units)
    double gamma = 0;                 // gamma exp(± g)
    double noise_sigma = 0;           // Gaussian noise sigma up to this
    double blur_sigma = 0;            // Gaussian blur sigma up to this
    double foreground_sampling = 0.5; // probability that a patch is centred on a foreground pixel
};

struct Patch {
    cv::Mat image;   // CV_32F patch × patch (temporal: frames[item.frame_index]; 3-D: patch_z·patch × patch)
    std::vector<cv::Mat> frames;  // temporal items: the window's patches, oldest first
    cv::Mat target;  // CV_8U
    cv::Mat weight;  // CV_32F
};

/// One augmented patch of `item`. Deterministic for a given generator state.
Patch augment_patch(const TrainingItem& item, const AugmentOptions& options, std::mt19937_64& rng);

/// The sampling step only: patch pixel (x, y) takes item pixel (map_x, map_y) (CV_32F maps).
/// Exposed so tests can check that image, target and weight move together.
Patch sample_patch(const TrainingItem& item, const cv::Mat& map_x, const cv::Mat& map_y);

}  // namespace nativeseg
