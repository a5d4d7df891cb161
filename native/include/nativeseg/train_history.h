#pragma once
// The per-epoch record of a training run and the files made from it: history.csv and a
// loss/metric curve as a PNG (drawn with OpenCV).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nativeseg {

struct EpochRecord {
    int epoch = 0;  // 1-based
    double train_loss = 0, val_loss = 0, val_iou = 0, val_dice = 0;
    double val_seg = -1;  // -1: not measured (no instance labels)
    double lr = 0, seconds = 0;
};

nlohmann::json epoch_to_json(const EpochRecord& r);
EpochRecord epoch_from_json(const nlohmann::json& j);

/// history.csv: one line per epoch (written atomically).
void write_history_csv(const std::string& path, const std::vector<EpochRecord>& history);
/// Training and validation loss (left scale) and validation IoU/SEG (right scale, 0..1) per epoch.
void write_training_curve(const std::string& path, const std::vector<EpochRecord>& history);

}  // namespace nativeseg
