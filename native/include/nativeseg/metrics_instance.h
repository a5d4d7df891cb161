#pragma once
// Instance segmentation measures against instance ground truth, as in the StarDist and Cellpose
// papers: objects are matched one-to-one by intersection over union (IoU ≥ τ), and for each
// threshold τ
//   precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2TP/(2TP+FP+FN),
//   AP (StarDist's "accuracy", Cellpose's "average precision") = TP/(TP+FP+FN),
//   mean matched IoU = mean IoU of the matched pairs, panoptic quality = mean matched IoU × F1.
// Counts are summed over all images/frames before the ratios are taken (StarDist's
// matching_dataset). Thresholds must be ≥ 0.5: above one half an object can overlap at most
// one partner that much, so the matching is unique and needs no assignment solver.
// Split and merge counts use the majority rule of the CTC matching:
//   merge: a result object containing more than half of each of ≥ 2 ground-truth objects;
//   split: a ground-truth object containing more than half of each of ≥ 2 result objects.
#include <cstdint>
#include <string>
#include <vector>

#include "nativeseg/label_overlap.h"

namespace nativeseg {

/// Counts at one IoU threshold.
struct InstanceCounts {
    double threshold = 0.5;
    std::int64_t tp = 0, fp = 0, fn = 0;
    double matched_iou_sum = 0;  // Σ IoU over the TP pairs
    InstanceCounts& operator+=(const InstanceCounts& o);
    double precision() const;
    double recall() const;
    double f1() const;
    double ap() const;
    double mean_matched_iou() const;
    double panoptic_quality() const;
};

struct InstanceResult {
    std::int64_t gt_objects = 0, res_objects = 0;
    std::int64_t splits = 0, merges = 0;
    std::vector<InstanceCounts> at;  // one per threshold, in the order given
    InstanceResult& operator+=(const InstanceResult& o);
};

/// Matching of one image (or one frame). Thresholds in [0.5, 1]; Error naming `iou_thresholds`
/// otherwise.
InstanceResult instance_match(const LabelOverlap& overlap, const std::vector<double>& thresholds);

/// Parses "0.5,0.55,...", or "0.5:0.95:0.05" (first:last:step); Error naming the setting when
/// malformed or out of [0.5, 1].
std::vector<double> parse_iou_thresholds(const std::string& text);

}  // namespace nativeseg
