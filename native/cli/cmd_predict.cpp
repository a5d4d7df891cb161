// `nativeseg predict`: run a model on an image, stack, volume or video (the `segment` job).
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "console.h"
#include "nativeseg/segment.h"
#include "schema_options.h"

namespace nativeseg::cli {

void add_predict_command(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "predict",
        "Run a model (bioimage.io package with TorchScript weights) on an image, stack, volume or video and write "
        "probabilities, classes, a mask or per-frame labels as an ImageJ hyperstack");
    struct Args {
        std::string model, input, output;
        bool json = false;
        SettingValues values;
    };
    auto a = std::make_shared<Args>();
    sub->add_option("--model", a->model, "Model folder (rdf.yaml + TorchScript weights) or model id")->required();
    sub->add_option("--input", a->input, "Image, stack or video: .tif file, folder of frames, or .png")->required();
    sub->add_option("--output", a->output, "Output TIFF (ImageJ hyperstack with the input's calibration)")->required();
    sub->add_flag("--json", a->json, "Print the run's report (device, tiles, timing, notes) as JSON");
    add_schema_options(*sub, "predict", a->values);
    sub->callback([a] {
        SegmentOptions options = segment_options(a->values);
        options.model = a->model;
        ConsoleProgress& progress = console_progress();
        options.log = [&progress](const std::string& note) {
            progress.finish_line();
            std::cout << "note: " << note << "\n" << std::flush;
        };
        const nlohmann::json report = segment(a->input, a->output, options, &progress);
        progress.finish_line();
        if (a->json) {
            std::cout << report.dump(2) << "\n";
            return;
        }
        std::cout << "wrote " << a->output << " (" << report["frames"].get<std::int64_t>() << " frame(s), "
                  << report["output_type"].get<std::string>() << ", " << report["seconds"].get<double>() << " s, "
                  << report["frames_per_second"].get<double>() << " frames/s)\n";
    });
}

}  // namespace nativeseg::cli
