#include "nativeseg/video_job.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <unordered_map>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "nativeseg/about.h"
#include "nativeseg/atomic_file.h"
#include "nativeseg/ctc_export.h"
#include "nativeseg/error.h"
#include "nativeseg/merge_tracks.h"
#include "nativeseg/tiff_io.h"
#include "nativeseg/trackmate.h"
#include "nativeseg/video_io.h"

namespace fs = std::filesystem;

namespace nativeseg {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

const char* gap_fill_name(GapFillMode m) {
    switch (m) {
        case GapFillMode::Off: return "off";
        case GapFillMode::Reference: return "reference";
        case GapFillMode::Temporal: return "temporal";
    }
    return "?";
}

// Label plane (CV_32S) from any integer or integral float plane; Error for negative or
// fractional labels, naming where they came from.
cv::Mat to_label_plane(const cv::Mat& in, const std::string& what) {
    cv::Mat out;
    if (in.depth() == CV_32F || in.depth() == CV_64F) {
        cv::Mat rounded;
        in.convertTo(out, CV_32S);
        out.convertTo(rounded, in.depth());
        if (cv::countNonZero(rounded != in) > 0)
            throw Error(what + ": labels must be whole numbers (found fractional values); expected an integer label image");
    } else {
        in.convertTo(out, CV_32S);
    }
    double min_value = 0;
    cv::minMaxLoc(out, &min_value);
    if (min_value < 0) throw Error(what + ": labels must not be negative (found " + std::to_string(min_value) + ")");
    return out;
}

cv::Mat to_u16(const cv::Mat& labels32, const std::string& what) {
    double max_value = 0;
    cv::minMaxLoc(labels32, nullptr, &max_value);
    if (max_value > 65535) throw Error(what + ": more than 65535 labels in one frame do not fit a 16-bit label video");
    cv::Mat out;
    labels32.convertTo(out, CV_16U);
    return out;
}

// A label made of several disconnected parts is several objects (as TrackMate sees it): the
// largest part keeps the label and the others get new labels above the frame's largest, so
// every object has its own label in labels.tif, tracks.tif and the CTC masks. Returns
// whether anything was relabelled.
bool split_disconnected_labels(cv::Mat& labels32, const std::vector<Instance>& instances) {
    std::map<std::uint32_t, int> parts;
    for (const Instance& i : instances) parts[i.label]++;
    bool changed = false;
    double max_label = 0;
    cv::minMaxLoc(labels32, nullptr, &max_label);
    int next = static_cast<int>(max_label) + 1;
    for (const auto& [label, n] : parts) {
        if (n < 2) continue;
        cv::Mat comp, stats, centroids;
        const int count = cv::connectedComponentsWithStats(labels32 == static_cast<int>(label), comp, stats,
                                                           centroids, 8, CV_32S);
        int largest = 1;
        for (int k = 2; k < count; ++k)
            if (stats.at<int>(k, cv::CC_STAT_AREA) > stats.at<int>(largest, cv::CC_STAT_AREA)) largest = k;
        for (int k = 1; k < count; ++k)
            if (k != largest) labels32.setTo(next++, comp == k);
        changed = true;
    }
    return changed;
}

// Numbers the connected components of the link graph as frames stream in: a spot without a
// predecessor starts a new number, others inherit their predecessor's. Our tracker gives
// every spot at most one predecessor, so this equals TrackSet::assign_track_ids()'s
// numbering (+1) and the track video can be written frame by frame.
class StreamingComponents {
public:
    explicit StreamingComponents(int max_gap) : keep_(max_gap + 1) {}
    std::uint32_t number(std::int64_t spot, const TrackSet& tracks) {
        const auto preds = tracks.predecessors(spot);
        std::uint32_t n = 0;
        if (!preds.empty()) {
            auto it = number_.find(preds.front());
            if (it != number_.end()) n = it->second;
        }
        if (n == 0) n = next_++;
        number_[spot] = n;
        return n;
    }
    void end_frame(const std::vector<std::int64_t>& spots) {
        window_.push_back(spots);
        while (static_cast<int>(window_.size()) > keep_) {
            for (std::int64_t s : window_.front()) number_.erase(s);
            window_.pop_front();
        }
    }

private:
    int keep_;
    std::uint32_t next_ = 1;
    std::unordered_map<std::int64_t, std::uint32_t> number_;
    std::deque<std::vector<std::int64_t>> window_;
};

std::string absolute_parent(const std::string& path) { return fs::absolute(path).parent_path().string(); }

}  // namespace

