#pragma once
// The intensity normalisation modes of the reference workflow (reference-pipeline.md §2.1),
// applied before a model's own rdf pre-processing, with statistics over the whole video
// computed in a streaming pass (the video is never held in memory).
//
//   none        raw values as float32 (the bioimage.io convention; the rdf pre-processing does the rest)
//   percentile  y = clip((x - p_lo) / (p_hi - p_lo), 0, 1); p_lo/p_hi the 0.1th/99.1th percentiles of all
//               T×Z×C×H×W values (numpy "linear"); a constant video gives 0 (the reference gave NaN)
//   mean        y = clip(x/s + 0.5 - mean/s, 0, 1), s = 65535 for uint16 input, 255 otherwise (as the
//               reference scales: float input too)
//   median      y = clip(x/s + 0.5 - median/s, 0, 1)
//   he          our definition (the reference's cannot run): per plane, quantise to 8 bit between the
//               plane's min and max, equalise with OpenCV (cv::equalizeHist), scale to [0, 1]
//
// Percentiles are exact: 8- and 16-bit inputs are counted in a 65536-bin histogram (one pass);
// 32-bit inputs (int32, uint32, float32) are mapped to order-preserving 32-bit keys and
// selected in two passes (histogram of the upper 16 bits, then of the lower 16 bits within the
// bins that hold the wanted ranks). NaN and ±Inf pixels count as 0 (they are replaced by 0).
// Optional uneven-illumination correction (per plane, before everything else):
// x - GaussianBlur(x, 501×501, σ from OpenCV) + mean(x), rounded and clipped for integer types.
#include <cstdint>
#include <functional>
#include <string>

#include "nativeseg/image.h"
#include "nativeseg/progress.h"

namespace nativeseg {

enum class NormalizeMode { None, Percentile, Mean, Median, HE };

/// "none", "percentile", "mean", "median", "he" (and the inverse; Error naming `what`).
const char* normalize_mode_name(NormalizeMode m);
NormalizeMode normalize_mode_from_name(const std::string& name, const std::string& what = "normalize");

struct NormalizeOptions {
    NormalizeMode mode = NormalizeMode::None;
    double low_percentile = 0.1;    // the reference's values
    double high_percentile = 99.1;
    bool illumination_correction = false;
};

/// Statistics of all values of a video.
struct IntensityStats {
    std::int64_t count = 0;
    double low = 0, high = 0;  // the low/high percentiles (percentile mode)
    double mean = 0;
    double median = 0;
};

/// Plane i of a video, already prepared (NaN replaced, illumination corrected).
using PlaneSource = std::function<Image(std::int64_t)>;

/// Whether the mode needs whole-video statistics.
bool needs_statistics(NormalizeMode m);

/// Exact statistics over `planes` planes read from `source` (one pass, two for 32-bit data).
/// Reports stage "statistics" and checks cancel between planes.
IntensityStats video_statistics(const PlaneSource& source, std::int64_t planes, const NormalizeOptions& options,
                                Progress* progress = nullptr);

/// Replaces NaN and ±Inf by 0 in a float32 image; returns how many were replaced (0 for integer types).
std::int64_t replace_nonfinite(Image& image);

/// Uneven-illumination correction of a 1-plane image; same dtype.
Image correct_illumination(const Image& plane);

/// The reference's scale to [0, 1]: 65535 for uint16, 255 for everything else.
double reference_scale(DType t);

/// One plane normalised to float32 (statistics from video_statistics; unused for none/he).
Image normalize_plane(const Image& plane, const NormalizeOptions& options, const IntensityStats& stats);

}  // namespace nativeseg
