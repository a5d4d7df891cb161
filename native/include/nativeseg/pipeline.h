#pragma once
// The jobs as the Fiji plugin runs them through the JNI layer. Differences from the CLI:
// - an image that is already open arrives plane by plane through a callback (a VideoReader
//   whose planes come from Java), so no temporary TIFF is written;
// - parameters arrive as {key: text} (the macro options), checked against the schema and
//   against the command that takes them;
// - results are files (an output TIFF, or the video job's folder) that the caller reads
//   back plane by plane with open_video().
// The JNI layer only converts arrays, strings and exceptions; everything else is here.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nativeseg/image.h"
#include "nativeseg/model.h"
#include "nativeseg/progress.h"
#include "nativeseg/settings.h"
#include "nativeseg/video_io.h"

namespace nativeseg {

/// A video whose planes come from a callback (plane index in TZC order → a 1-plane image of
/// the declared dtype and size). The callback is checked: a wrong size or type is an Error.
class CallbackVideoReader : public VideoReader {
public:
    using PlaneFn = std::function<Image(std::int64_t index)>;
    CallbackVideoReader(Shape shape, DType dtype, Calibration calibration, PlaneFn plane);
    const Shape& shape() const override { return shape_; }
    DType dtype() const override { return dtype_; }
    const Calibration& calibration() const override { return calibration_; }
    Image read_plane(std::int64_t index) override;

private:
    Shape shape_;
    DType dtype_;
    Calibration calibration_;
    PlaneFn plane_;
};

/// What a caller declares about a video it streams: {"t","z","c","y","x","dtype",
/// "calibration": {"pixel_width","pixel_height","voxel_depth","unit","frame_interval","time_unit"}}.
struct VideoSpec {
    Shape shape;
    DType dtype = DType::U8;
    Calibration calibration;
};
VideoSpec video_spec_from_json(const nlohmann::json& spec);
nlohmann::json video_spec_json(const Shape& shape, DType dtype, const Calibration& calibration);

/// Settings of `command` from {"key": text|number|bool}; every key must be a setting that the
/// command takes (Error naming the key and the command otherwise), every value is validated.
SettingValues settings_from_json(const nlohmann::json& values, const std::string& command);

/// Segment Image…: `input` → `output` (TIFF) with the "predict" settings; returns the report.
nlohmann::json segment_image(const Model& model, VideoReader& input, const std::string& input_name,
                             const std::string& output, const SettingValues& values, Progress* progress,
                             const std::function<void(const std::string&)>& log = {});

/// Segment and Track Video…: `input` (a video: more than one frame, or slices taken as
/// frames) → the video job's folder. `raw_path`: the input's own TIFF file when it is
/// unchanged on disk (TrackMate then points at it), else empty. `name`: the TrackMate file's
/// base name.
nlohmann::json segment_and_track(const Model& model, VideoReader& input, const std::string& input_name,
                                 const std::string& raw_path, const std::string& out_dir, const std::string& name,
                                 const SettingValues& values, Progress* progress,
                                 const std::function<void(const std::string&)>& log = {});

/// The same two jobs on a file or folder of frames (batch macros: nothing is opened in ImageJ).
nlohmann::json segment_image_file(const Model& model, const std::string& input, const std::string& output,
                                  const SettingValues& values, Progress* progress,
                                  const std::function<void(const std::string&)>& log = {});
nlohmann::json segment_and_track_file(const Model& model, const std::string& input, const std::string& out_dir,
                                      const std::string& name, const SettingValues& values, Progress* progress,
                                      const std::function<void(const std::string&)>& log = {});

/// Track Label Video…: a label video (`raw` optional) → the video job's folder.
nlohmann::json track_labels(VideoReader& labels, const std::string& labels_name, VideoReader* raw,
                            const std::string& raw_path, const std::string& out_dir, const std::string& name,
                            const SettingValues& values, Progress* progress);

/// Merge Tracks with Segmentation…: → `output` (TIFF).
void merge_tracks(VideoReader& tracks, const std::string& tracks_name, VideoReader& segmentation,
                  const std::string& segmentation_name, const std::string& output, Progress* progress);

/// Evaluate…: {"gt", "res", optional "gt_tracks", "res_tracks", "csv"} + the "evaluate" settings →
/// {"report": the evaluation JSON, "table": text, "problems": [...], "rows": [[measure, value], ...]}.
nlohmann::json evaluate_request(const std::string& gt, const std::string& res, const SettingValues& values,
                                Progress* progress);

/// Train Model…: an image video and its label video (open in Fiji) written as a `pairs` data
/// folder in `dir` (DIR/x/frame_NNNN.tif, DIR/y/frame_NNNN.tif; slices count as frames when
/// there is one frame). Error when the two do not have the same frames and size.
void export_training_pairs(VideoReader& images, const std::string& images_name, VideoReader& labels,
                           const std::string& labels_name, const std::string& dir);

/// Train Model…: the "train" settings (`pairs_dir`, when not empty, is added to training_data)
/// → {"finished", "stopped_early", "best_epoch", "best_score", "score_name", "device",
/// "parameters", "out", "history": [per-epoch records]}. OUT/history.csv is rewritten after
/// every epoch, so a caller can draw the curve while training runs.
nlohmann::json train_job(const SettingValues& values, const std::string& pairs_dir, Progress* progress,
                         const std::function<void(const std::string&)>& log = {});

/// Models and Devices…: the device report (what device=auto picks and why), and for each
/// model folder or id its description and card text, or the error reading it; with `validate`,
/// also the result of running its test tensors (validate-model) on the CPU.
nlohmann::json models_and_devices(const std::vector<std::string>& models, bool validate = false);

/// The first frames of a video as the number of frames a video job sees (T, or Z when T = 1).
std::int64_t video_frames(const Shape& shape);

}  // namespace nativeseg
