#pragma once
// The Predictor runs a loaded model on images: rdf pre-processing of each whole sample →
// tiles with a mirrored halo → batches on the device (optionally the 8/16 flips and
// rotations of test-time augmentation) → stitched output → rdf post-processing.
//
// A sample is what the model sees for one output frame, as a float32 Image:
//   shape.t = the temporal window (1 for ordinary models), shape.z = slices (1 for 2-D),
//   shape.c = channels, shape.y/x = the frame.
// The result of a sample is a float32 Image with t = 1, the same z/y/x, c = the output's
// channels. Samples of one call are batched together (frames of a video go through as
// batches); memory is bounded by the number of samples passed per call.
//
// Devices: "auto" (CUDA when this LibTorch has it and a GPU is visible, else CPU), "cpu",
// "cuda" / "cuda:N". Asking for CUDA where there is none is an Error that says why.
// A CUDA out-of-memory error halves the batch, then shrinks the tiles, and retries.
// LibTorch is kept out of this header.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "nativeseg/image.h"
#include "nativeseg/model.h"
#include "nativeseg/progress.h"

namespace nativeseg {

struct PredictorOptions {
    std::string device = "auto";
    std::int64_t tile = 0;     // largest tile input along y and x in pixels (0: automatic)
    std::int64_t tile_z = 0;   // along z for 3-D models (0: automatic)
    std::int64_t batch = 0;    // tiles per forward pass (0: automatic)
    bool tta = false;          // average over the 8 (2-D) or 16 (3-D) flips and rotations
    bool half = false;         // float16 on CUDA (ignored, with a note, on the CPU)
    std::int64_t halo = -1;    // pixels; -1: from the model (config.nativeseg.halo, else the rdf)
    int threads = 0;           // CPU threads (0: LibTorch's default, all cores)
    /// Notes for the user (device chosen, padding, replaced NaNs, OOM retries ...).
    std::function<void(const std::string&)> log;
    /// Test hook: called before every forward pass with the batch size and the tile input
    /// shape (z, y, x); may throw to simulate a failure such as running out of memory.
    std::function<void(std::int64_t batch, const std::vector<std::int64_t>& tile)> before_forward;
    /// Called after each forward pass with tiles done and tiles in this call.
    std::function<void(std::int64_t done, std::int64_t total)> on_tiles;
};

class Predictor {
public:
    Predictor(const Model& model, PredictorOptions options = {});
    ~Predictor();
    Predictor(const Predictor&) = delete;
    Predictor& operator=(const Predictor&) = delete;

    /// Predicts each sample (see above). Progress: cancel is checked between batches of tiles.
    std::vector<Image> predict(const std::vector<Image>& samples, Progress* progress = nullptr);
    Image predict(const Image& sample, Progress* progress = nullptr);

    /// The device in use ("cpu", "cuda:0") and why it was chosen.
    const std::string& device() const;
    const std::string& device_reason() const;
    /// Current batch size and largest tile (they shrink after out-of-memory retries).
    std::int64_t batch() const;
    std::int64_t tile() const;
    /// Frames of context the model needs (config.nativeseg.temporal_window; 1 if not temporal).
    int temporal_window() const;
    /// Whether the model has a z axis (3-D).
    bool is_3d() const;
    /// Channels the model takes per frame of its window, and channels of its output (-1 if unknown).
    std::int64_t input_channels() const;
    std::int64_t output_channels() const;
    /// Statistics for report.json: device, batch, tile, forward passes, OOM retries, ...
    nlohmann::json report() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

/// Whether an exception is an out-of-memory error (c10::OutOfMemoryError, a c10::Error
/// whose message says "out of memory", std::bad_alloc, ...).
bool is_out_of_memory(const std::exception& e);

}  // namespace nativeseg