VideoJobOptions video_job_options(const SettingValues& v, const std::string& command) {
    (void)command;  // segment-video and track take the same settings
    VideoJobOptions o;
    o.cleanup.closing_radius = static_cast<int>(v.get_int("closing_radius"));
    o.cleanup.fill_holes = v.get_bool("fill_holes");
    o.cleanup.cleanup_min_size = static_cast<int>(v.get_int("cleanup_min_size"));
    o.cleanup.clear_border = v.get_bool("clear_border");
    const std::string& mode = v.get_string("gap_fill");
    o.gap_fill.mode = mode == "reference" ? GapFillMode::Reference
                      : mode == "temporal" ? GapFillMode::Temporal
                                           : GapFillMode::Off;
    o.gap_fill.sigma = v.get_float("gap_sigma");
    o.gap_fill.level = v.get_float("gap_level");
    o.instances.min_size = static_cast<int>(v.get_int("object_min_size"));
    o.tracker.max_gap = static_cast<int>(v.get_int("max_gap"));
    o.tracker.max_distance = v.get_float("link_distance");
    o.tracker.gap_max_distance = v.get_float("gap_distance");
    o.tracker.divisions = v.get_bool("divisions");
    // "labels,tracks,trackmate,ctc": split once, check every item.
    std::vector<std::string> items;
    const std::string& exports = v.get_string("exports");
    for (std::size_t start = 0; start <= exports.size();) {
        std::size_t end = exports.find(',', start);
        if (end == std::string::npos) end = exports.size();
        const std::string item = exports.substr(start, end - start);
        if (!item.empty() && item != "labels" && item != "tracks" && item != "trackmate" &&
            item != "trackmate_spots" && item != "ctc")
            throw Error("exports: unknown export '" + item + "' (expected a comma-separated list of labels, tracks, "
                        "trackmate, trackmate_spots, ctc)");
        items.push_back(item);
        start = end + 1;
    }
    auto has = [&](const std::string& what) { return std::find(items.begin(), items.end(), what) != items.end(); };
    o.write_labels = has("labels");
    o.write_tracks = has("tracks");
    o.write_trackmate = has("trackmate") || has("trackmate_spots");
    o.trackmate_spots_only = has("trackmate_spots") && !has("trackmate");
    o.write_ctc = has("ctc");
    return o;
}

