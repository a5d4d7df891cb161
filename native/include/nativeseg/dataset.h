#pragma once
// Training data: image/label pairs read from the layouts users have, turned into network
// targets (binary foreground, or 3 classes background / interior / boundary from instance
// labels) with per-pixel loss weights (U-Net border weights; 0 where the truth is unknown).
//
// Layouts (found automatically, or named with `data_layout`):
//   pairs       DIR/x + DIR/y (also DIR/train/x + DIR/train/y), TIFF or PNG, matched by the last
//               number in the file name (training-0001.tif ↔ training_groundtruth-0001.tif)
//   raw_labels  DIR/inputs/raw_NNN.tif + DIR/labels/instance_ids_NNN.tif
//   ctc         a CTC sequence DIR (e.g. .../01) with DIR_GT/SEG/man_segNNN.tif; objects that the
//               TRA markers (DIR_GT/TRA) show but the SEG mask leaves out (sparse annotation) are
//               ignored (weight 0 within `ignore_margin` of the marker) rather than taught as background
//   png_pairs   DIR/image/N.png + DIR/label/N.png (ISBI 2012; also DIR/train/image ...)
//   sets        DIR/setN/{phase.png | raw.tif | image.png} + DIR/setN/instances_ids.png (Usiigaci)
// Temporal networks (temporal_window > 1) take each item with its window of consecutive frames
// (temporal_window.h, ends padded by replicating the first/last frame): the neighbouring frames
// of the CTC sequence, or of the numbered image files of the inputs/ (raw_labels), x/ (pairs)
// or image/ (png_pairs) folder, labelled or not. `sets` has no frame order: an error.
// 3-D networks (spatial_dims 3) take each image file as a z stack (pairs, raw_labels: one
// stack per file, one channel); its maps are its slices stacked vertically (Z·Y rows, X columns,
// the memory order of a Z×Y×X volume), label transforms are made slice by slice and the
// normalisation's statistics come from the whole stack.
// A source may select items by number: "DIR[0-33]", "DIR[1-11,13]" (frame numbers for CTC, the
// file's number otherwise). Several sources are separated by ';'.
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "nativeseg/normalize.h"
#include "nativeseg/progress.h"
#include "nativeseg/temporal_window.h"

namespace nativeseg {

enum class TargetKind { Binary, ThreeClass };

struct DatasetOptions {
    std::string layout = "auto";   // auto, pairs, raw_labels, ctc, png_pairs, sets
    TargetKind target = TargetKind::Binary;
    NormalizeMode normalize = NormalizeMode::Percentile;
    double normalize_low = 0.1, normalize_high = 99.1;  // percentiles (percentile mode)
    int boundary_thickness = 2;    // three_class: boundary band inside each object, px
    double border_weight = 0;      // U-Net w0 (0: no border weights)
    double border_sigma = 5;       // U-Net sigma, px
    int ignore_margin = 15;        // ctc: px around unannotated TRA markers left out of the loss
    int temporal_window = 1;       // frames per item (1: single images; temporal networks: their window)
    TemporalMode temporal_mode = TemporalMode::Causal;
    std::string temporal_network = "a temporal network";  // named in errors ("... needs sequences")
    int spatial_dims = 2;          // 3: every file is a z stack (pairs and raw_labels only)
};

/// One training image. All maps have the image's size.
struct TrainingItem {
    std::string source;   // file (or sequence/frame) it came from
    std::int64_t number = 0;  // frame or file number (selections, validation by time)
    cv::Mat raw;          // CV_32F, the pixel values as read (for the package's test tensors)
    cv::Mat image;        // CV_32F, normalised
    cv::Mat target;       // CV_8U class per pixel: binary 0/1; three_class 0 background, 1 interior, 2 boundary
    cv::Mat weight;       // CV_32F loss weight per pixel (0: ignored)
    cv::Mat instances;    // CV_32S instance labels when the truth has them (else empty)
    // Temporal data (DatasetOptions::temporal_window > 1): the window, oldest first, normalised
    // and as read; `image` and `raw` are frames[frame_index] and raw_frames[frame_index].
    // Items of one sequence share the frames' pixels (cv::Mat is reference-counted).
    std::vector<cv::Mat> frames, raw_frames;
    int frame_index = 0;
    // 3-D data: the number of z slices; every map above holds them stacked vertically.
    int slices = 1;
    int height() const { return image.rows / slices; }
};

/// "DIR[1-3,7]" → DIR and the numbers {1, 2, 3, 7} (empty: everything).
struct DataSource {
    std::string path;
    std::vector<std::int64_t> numbers;
};
std::vector<DataSource> parse_data_sources(const std::string& text);

/// The layout of a folder ("pairs", ...); Error listing the layouts when none fits.
std::string detect_layout(const std::string& dir);

/// Reads every item of the sources, checks them (label present, same size, a label image
/// that is not empty over the whole set) before any training starts. Errors name the file.
std::vector<TrainingItem> load_dataset(const std::string& sources, const DatasetOptions& options,
                                       Progress* progress = nullptr);

/// Label transforms (exposed for tests). `labels` is CV_32S instance labels (0 background).
/// Binary foreground; pixels where two different objects touch become background so that
/// touching objects stay apart.
cv::Mat binary_target(const cv::Mat& labels);
/// 0 background, 1 interior, 2 boundary (object pixels within `thickness` of another value).
cv::Mat three_class_target(const cv::Mat& labels, int thickness);
/// U-Net border weights: 1 + w0 · exp(−(d1 + d2)² / (2σ²)) on background pixels, d1/d2 the
/// distances to the nearest and second-nearest object; 1 on objects.
cv::Mat border_weights(const cv::Mat& labels, double w0, double sigma);

}  // namespace nativeseg
