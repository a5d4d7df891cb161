#pragma once
// Pixel-level (semantic) measures of a foreground mask or probability map against a binary
// ground truth: pixel accuracy, precision, recall, IoU, Dice; CREMI-style false-positive and
// false-negative pixel counts (optionally with a distance tolerance); and the ISBI-2012
// foreground-restricted Rand and information scores computed on thinned boundaries
// (Arganda-Carreras et al., Front. Neuroanat. 2015; ../shared/docs/ctc-formats-and-measures.md).
#include <cstdint>
#include <optional>

#include <opencv2/core/mat.hpp>

#include "nativeseg/image.h"

namespace nativeseg {

/// Foreground of one plane as a CV_8U 0/1 mask: float data are foreground where value > cutoff,
/// integer data where value != 0.
cv::Mat foreground_mask(const Image& image, std::int64_t plane, double cutoff);

struct PixelCounts {
    std::int64_t tp = 0, fp = 0, fn = 0, tn = 0;
    PixelCounts& operator+=(const PixelCounts& o);
};

/// Confusion counts of two 0/1 masks of the same size (CV_8U).
PixelCounts pixel_counts(const cv::Mat& gt_fg, const cv::Mat& pred_fg);

/// Scores from counts. A ratio whose denominator is 0 (nothing predicted and nothing to find)
/// is 1 when the prediction agrees with the ground truth there, i.e. both are empty, else 0.
struct PixelScores {
    double accuracy = 0, precision = 0, recall = 0, iou = 0, dice = 0;
};
PixelScores pixel_scores(const PixelCounts& c);

/// CREMI-style error counts: predicted foreground pixels farther than `tolerance` pixels
/// (Euclidean) from any ground-truth foreground pixel, and ground-truth foreground pixels farther
/// than `tolerance` from any predicted one. tolerance 0 gives the plain FP/FN pixel counts.
struct DistanceErrors {
    std::int64_t fp_pixels = 0, fn_pixels = 0;
};
DistanceErrors distance_errors(const cv::Mat& gt_fg, const cv::Mat& pred_fg, double tolerance);

/// Sums behind the ISBI-2012 scores for one or more planes. With n_ij the pixels of ground-truth
/// region i in predicted region j (only pixels that are foreground in the ground truth), and every
/// predicted boundary pixel counted as a region of its own:
///   V_rand = 2·Σn_ij² / (Σa_i² + Σb_j²)            (F-score of P = Σn_ij²/Σb_j², R = Σn_ij²/Σa_i²)
///   V_info = 2·P_I·R_I/(P_I + R_I),  P_I = I(S;T)/H(S),  R_I = I(S;T)/H(T)
/// The Rand sums add up over planes (as the challenge's script pools slices); V_info is the mean
/// of the per-plane scores.
struct RandInfoSums {
    double sum_nij2 = 0, sum_ai2 = 0, sum_bj2 = 0;
    double info_sum = 0;             // Σ per-plane V_info
    std::int64_t info_planes = 0;
    std::int64_t foreground_pixels = 0;
    RandInfoSums& operator+=(const RandInfoSums& o);
    std::optional<double> v_rand() const;
    std::optional<double> v_info() const;
    // Precision and recall of the pooled Rand score (for reports).
    std::optional<double> rand_precision() const;
    std::optional<double> rand_recall() const;
};

/// Ground-truth regions: a 0/1 mask is split into 4-connected components; a label image keeps
/// its labels. Returns CV_32S labels, 0 = boundary/background.
cv::Mat ground_truth_regions(const Image& gt, std::int64_t plane);

/// Predicted regions after thinning: the predicted boundary (pixels not in `pred_fg`) is thinned
/// to one pixel (Zhang-Suen, OpenCV ximgproc) and the rest is labelled in 4-connected components.
/// Returns CV_32S labels, 0 = thinned boundary.
cv::Mat thinned_regions(const cv::Mat& pred_fg);

/// The ISBI sums of one plane from ground-truth regions and predicted regions (both CV_32S).
RandInfoSums rand_info_sums(const cv::Mat& gt_regions, const cv::Mat& pred_regions);

}  // namespace nativeseg