nlohmann::json run_video_job(const VideoJobInput& in, const std::string& out_dir, const VideoJobOptions& opt,
                             Progress* progress) {
    const auto job_start = Clock::now();
    if (in.frames < 1) throw Error("the video has no frames");
    if (in.width < 1 || in.height < 1) throw Error("the video has no pixels");
    ensure_writable_dir(out_dir);
    const bool masks = in.kind == VideoJobInput::Kind::Masks;

    Shape shape{in.frames, 1, 1, in.height, in.width};
    TiffWriteOptions tiff;
    tiff.compression = Compression::LZW;
    std::unique_ptr<TiffWriter> labels_out, tracks_out;
    if (opt.write_labels)
        labels_out = std::make_unique<TiffWriter>((fs::path(out_dir) / "labels.tif").string(), shape, DType::U16,
                                                  in.calibration, tiff);
    if (opt.write_tracks)
        tracks_out = std::make_unique<TiffWriter>((fs::path(out_dir) / "tracks.tif").string(), shape, DType::U16,
                                                  in.calibration, tiff);

    // TrackMate: distances in physical units, the image it shows under the spots.
    std::unique_ptr<TrackMateWriter> trackmate;
    const std::string xml_path = (fs::path(out_dir) / (opt.name + ".xml")).string();
    if (opt.write_trackmate) {
        TrackMateWriteOptions tm;
        tm.image.width = in.width;
        tm.image.height = in.height;
        tm.image.nframes = static_cast<int>(in.frames);
        tm.image.calibration = in.calibration;
        if (!opt.image_for_trackmate.empty()) {
            tm.image.filename = fs::path(opt.image_for_trackmate).filename().string();
            tm.image.folder = absolute_parent(opt.image_for_trackmate) + "/";
        } else {
            tm.image.filename = opt.write_tracks ? "tracks.tif" : opt.write_labels ? "labels.tif" : "";
        }
        const double px = in.calibration.pixel_width > 0 ? in.calibration.pixel_width : 1.0;
        tm.tracker.linking_max_distance = opt.tracker.max_distance * px;
        tm.tracker.gap_closing_max_distance = opt.tracker.gap_max_distance * px;
        tm.tracker.max_frame_gap = opt.tracker.max_gap;
        tm.tracker.allow_track_splitting = opt.tracker.divisions;
        tm.tracker.splitting_max_distance = opt.tracker.max_distance * px;
        tm.intensity_features = static_cast<bool>(in.raw);
        tm.spots_only = opt.trackmate_spots_only;
        tm.log = std::string("NativeSeg ") + library_versions()["nativeseg"].get<std::string>() +
                 ": gap_fill=" + gap_fill_name(opt.gap_fill.mode) + " max_gap=" + std::to_string(opt.tracker.max_gap);
        trackmate = std::make_unique<TrackMateWriter>(xml_path, tm);
    }

    // CTC results go to a hidden folder renamed into place at the end, so a failed job
    // leaves no incomplete ctc/ folder behind.
    const fs::path ctc_final = fs::path(out_dir) / "ctc";
    const fs::path ctc_tmp = fs::path(out_dir) / ".ctc.partial";
    std::unique_ptr<CtcResultWriter> ctc;
    if (opt.write_ctc) {
        fs::remove_all(ctc_tmp);
        ctc = std::make_unique<CtcResultWriter>(ctc_tmp.string(), in.frames, in.calibration);
    }

    TrackSet tracks;
    Tracker tracker(opt.tracker, tracks);
    GapFillParams gap = opt.gap_fill;
    if (!masks) gap.mode = GapFillMode::Off;
    GapFiller filler(gap, in.frames);
    StreamingComponents components(opt.tracker.max_gap);

    double t_cleanup = 0, t_gap = 0, t_instances = 0, t_tracking = 0, t_write = 0;
    std::int64_t spots_total = 0, next_out = 0;

    std::int64_t split_labels = 0;
    auto process = [&](std::int64_t t, cv::Mat labels32) {
        auto t0 = Clock::now();
        const cv::Mat raw_frame = in.raw ? in.raw(t) : cv::Mat();
        std::vector<Instance> instances = instances_from_labels(labels32, t, raw_frame);
        if (split_disconnected_labels(labels32, instances)) {
            ++split_labels;
            instances = instances_from_labels(labels32, t, raw_frame);
        }
        t_instances += seconds_since(t0);
        t0 = Clock::now();
        const std::vector<std::int64_t> ids = tracker.add_frame(t, labels32, instances);
        t_tracking += seconds_since(t0);
        t0 = Clock::now();
        std::vector<std::uint32_t> instance_labels;
        std::unordered_map<int, std::uint32_t> label_to_component;
        std::vector<std::int64_t> sorted = ids;
        std::sort(sorted.begin(), sorted.end());
        for (std::int64_t id : sorted) {
            const std::uint32_t n = components.number(id, tracks);
            label_to_component.emplace(static_cast<int>(tracks.spot(id).instance.label), n);
        }
        for (const Instance& i : instances) instance_labels.push_back(i.label);
        components.end_frame(ids);
        if (labels_out) labels_out->write_page(to_u16(labels32, "labels").data);
        if (tracks_out) {
            cv::Mat tr = cv::Mat::zeros(labels32.size(), CV_32S);
            for (int y = 0; y < labels32.rows; ++y) {
                const int* l = labels32.ptr<int>(y);
                int* o = tr.ptr<int>(y);
                for (int x = 0; x < labels32.cols; ++x)
                    if (l[x] > 0) {
                        auto it = label_to_component.find(l[x]);
                        if (it != label_to_component.end()) o[x] = static_cast<int>(it->second);
                    }
            }
            tracks_out->write_page(to_u16(tr, "tracks").data);
        }
        if (trackmate) {
            std::vector<Spot> spots;
            for (std::int64_t id : ids) spots.push_back(tracks.spot(id));
            trackmate->add_frame(t, spots);
        }
        if (ctc) ctc->add_frame(t, labels32, instance_labels, ids, tracks);
        // Outlines are on disk now; keep only what linking and the summaries need.
        for (std::int64_t id : ids) std::vector<cv::Point2d>().swap(tracks.spot(id).instance.outline);
        spots_total += static_cast<std::int64_t>(ids.size());
        t_write += seconds_since(t0);
        report(progress, "track", t + 1, in.frames);
    };

    for (std::int64_t t = 0; t < in.frames; ++t) {
        check_cancel(progress);
        cv::Mat frame = in.frame(t);
        if (frame.rows != in.height || frame.cols != in.width)
            throw Error("frame " + std::to_string(t) + " is " + std::to_string(frame.cols) + "x" +
                        std::to_string(frame.rows) + ", expected " + std::to_string(in.width) + "x" +
                        std::to_string(in.height));
        if (!masks) {
            process(t, to_label_plane(frame, "frame " + std::to_string(t)));
            continue;
        }
        auto t0 = Clock::now();
        cv::Mat m = frame.type() == CV_8U ? frame : cv::Mat(frame != 0);
        m = cleanup_mask((m != 0) / 255, opt.cleanup);
        t_cleanup += seconds_since(t0);
        t0 = Clock::now();
        filler.push(m);
        while (filler.ready()) {
            cv::Mat filled = filler.pop();
            t_gap += seconds_since(t0);
            const auto t1 = Clock::now();
            cv::Mat labels32 = label_mask(filled, opt.instances, /*renumber=*/false);
            t_instances += seconds_since(t1);
            process(next_out++, labels32);
            t0 = Clock::now();
        }
    }

    const auto t_finish = Clock::now();
    if (trackmate) {
        for (const Link& l : tracks.links()) trackmate->add_link(l);
        trackmate->finish();
    }
    std::vector<std::string> notes;
    if (ctc) {
        ctc->finish();
        notes = ctc->notes();
        fs::remove_all(ctc_final);
        fs::rename(ctc_tmp, ctc_final);
    }
    if (labels_out) labels_out->close();
    if (tracks_out) tracks_out->close();
    t_write += seconds_since(t_finish);

    // Summary numbers.
    const std::int64_t n_tracks = tracks.assign_track_ids();
    std::int64_t divisions = 0, gap_links = 0;
    for (const Spot& s : tracks.spots())
        if (tracks.successors(s.id).size() >= 2) ++divisions;
    for (const Link& l : tracks.links())
        if (tracks.spot(l.target).instance.frame - tracks.spot(l.source).instance.frame > 1) ++gap_links;

    nlohmann::json r;
    r["input"] = {{"kind", masks ? "masks" : "labels"}, {"frames", in.frames}, {"width", in.width},
                  {"height", in.height}, {"pixel_width", in.calibration.pixel_width},
                  {"unit", in.calibration.unit}, {"frame_interval", in.calibration.frame_interval}};
    r["counts"] = {{"spots", spots_total},        {"links", tracks.links().size()}, {"tracks", n_tracks},
                   {"divisions", divisions},       {"gap_closing_links", gap_links}};
    r["parameters"] = {
        {"gap_fill", gap_fill_name(gap.mode)},
        {"gap_sigma", gap.mode == GapFillMode::Reference ? 2.0 : gap.sigma},
        {"gap_level", gap.level},
        {"closing_radius", opt.cleanup.closing_radius},
        {"fill_holes", opt.cleanup.fill_holes},
        {"cleanup_min_size", opt.cleanup.cleanup_min_size},
        {"clear_border", opt.cleanup.clear_border},
        {"object_min_size", opt.instances.min_size},
        {"max_gap", opt.tracker.max_gap},
        {"link_distance", opt.tracker.max_distance},
        {"gap_distance", opt.tracker.gap_max_distance},
        {"divisions", opt.tracker.divisions}};
    r["versions"] = library_versions();
    r["seconds"] = {{"cleanup", t_cleanup},   {"gap_fill", t_gap},   {"instances", t_instances},
                    {"tracking", t_tracking}, {"writing", t_write}, {"total", seconds_since(job_start)}};
    nlohmann::json files = nlohmann::json::array();
    if (opt.write_labels) files.push_back("labels.tif");
    if (opt.write_tracks) files.push_back("tracks.tif");
    if (opt.write_trackmate) files.push_back(opt.name + ".xml");
    if (opt.write_ctc) files.push_back("ctc/");
    r["files"] = files;
    r["notes"] = notes;
    if (split_labels > 0)
        r["notes"].push_back("labels made of disconnected parts were split into one object per part (new labels) in " +
                             std::to_string(split_labels) + " frame(s)");

    AtomicOutput out((fs::path(out_dir) / "report.json").string());
    {
        std::ofstream f(out.temp_path());
        f << r.dump(2) << "\n";
        if (!f) throw Error("cannot write '" + out.final_path() + "'");
    }
    out.commit();
    return r;
}

