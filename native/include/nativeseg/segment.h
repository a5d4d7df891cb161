#pragma once
// The `segment` job (`nativeseg predict`, Fiji's Segment Image…): an image, stack, volume or
// video → probability maps, class maps, masks or per-frame instance labels, written as an
// ImageJ hyperstack with the input's calibration.
//
// Frames stream: a first pass computes whole-video intensity statistics when the
// normalisation needs them, then frames (or, for 2-D models on a z-stack, slices) are read,
// normalised, predicted in groups of `batch` and written page by page. Memory depends on the
// frame size, the batch and the temporal window, not on the number of frames.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "nativeseg/image.h"
#include "nativeseg/model.h"
#include "nativeseg/normalize.h"
#include "nativeseg/predictor.h"
#include "nativeseg/progress.h"
#include "nativeseg/settings.h"
#include "nativeseg/tiff_io.h"
#include "nativeseg/video_io.h"

namespace nativeseg {

enum class OutputType { Probability, Classes, Mask, Labels };

/// "probability", "classes", "mask", "labels" (and the inverse; Error naming `what`).
const char* output_type_name(OutputType t);
OutputType output_type_from_name(const std::string& name, const std::string& what = "output_type");

struct SegmentOptions {
    std::string model;                      // folder or model id
    PredictorOptions predictor;
    std::string normalize = "auto";         // auto (the model's config.nativeseg.normalize, else none) or a mode
    bool illumination_correction = false;
    OutputType output = OutputType::Probability;
    std::optional<double> threshold;        // unset: the model's suggestion, else 0.5 / argmax
    // Labels output; unset: the model's suggestion (config.nativeseg), else the schema's default.
    std::optional<int> min_size;            // smaller objects are removed (object_min_size)
    std::optional<int> seed_min_size;       // three-class models: smallest interior seed
    TiffWriteOptions tiff;
    std::function<void(const std::string&)> log;  // notes for the user
};

/// From the "predict" settings (device, tile, batch, tta, normalize, output_type, threshold,
/// threads, precision, halo, illumination_correction).
SegmentOptions segment_options(const SettingValues& values);

/// Runs the job; returns the report (device, model, shape, normalisation, timing, notes).
nlohmann::json segment(const std::string& input, const std::string& output, const SegmentOptions& options,
                       Progress* progress = nullptr);
/// The same with a loaded model (Fiji keeps one across calls).
nlohmann::json segment(const Model& model, const std::string& input, const std::string& output,
                       const SegmentOptions& options, Progress* progress = nullptr);
/// The same on the planes of any VideoReader (Fiji streams an open image through one);
/// `input_name` names it in messages and in the report.
nlohmann::json segment(const Model& model, VideoReader& input, const std::string& input_name,
                       const std::string& output, const SegmentOptions& options, Progress* progress = nullptr);

/// How labels are made from probabilities (probabilities_to).
struct LabelOptions {
    int min_size = 0;           // objects with fewer pixels (voxels in 3-D) are removed
    /// Channels of a three-class model (background / interior / boundary); both ≥ 0 selects
    /// seeded instances (class_instances.h) for 2-D labels without an explicit threshold.
    int interior_channel = -1, boundary_channel = -1;
    int seed_min_size = 10;
    /// Whether labels of `channels`-channel probabilities are seeded instances: both channels
    /// exist, and neither a 3-D volume nor a threshold the user gives for one channel.
    bool seeded(int channels, bool volume, bool thresholded) const {
        return !volume && !thresholded && interior_channel >= 0 && boundary_channel >= 0 &&
               interior_channel < channels && boundary_channel < channels;
    }
};

/// Probability planes (float32, c = channels, z slices, t = 1) → one plane per slice of the
/// requested type: classes (argmax, uint8, ties to the lower channel; 1 channel: p > threshold),
/// mask (uint8 0/255: foreground channel wins the argmax, or p > threshold when a threshold is
/// given or there is one channel), labels (uint16 connected components of the mask,
/// 8-connected per slice, or 26-connected in 3-D when `volume`; for three-class models, see
/// LabelOptions). Probability is returned as is.
Image probabilities_to(const Image& prob, OutputType type, int foreground_channel, std::optional<double> threshold,
                       bool volume = false, const LabelOptions& labels = {});

}  // namespace nativeseg
