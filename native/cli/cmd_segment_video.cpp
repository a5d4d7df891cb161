// `nativeseg segment-video`: the main job, video → instance labels, tracks, TrackMate XML,
// CTC results and report.json.
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "console.h"
#include "nativeseg/segment_video.h"
#include "schema_options.h"

namespace nativeseg::cli {

void add_segment_video_command(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "segment-video",
        "Segment and track a video: instance labels with temporal gap filling, tracks, TrackMate XML, CTC results "
        "and report.json in DIR");
    struct Args {
        std::string model = "nuclei-fluo", input, out, name;
        SettingValues values;
    };
    auto a = std::make_shared<Args>();
    sub->add_option("--model", a->model, "Model folder or id (looked up in $NATIVESEG_MODELS and the installed models)")
        ->capture_default_str();
    sub->add_option("--input", a->input, "Video: TIFF (hyperstack or multi-page) or folder of frames")->required();
    sub->add_option("--out", a->out, "Output folder")->required();
    sub->add_option("--name", a->name, "Base name of the TrackMate file (default: the input's name)");
    add_schema_options(*sub, "segment-video", a->values);
    sub->callback([a] {
        SegmentOptions so = segment_options(a->values);
        so.model = a->model;
        ConsoleProgress& progress = console_progress();
        so.log = [&progress](const std::string& s) {
            progress.finish_line();
            std::cerr << "note: " << s << "\n";
        };
        VideoJobOptions vo = video_job_options(a->values, "segment-video");
        vo.name = a->name.empty() ? std::filesystem::path(a->input).stem().string() : a->name;
        if (vo.name.empty()) vo.name = "tracks";
        const nlohmann::json r = segment_video(a->input, a->out, so, vo, &progress);
        progress.finish_line();
        const auto& c = r["counts"];
        std::cout << "segmented and tracked " << r["input"]["frames"] << " frames: " << c["spots"] << " objects, "
                  << c["tracks"] << " tracks, " << c["divisions"] << " divisions, " << c["gap_closing_links"]
                  << " gap-closing links\nwrote " << a->out << "\n";
        for (const auto& n : r["notes"]) std::cout << "note: " << n.get<std::string>() << "\n";
    });
}

}  // namespace nativeseg::cli