namespace {

// Opens a video of 2-D frames; a single-frame stack of Z slices is taken as T frames
// (ImageJ users often save videos with time as Z), and said so in `notes`.
void check_frames(const VideoReader& v, const std::string& path, std::vector<std::string>& notes) {
    const Shape& s = v.shape();
    if (s.c != 1) throw Error("'" + path + "': " + std::to_string(s.c) + " channels; expected one channel");
    if (s.z > 1 && s.t > 1)
        throw Error("'" + path + "': a 3-D video (Z=" + std::to_string(s.z) + ", T=" + std::to_string(s.t) +
                    "); expected 2-D frames");
    if (s.z > 1) notes.push_back("'" + path + "' has " + std::to_string(s.z) + " slices and one frame: slices taken as frames");
}

std::unique_ptr<VideoReader> open_frames(const std::string& path, std::vector<std::string>& notes) {
    auto v = open_video(path);
    check_frames(*v, path, notes);
    return v;
}

std::int64_t frame_count(const VideoReader& v) { return std::max(v.shape().t, v.shape().z); }

}  // namespace

nlohmann::json track_label_video(const std::string& labels_path, const std::string& raw_path,
                                 const std::string& out_dir, const VideoJobOptions& options, Progress* progress) {
    return track_video_file(labels_path, VideoJobInput::Kind::Labels, raw_path, out_dir, options, progress);
}

