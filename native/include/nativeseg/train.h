#pragma once
// The training loop: data (dataset.h) → augmented batches made on CPU threads (augment.h) →
// a network from architectures.h → loss (losses.h) → Adam/AdamW with a learning-rate schedule;
// validation every epoch (loss, foreground IoU and Dice, SEG where instance labels exist),
// the best network kept, early stopping, and a checkpoint after every epoch so that an
// interrupted run (or one stopped by its time budget) continues where it stopped.
//
// Output folder OUT:
//   OUT/checkpoint/   last.pt (network), optimizer.pt, state.json (epoch, history, best)
//   OUT/best.pt       the best network so far
//   OUT/history.csv, OUT/training_curve.png
//   OUT/rdf.yaml, weights.pt, test_input.npy, test_output.npy, README.md, sample_*.png:
//                     the model package (train_export.h), written when training ends
// Runs are deterministic for a seed: batch k of epoch e is drawn from a generator seeded by
// (seed, e, k), whatever the number of augmentation threads.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nativeseg/architectures.h"
#include "nativeseg/augment.h"
#include "nativeseg/dataset.h"
#include "nativeseg/losses.h"
#include "nativeseg/progress.h"
#include "nativeseg/settings.h"
#include "nativeseg/train_history.h"

namespace nativeseg {

struct TrainOptions {
    std::string data;               // sources (dataset.h), ';'-separated
    std::string validation_data;    // optional separate validation sources
    std::string out;                // output folder
    std::string model_name = "nativeseg-model";
    DatasetOptions dataset;
    AugmentOptions augment;
    ArchitectureSpec architecture;  // in/out channels are set from the data
    LossOptions loss;
    std::string optimizer = "adam";     // adam, adamw
    double learning_rate = 1e-3;
    double weight_decay = 0;
    std::string lr_schedule = "cosine";  // constant, cosine, step, plateau
    int epochs = 40;
    int steps_per_epoch = 50;
    int batch_size = 8;
    double validation_fraction = 0.15;  // of the training items, when no validation_data
    std::string validation_split = "file";  // file (random files) or time (the last frames / numbers)
    int patience = 0;                   // epochs without improvement before stopping (0: never)
    bool resume = true;                 // continue from OUT/checkpoint when it exists
    std::uint64_t seed = 1;
    std::string device = "auto";
    int threads = 0;
    int augment_workers = 1;
    double max_minutes = 0;             // stop (resumable) after this much time; 0: no limit
    double threshold = 0.5;             // foreground threshold written into the package
    /// Label sizes the package suggests to predict (config.nativeseg; unset: not written).
    std::optional<int> suggested_object_min_size, suggested_seed_min_size;
    nlohmann::json recipe;              // the settings used, for the model card
    std::function<void(const std::string&)> log;  // one line per epoch and notes
};

/// Options from setting values (group "training", plus seed, device, threads, normalize).
TrainOptions train_options(const SettingValues& values);

struct TrainResult {
    std::vector<EpochRecord> history;
    int best_epoch = -1;
    double best_score = -1;        // the selection score of the best epoch (SEG, else IoU)
    std::string score_name;        // "val_seg" or "val_iou"
    bool finished = false;         // all epochs or early stopping (false: time budget reached)
    bool stopped_early = false;
    std::int64_t parameters = 0;
    std::string device;
};

/// Trains (or resumes) and exports the package of the best network so far into options.out
/// (when the epochs are done, training stopped early, or the time budget ran out).
/// Errors in the data or the settings are raised before the first step.
TrainResult train_model(const TrainOptions& options, Progress* progress = nullptr);

/// Validation measures of a network on items (no augmentation): loss, IoU/Dice of the
/// foreground and SEG over instance labels. Exposed for tests.
EpochRecord evaluate_network(torch::jit::Module& module, const std::vector<TrainingItem>& items,
                             const ArchitectureSpec& spec, const LossOptions& loss, const std::string& device,
                             double threshold);

/// The network's foreground probability for one normalised image (padded to a valid size).
cv::Mat predict_foreground(torch::jit::Module& module, const cv::Mat& image, const ArchitectureSpec& spec,
                           const std::string& device);

}  // namespace nativeseg
