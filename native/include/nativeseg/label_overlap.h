#pragma once
// Pixel overlaps between two label images of the same shape: the sparse contingency table
// that every object-level measure starts from (CTC matching and SEG, instance IoU matching).
// One pass over the pixels, counting runs of equal (gt, res) pairs, so a 1024² frame with a
// few hundred objects costs about as much as reading it.
#include <cstdint>
#include <string>
#include <vector>

#include "nativeseg/image.h"

namespace nativeseg {

struct LabelOverlap {
    struct Pair {
        std::uint32_t gt = 0;   // index into gt_labels
        std::uint32_t res = 0;  // index into res_labels
        std::int64_t pixels = 0;
    };
    std::vector<std::uint32_t> gt_labels;   // distinct non-zero labels, sorted
    std::vector<std::uint32_t> res_labels;  // distinct non-zero labels, sorted
    std::vector<std::int64_t> gt_area;      // pixels of each gt label
    std::vector<std::int64_t> res_area;     // pixels of each res label
    std::vector<Pair> pairs;                // non-empty intersections of two objects, sorted by (gt, res)
    std::int64_t pixels = 0;                // pixels compared

    /// Intersection over union |gt ∩ res| / |gt ∪ res| of one pair.
    double iou(const Pair& p) const {
        return static_cast<double>(p.pixels) /
               static_cast<double>(gt_area[p.gt] + res_area[p.res] - p.pixels);
    }
};

/// Overlap of every non-zero label of `gt` with every non-zero label of `res`. Both images must
/// have the same shape (all planes are compared) and an integer pixel type; negative values are
/// an Error. `what_gt` / `what_res` name the images in error messages.
LabelOverlap label_overlap(const Image& gt, const Image& res, const std::string& what_gt = "ground truth",
                           const std::string& what_res = "result");

}  // namespace nativeseg
