#pragma once
// The main job, `segment-video` (Fiji: Segment and Track Video…): a video in; the network's
// foreground masks → clean-up → temporal gap filling → instances → tracks → labels.tif,
// tracks.tif, TrackMate XML, CTC results and report.json (see video_job.h).
//
// The network pass streams the video into a mask video under a temporary name in the output
// folder; the tracking pass streams that; the temporary file is removed at the end. Both
// passes hold a bounded number of frames, so memory does not grow with the video's length.
#include <string>

#include <nlohmann/json.hpp>

#include "nativeseg/progress.h"
#include "nativeseg/segment.h"
#include "nativeseg/video_job.h"

namespace nativeseg {

/// `segment` is used with output type Mask (the model's foreground channel, its suggested or
/// the given threshold); `video` for everything after.
nlohmann::json segment_video(const std::string& input, const std::string& out_dir, const SegmentOptions& segment,
                             const VideoJobOptions& video, Progress* progress = nullptr);

/// The same with a loaded model on a video already open (Fiji streams an open image through
/// a reader). `input_name` names it in messages; `raw_path`, when the input is also a TIFF
/// file on disk, is what TrackMate's image points at (else the frames are saved beside the XML).
nlohmann::json segment_video(const Model& model, VideoReader& input, const std::string& input_name,
                             const std::string& raw_path, const std::string& out_dir, const SegmentOptions& segment,
                             const VideoJobOptions& video, Progress* progress = nullptr);

}  // namespace nativeseg
