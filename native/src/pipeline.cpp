// The jobs as Fiji runs them: callback-fed videos, settings from {key: text}, files out.
#include "nativeseg/pipeline.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "nativeseg/atomic_file.h"
#include "nativeseg/device.h"
#include "nativeseg/error.h"
#include "nativeseg/evaluate.h"
#include "nativeseg/rdf.h"
#include "nativeseg/segment.h"
#include "nativeseg/segment_video.h"
#include "nativeseg/tiff_io.h"
#include "nativeseg/train.h"
#include "nativeseg/video_job.h"

namespace nativeseg {

CallbackVideoReader::CallbackVideoReader(Shape shape, DType dtype, Calibration calibration, PlaneFn plane)
    : shape_(shape), dtype_(dtype), calibration_(std::move(calibration)), plane_(std::move(plane)) {
    if (shape_.t < 1 || shape_.z < 1 || shape_.c < 1 || shape_.y < 1 || shape_.x < 1)
        throw Error("image: every dimension must be at least 1, got " + shape_.str());
}

Image CallbackVideoReader::read_plane(std::int64_t index) {
    if (index < 0 || index >= shape_.planes())
        throw Error("plane " + std::to_string(index) + " is out of range (the image has " +
                    std::to_string(shape_.planes()) + " planes)");
    Image p = plane_(index);
    if (p.dtype() != dtype_ || p.shape().planes() != 1 || p.shape().y != shape_.y || p.shape().x != shape_.x)
        throw Error("plane " + std::to_string(index) + ": expected " + std::to_string(shape_.x) + "x" +
                    std::to_string(shape_.y) + " " + dtype_name(dtype_) + " pixels, got " +
                    std::to_string(p.shape().x) + "x" + std::to_string(p.shape().y) + " " + dtype_name(p.dtype()));
    p.calibration() = calibration_;
    return p;
}

VideoSpec video_spec_from_json(const nlohmann::json& j) {
    VideoSpec s;
    try {
        s.shape.t = j.value("t", std::int64_t{1});
        s.shape.z = j.value("z", std::int64_t{1});
        s.shape.c = j.value("c", std::int64_t{1});
        s.shape.y = j.at("y").get<std::int64_t>();
        s.shape.x = j.at("x").get<std::int64_t>();
        s.dtype = dtype_from_name(j.at("dtype").get<std::string>(), "image pixel type");
        if (j.contains("calibration")) {
            const auto& c = j["calibration"];
            s.calibration.pixel_width = c.value("pixel_width", 1.0);
            s.calibration.pixel_height = c.value("pixel_height", 1.0);
            s.calibration.voxel_depth = c.value("voxel_depth", 1.0);
            s.calibration.unit = c.value("unit", std::string("pixel"));
            s.calibration.frame_interval = c.value("frame_interval", 0.0);
            s.calibration.time_unit = c.value("time_unit", std::string("sec"));
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("image description: ") + e.what());
    }
    return s;
}

nlohmann::json video_spec_json(const Shape& s, DType dtype, const Calibration& c) {
    return {{"t", s.t},
            {"z", s.z},
            {"c", s.c},
            {"y", s.y},
            {"x", s.x},
            {"dtype", dtype_name(dtype)},
            {"calibration",
             {{"pixel_width", c.pixel_width},
              {"pixel_height", c.pixel_height},
              {"voxel_depth", c.voxel_depth},
              {"unit", c.unit},
              {"frame_interval", c.frame_interval},
              {"time_unit", c.time_unit}}}};
}

SettingValues settings_from_json(const nlohmann::json& values, const std::string& command) {
    SettingValues v;
    if (values.is_null()) return v;
    if (!values.is_object()) throw Error("settings: expected an object of key: value");
    for (const auto& [key, value] : values.items()) {
        const Setting& s = find_setting(key);
        if (std::find(s.commands.begin(), s.commands.end(), command) == s.commands.end())
            throw Error(key + ": not a setting of " + command);
        if (value.is_string()) v.set(key, value.get<std::string>());
        else if (value.is_boolean()) v.set(key, value.get<bool>() ? "true" : "false");
        else v.set(key, value.dump());
    }
    return v;
}

std::int64_t video_frames(const Shape& s) { return s.t == 1 ? s.z : s.t; }

nlohmann::json segment_image(const Model& model, VideoReader& input, const std::string& input_name,
                             const std::string& output, const SettingValues& values, Progress* progress,
                             const std::function<void(const std::string&)>& log) {
    SegmentOptions o = segment_options(values);
    o.log = log;
    return segment(model, input, input_name, output, o, progress);
}

nlohmann::json segment_and_track(const Model& model, VideoReader& input, const std::string& input_name,
                                 const std::string& raw_path, const std::string& out_dir, const std::string& name,
                                 const SettingValues& values, Progress* progress,
                                 const std::function<void(const std::string&)>& log) {
    const Shape& s = input.shape();
    if (s.z > 1 && s.t > 1)
        throw Error("'" + input_name + "' is a 3-D video (" + s.str() + "); Segment and Track Video takes 2-D frames");
    if (video_frames(s) < 2)
        throw Error("'" + input_name + "' has a single frame; Segment and Track Video needs a video (use Segment "
                    "Image for one image)");
    SegmentOptions so = segment_options(values);
    so.log = log;
    VideoJobOptions vo = video_job_options(values, "segment-video");
    vo.name = name.empty() ? "tracks" : name;
    return segment_video(model, input, input_name, raw_path, out_dir, so, vo, progress);
}

nlohmann::json segment_image_file(const Model& model, const std::string& input, const std::string& output,
                                  const SettingValues& values, Progress* progress,
                                  const std::function<void(const std::string&)>& log) {
    SegmentOptions o = segment_options(values);
    o.log = log;
    return segment(model, input, output, o, progress);
}

nlohmann::json segment_and_track_file(const Model& model, const std::string& input, const std::string& out_dir,
                                      const std::string& name, const SettingValues& values, Progress* progress,
                                      const std::function<void(const std::string&)>& log) {
    auto video = open_video(input);
    // A TIFF file is what TrackMate's image points at; a folder of frames is saved beside the XML.
    const std::string ext = std::filesystem::path(input).extension().string();
    const bool tiff_file = std::filesystem::is_regular_file(input) && (ext == ".tif" || ext == ".tiff");
    return segment_and_track(model, *video, input, tiff_file ? input : std::string(), out_dir, name, values, progress,
                             log);
}

nlohmann::json track_labels(VideoReader& labels, const std::string& labels_name, VideoReader* raw,
                            const std::string& raw_path, const std::string& out_dir, const std::string& name,
                            const SettingValues& values, Progress* progress) {
    VideoJobOptions vo = video_job_options(values, "track");
    vo.name = name.empty() ? "tracks" : name;
    return track_video(labels, labels_name, VideoJobInput::Kind::Labels, raw, raw_path, out_dir, vo, progress);
}

void merge_tracks(VideoReader& tracks, const std::string& tracks_name, VideoReader& segmentation,
                  const std::string& segmentation_name, const std::string& output, Progress* progress) {
    merge_tracks_video(tracks, tracks_name, segmentation, segmentation_name, output, progress);
}

nlohmann::json evaluate_request(const std::string& gt, const std::string& res, const SettingValues& values,
                                Progress* progress) {
    EvaluateOptions o = evaluate_options(values);
    o.gt = gt;
    o.res = res;
    const EvaluationReport r = evaluate(o, progress);
    // The measures as (name, value) rows for a results table; null measures are left out.
    nlohmann::json rows = nlohmann::json::array();
    if (r.json.contains("measures"))
        for (const auto& [k, v] : r.json["measures"].items())
            if (v.is_number()) rows.push_back({k, v});
    return {{"report", r.json}, {"table", r.table}, {"problems", r.problems}, {"rows", rows}};
}

void export_training_pairs(VideoReader& images, const std::string& images_name, VideoReader& labels,
                           const std::string& labels_name, const std::string& dir) {
    const Shape& si = images.shape();
    const Shape& sl = labels.shape();
    if (si.c != 1 || sl.c != 1 || (si.z > 1 && si.t > 1) || (sl.z > 1 && sl.t > 1))
        throw Error("training pairs: '" + images_name + "' and '" + labels_name +
                    "' must be 2-D images or videos with one channel");
    const std::int64_t n = video_frames(si);
    if (video_frames(sl) != n || si.x != sl.x || si.y != sl.y)
        throw Error("training pairs: '" + labels_name + "' (" + sl.str() + ") does not match '" + images_name + "' (" +
                    si.str() + ")");
    if (!dtype_is_integer(labels.dtype()) && labels.dtype() != DType::F32)
        throw Error("training pairs: '" + labels_name + "' is not a label image");
    namespace fs = std::filesystem;
    const fs::path x = fs::path(dir) / "x", y = fs::path(dir) / "y";
    ensure_writable_dir(x.string());
    ensure_writable_dir(y.string());
    for (std::int64_t t = 0; t < n; ++t) {
        char name[32];
        std::snprintf(name, sizeof name, "frame_%04lld.tif", static_cast<long long>(t));
        write_tiff((x / name).string(), images.read_plane(t));
        Image l = labels.read_plane(t);
        if (l.dtype() == DType::F32) l = l.converted(DType::U16);  // ImageJ keeps 32-bit labels as float
        write_tiff((y / name).string(), l);
    }
}

nlohmann::json train_job(const SettingValues& values_in, const std::string& pairs_dir, Progress* progress,
                         const std::function<void(const std::string&)>& log) {
    SettingValues values = values_in;
    if (!pairs_dir.empty()) {
        const std::string data = values.get_string("training_data");
        values.set("training_data", data.empty() ? pairs_dir : data + ";" + pairs_dir);
    }
    TrainOptions o = train_options(values);
    o.log = log;
    const TrainResult r = train_model(o, progress);
    nlohmann::json history = nlohmann::json::array();
    for (const EpochRecord& e : r.history) history.push_back(epoch_to_json(e));
    return {{"finished", r.finished},     {"stopped_early", r.stopped_early}, {"best_epoch", r.best_epoch},
            {"best_score", r.best_score}, {"score_name", r.score_name},       {"device", r.device},
            {"parameters", r.parameters}, {"out", o.out},                      {"history", history}};
}

nlohmann::json models_and_devices(const std::vector<std::string>& models, bool validate) {
    nlohmann::json out;
    out["devices"] = device_info_json(query_devices());
    out["models"] = nlohmann::json::array();
    for (const std::string& m : models) {
        nlohmann::json e = {{"model", m}};
        try {
            const ModelDescription d = read_model_description(find_model(m));
            e["name"] = d.name;
            e["id"] = d.id;
            e["folder"] = d.dir;
            e["card"] = model_info_text(d);
            if (validate) {
                const ValidationResult v = validate_model(d.dir);
                e["valid"] = v.passed;
                e["validation"] = validation_text(v);
            }
        } catch (const std::exception& ex) {
            e["error"] = ex.what();
        }
        out["models"].push_back(e);
    }
    return out;
}

}  // namespace nativeseg
