#pragma once
// Cell Tracking Challenge results from a track set, streamed frame by frame:
// DIR/maskTTT.tif (16-bit, one label per CTC track segment) and DIR/res_track.txt.
// A CTC track cannot have holes, divisions or merges, so our tracks are cut into segments:
//  - a segment continues while a spot has exactly one predecessor, in the previous frame,
//    which has exactly one successor;
//  - a division starts one segment per daughter, parent = the mother's segment;
//  - a gap-closing link starts a new segment whose parent is the segment before the gap;
//  - a merge (two predecessors) starts a new segment whose parent is one of them; CTC
//    cannot express the second parent, which is dropped and noted.
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "nativeseg/ctc.h"
#include "nativeseg/image.h"
#include "nativeseg/progress.h"
#include "nativeseg/tracks.h"

namespace nativeseg {

class CtcResultWriter {
public:
    /// `frames` fixes the digit count of the mask names (3, or 4 above 1000 frames).
    CtcResultWriter(const std::string& dir, std::int64_t frames, const Calibration& calibration);

    /// Writes maskTTT.tif for frame t once the tracker has added it: `labels` is the frame's
    /// label plane (CV_32S), `spot_ids[i]` the spot of the instance whose label is
    /// `instance_labels[i]`.
    void add_frame(std::int64_t t, const cv::Mat& labels, const std::vector<std::uint32_t>& instance_labels,
                   const std::vector<std::int64_t>& spot_ids, const TrackSet& tracks);
    /// Writes res_track.txt (after checking the CTC rules on what was written).
    void finish();

    const std::vector<CtcTrack>& segments() const { return segments_; }
    /// Things the format could not express (dropped merge parents), one line each.
    const std::vector<std::string>& notes() const { return notes_; }

private:
    std::uint32_t segment_of(std::int64_t spot, const TrackSet& tracks, std::int64_t t);

    std::string dir_;
    std::int64_t frames_;
    Calibration calibration_;
    std::int64_t next_frame_ = 0;
    std::unordered_map<std::int64_t, std::uint32_t> spot_segment_;
    std::vector<CtcTrack> segments_;   // index = label - 1
    std::vector<std::vector<std::uint32_t>> frame_labels_;  // for the final validity check
    std::vector<std::string> notes_;
};

}  // namespace nativeseg

namespace nativeseg {

/// Imports a CTC result or ground truth (a folder of label frames, e.g. 01_RES or
/// 01_GT/TRA, and its track file) into a track set: one spot per label and frame, links
/// between consecutive frames of a track and from a parent's last frame to each child's
/// first. Errors name the file for invalid track files or labels missing from the masks.
TrackSet import_ctc(const std::string& masks_dir, const std::string& track_file, Progress* progress = nullptr);

}  // namespace nativeseg
