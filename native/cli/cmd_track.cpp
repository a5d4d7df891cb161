// `nativeseg track` (label video → tracks and exports) and `nativeseg merge-tracks`.
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "console.h"
#include "nativeseg/error.h"
#include "nativeseg/video_job.h"
#include "schema_options.h"

namespace nativeseg::cli {

void add_track_command(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "track", "Track the objects of a label or mask video made by any tool: labels.tif, tracks.tif, TrackMate XML, "
                 "CTC results and report.json in DIR");
    struct Args {
        std::string labels, masks, image, out, name = "tracks";
        SettingValues values;
    };
    auto a = std::make_shared<Args>();
    auto* labels = sub->add_option("--labels", a->labels,
                                   "Label video (TIFF or folder of frames): one integer label per object, taken as is");
    auto* masks = sub->add_option("--masks", a->masks,
                                  "Mask video (non-zero = foreground): cleaned up, gap-filled and labelled first, as "
                                  "segment-video does with the network's output");
    labels->excludes(masks);
    sub->add_option("--image", a->image, "The raw video, for intensity features and for TrackMate to show");
    sub->add_option("--out", a->out, "Output folder")->required();
    sub->add_option("--name", a->name, "Base name of the TrackMate file")->capture_default_str();
    add_schema_options(*sub, "track", a->values);
    sub->callback([a] {
        VideoJobOptions o = video_job_options(a->values, "track");
        o.name = a->name;
        ConsoleProgress& progress = console_progress();
        if (a->labels.empty() == a->masks.empty()) throw Error("give exactly one of --labels or --masks");
        const nlohmann::json r =
            a->labels.empty()
                ? track_video_file(a->masks, VideoJobInput::Kind::Masks, a->image, a->out, o, &progress)
                : track_video_file(a->labels, VideoJobInput::Kind::Labels, a->image, a->out, o, &progress);
        progress.finish_line();
        const auto& c = r["counts"];
        std::cout << "tracked " << r["input"]["frames"] << " frames: " << c["spots"] << " objects, " << c["tracks"]
                  << " tracks, " << c["divisions"] << " divisions, " << c["gap_closing_links"]
                  << " gap-closing links\nwrote " << a->out << "\n";
        for (const auto& n : r["notes"]) std::cout << "note: " << n.get<std::string>() << "\n";
    });
}

void add_merge_tracks_command(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "merge-tracks", "Give the objects of a segmentation the identities of a track label video (e.g. TrackMate's "
                        "label export): each track takes the whole segmented object it overlaps most");
    struct Args {
        std::string tracks, segmentation, output;
    };
    auto a = std::make_shared<Args>();
    sub->add_option("--tracks", a->tracks, "Track label video (one label per track)")->required();
    sub->add_option("--segmentation", a->segmentation, "The original segmentation (masks or labels)")->required();
    sub->add_option("--output", a->output, "Output label video (TIFF)")->required();
    sub->callback([a] {
        ConsoleProgress& progress = console_progress();
        merge_tracks_video(a->tracks, a->segmentation, a->output, &progress);
        progress.finish_line();
        std::cout << "wrote " << a->output << "\n";
    });
}

}  // namespace nativeseg::cli
