#pragma once
// The second half of the main job: a video of masks (a segmentation) or of labels in,
// instance labels with stable identities, tracks and exports out. Frames stream through
// clean-up → temporal gap filling (a sliding window) → instances → tracking → writers:
//   DIR/labels.tif   per-frame instance labels (uint16 ImageJ hyperstack, frames as T)
//   DIR/tracks.tif   the same objects labelled by track (component number + 1)
//   DIR/<name>.xml   TrackMate XML (spots with outlines, tracks, LAP tracker settings)
//   DIR/ctc/         Cell Tracking Challenge result (maskTTT.tif + res_track.txt)
//   DIR/report.json  counts, parameters, versions, time per stage, notes
// `segment-video` feeds it the thresholded network output; `track` a label video made by
// any tool (no clean-up or gap filling then: labels are taken as they are).
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>
#include <opencv2/core/mat.hpp>

#include "nativeseg/gap_fill.h"
#include "nativeseg/image.h"
#include "nativeseg/instances.h"
#include "nativeseg/mask_cleanup.h"
#include "nativeseg/progress.h"
#include "nativeseg/settings.h"
#include "nativeseg/tracking.h"

namespace nativeseg {

struct VideoJobOptions {
    CleanupParams cleanup;
    GapFillParams gap_fill;
    InstanceParams instances;
    TrackerParams tracker;
    bool write_labels = true, write_tracks = true, write_trackmate = true, write_ctc = true;
    /// TrackMate file with spots only (no tracks), for running TrackMate's own trackers on them.
    bool trackmate_spots_only = false;
    std::string name = "tracks";  // base name of the TrackMate file
    /// The image TrackMate's ImageData points at: a TIFF file path, or empty to point at
    /// DIR/tracks.tif (or labels.tif).
    std::string image_for_trackmate;
};

/// Options from the settings of `command` ("segment-video" or "track").
VideoJobOptions video_job_options(const SettingValues& values, const std::string& command);

/// What the job reads, one frame at a time and in order.
struct VideoJobInput {
    enum class Kind { Masks, Labels };
    Kind kind = Kind::Masks;
    std::int64_t frames = 0;
    int width = 0, height = 0;
    Calibration calibration;
    /// Frame t: CV_8U (masks: non-zero = foreground) or any integer type (labels).
    std::function<cv::Mat(std::int64_t)> frame;
    /// Optional raw frame t (any single-channel type) for intensity features.
    std::function<cv::Mat(std::int64_t)> raw;
};

/// Runs the job; returns the report (also written to DIR/report.json). Error when the
/// output folder cannot be written or a frame is not what was promised.
nlohmann::json run_video_job(const VideoJobInput& input, const std::string& out_dir, const VideoJobOptions& options,
                             Progress* progress = nullptr);

/// The `track` job: a label video file/folder (and optionally the raw video) in.
nlohmann::json track_label_video(const std::string& labels_path, const std::string& raw_path,
                                 const std::string& out_dir, const VideoJobOptions& options,
                                 Progress* progress = nullptr);

/// The `track` job on a file or folder of masks (kind Masks: clean-up and gap filling apply)
/// or labels (kind Labels: taken as they are).
nlohmann::json track_video_file(const std::string& path, VideoJobInput::Kind kind, const std::string& raw_path,
                                const std::string& out_dir, const VideoJobOptions& options,
                                Progress* progress = nullptr);

/// The `merge-tracks` job: a track label video + the original segmentation → one label video.
void merge_tracks_video(const std::string& tracks_path, const std::string& segmentation_path,
                        const std::string& output_path, Progress* progress = nullptr);

class VideoReader;
/// The same two jobs on videos already open (Fiji streams open images through a reader);
/// the names are used in messages and the report. `raw` may be null; when `raw_path` is a
/// TIFF file TrackMate's image points at it, else the raw frames are saved beside the XML.
nlohmann::json track_video(VideoReader& labels, const std::string& labels_name, VideoJobInput::Kind kind,
                           VideoReader* raw, const std::string& raw_path, const std::string& out_dir,
                           const VideoJobOptions& options, Progress* progress = nullptr);
void merge_tracks_video(VideoReader& tracks, const std::string& tracks_name, VideoReader& segmentation,
                        const std::string& segmentation_name, const std::string& output_path,
                        Progress* progress = nullptr);

}  // namespace nativeseg