nlohmann::json track_video_file(const std::string& labels_path, VideoJobInput::Kind kind, const std::string& raw_path,
                                const std::string& out_dir, const VideoJobOptions& options, Progress* progress) {
    std::vector<std::string> unused;  // track_video notes these itself
    auto labels = open_frames(labels_path, unused);  // a bad label video is reported before the raw one
    std::unique_ptr<VideoReader> raw;
    if (!raw_path.empty()) raw = open_video(raw_path);
    return track_video(*labels, labels_path, kind, raw.get(), raw_path, out_dir, options, progress);
}

nlohmann::json track_video(VideoReader& labels_video, const std::string& labels_path, VideoJobInput::Kind kind,
                           VideoReader* raw_video, const std::string& raw_path, const std::string& out_dir,
                           const VideoJobOptions& options, Progress* progress) {
    std::vector<std::string> notes;
    VideoReader* labels = &labels_video;
    check_frames(*labels, labels_path, notes);
    if (kind == VideoJobInput::Kind::Labels && !dtype_is_integer(labels->dtype()) && labels->dtype() != DType::F32)
        throw Error("'" + labels_path + "': expected an integer label image");
    VideoReader* raw = raw_video;
    if (raw) {
        check_frames(*raw, raw_path, notes);
        if (frame_count(*raw) != frame_count(*labels) || raw->shape().x != labels->shape().x ||
            raw->shape().y != labels->shape().y)
            throw Error("'" + raw_path + "' (" + std::to_string(frame_count(*raw)) + " frames of " +
                        std::to_string(raw->shape().x) + "x" + std::to_string(raw->shape().y) + ") does not match '" +
                        labels_path + "' (" + std::to_string(frame_count(*labels)) + " frames of " +
                        std::to_string(labels->shape().x) + "x" + std::to_string(labels->shape().y) + ")");
    }
    VideoJobOptions opt = options;
    if (raw) {
        const std::string ext = fs::path(raw_path).extension().string();
        if (fs::is_regular_file(raw_path) && (ext == ".tif" || ext == ".tiff")) {
            opt.image_for_trackmate = raw_path;
        } else {
            // TrackMate needs one image file: save the raw frames as a hyperstack beside the XML.
            ensure_writable_dir(out_dir);
            const std::string copy = (fs::path(out_dir) / (opt.name + "_image.tif")).string();
            TiffWriter w(copy, Shape{frame_count(*raw), 1, 1, raw->shape().y, raw->shape().x}, raw->dtype(),
                         raw->calibration());
            for (std::int64_t t = 0; t < frame_count(*raw); ++t) w.write_page(raw->read_plane(t));
            w.close();
            opt.image_for_trackmate = copy;
        }
    }
    VideoJobInput in;
    in.kind = kind;
    in.frames = frame_count(*labels);
    in.width = static_cast<int>(labels->shape().x);
    in.height = static_cast<int>(labels->shape().y);
    in.calibration = raw ? raw->calibration() : labels->calibration();
    VideoReader* lr = labels;
    in.frame = [lr](std::int64_t t) { return lr->read_plane(t).plane_mat(0).clone(); };
    if (raw) {
        VideoReader* rr = raw;
        in.raw = [rr](std::int64_t t) {
            Image p = rr->read_plane(t);
            return p.dtype() == DType::U32 ? p.converted(DType::F32).plane_mat(0).clone() : p.plane_mat(0).clone();
        };
    }
    if (lr->dtype() == DType::U32)
        in.frame = [lr](std::int64_t t) { return lr->read_plane(t).converted(DType::I32).plane_mat(0).clone(); };
    if (kind == VideoJobInput::Kind::Masks)  // any pixel type: non-zero is foreground
        in.frame = [lr](std::int64_t t) {
            Image p = lr->read_plane(t);
            cv::Mat m = p.dtype() == DType::U32 ? cv::Mat(p.converted(DType::F32).plane_mat(0) != 0)
                                                : cv::Mat(p.plane_mat(0) != 0);
            return cv::Mat(m / 255);
        };
    nlohmann::json r = run_video_job(in, out_dir, opt, progress);
    r["input"][kind == VideoJobInput::Kind::Labels ? "labels" : "masks"] = labels_path;
    if (raw) r["input"]["image"] = raw_path;
    for (const std::string& n : notes) r["notes"].push_back(n);
    return r;
}

