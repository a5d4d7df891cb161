#pragma once
// Merging tracks with the original segmentation, as the reference workflow does
// (../shared/docs/reference-pipeline.md §6): the track labels (from our tracker or from
// TrackMate's label-image export) carry identity; the original binary masks carry the
// shape. Labels stay in 16/32-bit (the reference's uint8 wrap is not copied).
#include <opencv2/core/mat.hpp>

namespace nativeseg {

/// One frame. `tracks`: CV_32S track labels (0 = none); `mask`: the original segmentation
/// (CV_8U, non-zero = foreground). For every track label i present, in ascending order:
/// the original 8-connected component with the largest overlap with track i (ties to the
/// lowest component) is painted i as a whole; with no overlap the track region itself is
/// painted. Later labels overwrite earlier ones; components no track picks are dropped.
/// Returns CV_32S.
cv::Mat merge_tracks_frame(const cv::Mat& tracks, const cv::Mat& mask);

}  // namespace nativeseg
