#pragma once
// Temporal gap filling of a binary mask video, streamed through a sliding window of
// frames (../shared/docs/reference-pipeline.md §3.2-3.3 and §8):
//  - Reference: the published "temporal Gaussian" reproduced bit for bit: two Gaussian
//    planes, (time, y) and (time, x), sigma 2, reflect border, truncation to integers after
//    each pass, floor of their average, foreground where > 0.
//  - Temporal: our improvement, a 1-D Gaussian along time per pixel (no spatial growth, so
//    neighbours do not fuse), foreground where the filtered value reaches `level`, OR-ed
//    with the input masks.
#include <cstdint>
#include <deque>

#include <opencv2/core/mat.hpp>

namespace nativeseg {

enum class GapFillMode { Off, Reference, Temporal };

struct GapFillParams {
    GapFillMode mode = GapFillMode::Reference;
    double sigma = 2.0;   // temporal mode: Gaussian sigma in frames (reference mode: fixed 2)
    double level = 0.25;  // temporal mode: threshold on the 0-1 scale of the filtered masks
};

/// The 17 reference weights w_0..w_8 (sigma 2, truncate 4) as the doubles scipy computes
/// with the C library's exp (the variant our golden tests are made with).
const double* reference_gaussian_weights();

/// Index into [0, n) for scipy's "reflect" mode (d c b a | a b c d | d c b a), repeating
/// as often as needed for short sequences.
std::int64_t reflect_index(std::int64_t i, std::int64_t n);

/// Streams frames in order: push() each mask (CV_8U 0/1, all the same size), and pop()
/// filled frames as they become ready (frame t needs frames up to t + radius).
class GapFiller {
public:
    GapFiller(const GapFillParams& params, std::int64_t frames);

    /// Frames of context needed on each side.
    int radius() const { return radius_; }
    void push(const cv::Mat& mask01);
    bool ready() const;
    /// The next filled frame (CV_8U 0/1).
    cv::Mat pop();
    /// The smoothed values behind the last popped frame: CV_8U for reference mode (the
    /// floor average of the two branches), CV_64F for temporal mode, empty for off.
    const cv::Mat& last_smoothed() const { return smoothed_; }

private:
    const cv::Mat& frame(std::int64_t t) const;
    cv::Mat fill_reference(std::int64_t t);
    cv::Mat fill_temporal(std::int64_t t);

    GapFillParams params_;
    std::int64_t frames_;
    int radius_ = 0;
    std::vector<double> weights_;   // temporal mode
    std::deque<cv::Mat> window_;    // frames first_ .. first_ + window_.size() - 1
    std::int64_t first_ = 0;
    std::int64_t pushed_ = 0;
    std::int64_t next_out_ = 0;
    cv::Mat smoothed_;
};

}  // namespace nativeseg
