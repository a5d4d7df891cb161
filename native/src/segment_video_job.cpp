#include "nativeseg/segment_video.h"

#include <filesystem>
#include <fstream>

#include "nativeseg/atomic_file.h"
#include "nativeseg/error.h"
#include "nativeseg/video_io.h"

namespace fs = std::filesystem;

namespace nativeseg {

namespace {

// report.json: the tracking report with the segmentation's report inside it.
nlohmann::json finish_report(nlohmann::json report, const std::string& input, const nlohmann::json& seg,
                             const std::string& out_dir) {
    report["input"]["video"] = input;
    report["input"].erase("masks");
    report["segmentation"] = seg;
    AtomicOutput out((fs::path(out_dir) / "report.json").string());
    {
        std::ofstream f(out.temp_path());
        f << report.dump(2) << "\n";
        if (!f) throw Error("cannot write '" + out.final_path() + "'");
    }
    out.commit();
    return report;
}

}  // namespace

nlohmann::json segment_video(const std::string& input, const std::string& out_dir, const SegmentOptions& segment_opts,
                             const VideoJobOptions& video_opts, Progress* progress) {
    // Bad input fails before the model is loaded.
    auto video = open_video(input);
    ensure_writable_dir(out_dir);
    const Model model(segment_opts.model);
    return segment_video(model, *video, input, input, out_dir, segment_opts, video_opts, progress);
}

nlohmann::json segment_video(const Model& model, VideoReader& input, const std::string& input_name,
                             const std::string& raw_path, const std::string& out_dir,
                             const SegmentOptions& segment_opts, const VideoJobOptions& video_opts,
                             Progress* progress) {
    const Shape raw_shape = input.shape();
    ensure_writable_dir(out_dir);
    struct TempFile {
        std::string path;
        ~TempFile() {
            std::error_code ec;
            fs::remove(path, ec);
        }
    } masks{(fs::path(out_dir) / ".segment-video-masks.tif").string()};

    SegmentOptions so = segment_opts;
    so.output = OutputType::Mask;
    so.tiff.compression = Compression::LZW;
    const nlohmann::json seg = segment(model, input, input_name, masks.path, so, progress);

    // The raw video gives intensity features and is what TrackMate shows (a folder of frames
    // is saved as a hyperstack beside the XML); multi-channel or 3-D videos are not shown.
    const bool raw_usable = raw_shape.c == 1 && (raw_shape.z == 1 || raw_shape.t == 1);
    auto mask_video = open_video(masks.path);
    nlohmann::json report = track_video(*mask_video, masks.path, VideoJobInput::Kind::Masks,
                                        raw_usable ? &input : nullptr, raw_usable ? raw_path : std::string(), out_dir,
                                        video_opts, progress);
    return finish_report(report, input_name, seg, out_dir);
}

}  // namespace nativeseg
