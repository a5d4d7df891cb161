// `nativeseg convert`: folder of frames ⇄ hyperstack, any pixel type and compression.
#include <iostream>

#include "commands.h"
#include "console.h"
#include "nativeseg/convert.h"
#include "nativeseg/error.h"
#include "schema_options.h"

namespace nativeseg::cli {

void add_convert_command(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "convert", "Convert between a TIFF (hyperstack or multi-page), a folder of frames (t000.tif, ...) and PNG");
    struct Args {
        std::string input, output, out, prefix = "t";
        SettingValues values;
    };
    auto a = std::make_shared<Args>();
    sub->add_option("--input", a->input, "Image, stack or video: .tif file, folder of frames, or .png")->required();
    auto* out_file = sub->add_option("--output", a->output, "Write one TIFF file (ImageJ hyperstack)");
    auto* out_dir = sub->add_option("--out", a->out, "Write a folder of one TIFF per frame");
    out_file->excludes(out_dir);
    sub->add_option("--prefix", a->prefix, "File name prefix of the frames written with --out")->capture_default_str();
    add_schema_options(*sub, "convert", a->values);
    sub->callback([a] {
        if (a->output.empty() == a->out.empty()) throw Error("give exactly one of --output FILE or --out DIR");
        const ConvertOptions options = convert_options(a->values);
        ConsoleProgress& progress = console_progress();
        if (!a->output.empty()) convert_to_tiff(a->input, a->output, options, &progress);
        else convert_to_folder(a->input, a->out, options, a->prefix, &progress);
        progress.finish_line();
        std::cout << "wrote " << (a->output.empty() ? a->out : a->output) << "\n";
    });
}

}  // namespace nativeseg::cli
