#pragma once
// Linking instances over time into tracks, streamed frame by frame:
//  1. frame-to-frame links between frame t-1 and t by an optimal assignment whose cost
//     prefers overlap (1 - IoU) and falls back to centroid distance within max_distance;
//     every object may also stay unlinked, at a fixed alternative cost;
//  2. gap closing: objects of frame t still unlinked are joined to track ends of frames
//     t-2 ... t-max_gap (max_gap counted as TrackMate's MAX_FRAME_GAP: a link may join t-d to
//     t for 1 <= d <= max_gap, so the default 2 bridges one missing frame);
//  3. divisions: an unlinked object of frame t that overlaps an object of frame t-1 already
//     linked to another object of frame t becomes its second daughter.
// Merges are resolved by the assignment: one of the merging tracks continues, the other ends.
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "nativeseg/tracks.h"

namespace nativeseg {

struct TrackerParams {
    int max_gap = 2;               // frames, as TrackMate's MAX_FRAME_GAP
    double max_distance = 30;      // pixels: farthest centroid move for a frame-to-frame link without overlap
    double gap_max_distance = 40;  // pixels: same for gap-closing links
    bool divisions = true;
    double division_min_overlap = 0.3;  // a daughter must have this fraction of its pixels inside the mother
};

/// A possible link between row (source) `row` and column (target) `col` at `cost`.
struct TrackerCandidate {
    int row, col;
    double cost;
};

class Tracker {
public:
    Tracker(const TrackerParams& params, TrackSet& tracks);

    /// Adds frame t (frames must come in order without skipping): `labels` is the frame's
    /// label plane (CV_32S, 0 = background) and `instances` its instances (one per label;
    /// labels with several parts share their overlaps). Returns the spot ids created, in the
    /// order of `instances`.
    std::vector<std::int64_t> add_frame(std::int64_t t, const cv::Mat& labels, const std::vector<Instance>& instances);

private:
    struct FrameState {
        std::int64_t t = 0;
        cv::Mat labels;                              // CV_32S
        std::vector<std::int64_t> spot_ids;          // per instance
        std::vector<std::uint32_t> instance_labels;  // per instance
    };

    void link_frame_to_frame(const FrameState& prev, const FrameState& cur, std::vector<bool>& linked);
    void close_gaps(const FrameState& cur, std::vector<bool>& linked);
    void detect_divisions(const FrameState& prev, const FrameState& cur, std::vector<bool>& linked);
    double link_cost(std::int64_t a, std::int64_t b, double overlap, double max_distance) const;
    using Candidate = TrackerCandidate;
    void add_assigned_links(const std::vector<Candidate>& candidates, int rows, int cols,
                            const std::function<std::int64_t(int)>& source, const FrameState& cur,
                            std::vector<bool>& linked, const std::function<int(int)>& target_index);

    TrackerParams params_;
    TrackSet& tracks_;
    std::deque<FrameState> history_;  // the last max_gap frames
    std::int64_t next_frame_ = 0;
};

/// Overlap counts between the labels of two planes (CV_32S, same size): for every pair
/// (label a in `a`, label b in `b`) with a, b > 0, the number of pixels where both occur.
std::vector<std::tuple<std::uint32_t, std::uint32_t, std::int64_t>> label_overlaps(const cv::Mat& a,
                                                                                   const cv::Mat& b);

}  // namespace nativeseg
