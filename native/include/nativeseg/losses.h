#pragma once
// Training losses on network logits. Shapes: logits N×C×H×W (C = 1: sigmoid; C > 1: softmax),
// target N×H×W class indices (int64; 0/1 for one channel), weight N×H×W per-pixel weights
// (0 = ignored); 3-D networks: N×C×D×H×W and N×D×H×W. Every loss is a weighted mean, so
// ignored pixels do not count at all.
//
//   bce            binary cross-entropy; the weights only mask (w > 0 counts as 1)
//   weighted_bce   binary cross-entropy weighted by the weight map (U-Net border weights)
//   dice           1 − soft Dice (per class, averaged; one channel: the foreground)
//   bce_dice       bce + dice (several classes: cross_entropy + dice)
//   focal          focal loss −(1 − p_t)^γ log p_t (Lin et al. 2017)
//   cross_entropy  categorical cross-entropy with class weights (one channel: BCE with
//                  weights class_weights[0] for background, [1] for foreground)
#include <string>
#include <vector>

#include <torch/script.h>

namespace nativeseg {

enum class LossKind { BCE, WeightedBCE, Dice, BCEDice, Focal, CrossEntropy };

LossKind loss_from_name(const std::string& name);
const char* loss_name(LossKind kind);

struct LossOptions {
    LossKind kind = LossKind::BCEDice;
    std::vector<double> class_weights;  // per class; empty = all 1
    double focal_gamma = 2.0;
};

at::Tensor compute_loss(const at::Tensor& logits, const at::Tensor& target, const at::Tensor& weight,
                        const LossOptions& options);

}  // namespace nativeseg