void merge_tracks_video(const std::string& tracks_path, const std::string& segmentation_path,
                        const std::string& output_path, Progress* progress) {
    std::vector<std::string> unused;
    auto tracks = open_frames(tracks_path, unused);  // a bad track video is reported before the segmentation
    auto seg = open_video(segmentation_path);
    merge_tracks_video(*tracks, tracks_path, *seg, segmentation_path, output_path, progress);
}

void merge_tracks_video(VideoReader& tracks_video, const std::string& tracks_path, VideoReader& seg_video,
                        const std::string& segmentation_path, const std::string& output_path, Progress* progress) {
    std::vector<std::string> notes;
    VideoReader* tracks = &tracks_video;
    VideoReader* seg = &seg_video;
    check_frames(*tracks, tracks_path, notes);
    check_frames(*seg, segmentation_path, notes);
    const std::int64_t frames = frame_count(*tracks);
    if (frame_count(*seg) != frames || seg->shape().x != tracks->shape().x || seg->shape().y != tracks->shape().y)
        throw Error("'" + segmentation_path + "' (" + std::to_string(frame_count(*seg)) + " frames of " +
                    std::to_string(seg->shape().x) + "x" + std::to_string(seg->shape().y) + ") does not match '" +
                    tracks_path + "' (" + std::to_string(frames) + " frames of " + std::to_string(tracks->shape().x) +
                    "x" + std::to_string(tracks->shape().y) + ")");
    auto plane32 = [&](VideoReader& v, std::int64_t t, const std::string& path) {
        Image p = v.read_plane(t);
        cv::Mat m = p.dtype() == DType::U32 ? p.converted(DType::F32).plane_mat(0) : p.plane_mat(0);
        return to_label_plane(m, "'" + path + "' frame " + std::to_string(t));
    };
    // A first pass finds the largest track label: 16-bit output when it fits, else 32-bit.
    double max_label = 0;
    for (std::int64_t t = 0; t < frames; ++t) {
        double m = 0;
        cv::minMaxLoc(plane32(*tracks, t, tracks_path), nullptr, &m);
        max_label = std::max(max_label, m);
    }
    const DType out_type = max_label > 65535 ? DType::U32 : DType::U16;
    TiffWriteOptions opts;
    opts.compression = Compression::LZW;
    TiffWriter w(output_path, Shape{frames, 1, 1, tracks->shape().y, tracks->shape().x}, out_type,
                 seg->calibration(), opts);
    for (std::int64_t t = 0; t < frames; ++t) {
        check_cancel(progress);
        Image s = seg->read_plane(t);
        cv::Mat mask = s.dtype() == DType::U32 ? cv::Mat(s.converted(DType::F32).plane_mat(0) != 0)
                                               : cv::Mat(s.plane_mat(0) != 0);
        cv::Mat merged = merge_tracks_frame(plane32(*tracks, t, tracks_path), mask);
        if (out_type == DType::U16) {
            cv::Mat m16;
            merged.convertTo(m16, CV_16U);
            w.write_page(m16.data);
        } else {
            w.write_page(merged.data);  // non-negative int32 bits are the same uint32 values
        }
        report(progress, "merge", t + 1, frames);
    }
    w.close();
}

}  // namespace nativeseg
