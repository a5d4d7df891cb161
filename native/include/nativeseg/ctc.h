#pragma once
// Cell Tracking Challenge track files (`man_track.txt`, `res_track.txt`: one "L B E P" line
// per track) and the validity rules a CTC result or ground truth must satisfy
// (../shared/docs/ctc-formats-and-measures.md §2-3).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nativeseg/image.h"

namespace nativeseg {

struct CtcTrack {
    std::uint32_t label = 0;  // L: value of the track's pixels
    std::int64_t begin = 0;   // B: first frame, inclusive
    std::int64_t end = 0;     // E: last frame, inclusive
    std::uint32_t parent = 0; // P: parent label or 0
    bool operator==(const CtcTrack& o) const {
        return label == o.label && begin == o.begin && end == o.end && parent == o.parent;
    }
};

/// Reads a track file; Error naming the file and line for malformed lines, duplicate
/// labels or B > E.
std::vector<CtcTrack> read_ctc_tracks(const std::string& path);
/// Writes "L B E P" lines sorted by label, atomically.
void write_ctc_tracks(const std::string& path, const std::vector<CtcTrack>& tracks);

/// Checks the CTC rules given the track list and, for each frame, the set of labels
/// present in it (frame_labels[t] sorted or not). Returns one message per broken rule
/// (empty when valid).
std::vector<std::string> ctc_validate(const std::vector<CtcTrack>& tracks,
                                      const std::vector<std::vector<std::uint32_t>>& frame_labels);

/// The distinct non-zero labels of an integer plane (sorted).
std::vector<std::uint32_t> labels_in_plane(const Image& plane);

/// File name of frame t in a CTC folder: prefix + t zero-padded to 3 digits (4 when the
/// sequence has more than 1000 frames) + ".tif", e.g. ctc_frame_name("man_track", 7, 92).
std::string ctc_frame_name(const std::string& prefix, std::int64_t t, std::int64_t frames);

}  // namespace nativeseg
