// `nativeseg evaluate`: a result against ground truth (CTC, semantic or instance measures), or
// the CTC validity check of a result alone (--validate).
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "console.h"
#include "nativeseg/error.h"
#include "nativeseg/evaluate.h"
#include "schema_options.h"

namespace nativeseg::cli {

void add_evaluate_command(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "evaluate",
        "Compare a result with ground truth: Cell Tracking Challenge SEG/DET/TRA (--kind ctc), pixel scores and "
        "ISBI Rand/information scores (--kind semantic), or object matching by IoU (--kind instance)");
    struct Args {
        std::string gt, res, gt_tracks, res_tracks, csv;
        bool json = false, validate = false;
        SettingValues values;
    };
    auto a = std::make_shared<Args>();
    auto* gt = sub->add_option("--gt", a->gt,
                               "Ground truth: a CTC 01_GT folder (TRA/, SEG/), a folder of label frames, or a "
                               "label/mask image or video (TIFF)");
    sub->add_option("--res", a->res,
                    "Result: a CTC 01_RES folder (maskTTT.tif + res_track.txt), a folder of frames, or an "
                    "image/video (TIFF)")
        ->required();
    sub->add_option("--gt-tracks", a->gt_tracks,
                    "Track file of the ground truth (default: TRA/man_track.txt, or man_track.txt in the folder)");
    sub->add_option("--res-tracks", a->res_tracks, "Track file of the result (default: res_track.txt in the folder)");
    sub->add_flag("--json", a->json, "Print the results as JSON (for scripts)");
    sub->add_option("--csv", a->csv, "Also write per-frame values to this CSV file");
    sub->add_flag("--validate", a->validate,
                  "Only check that the result follows the Cell Tracking Challenge rules (no --gt needed); "
                  "lists every broken rule and fails when there is one")
        ->excludes(gt);
    add_schema_options(*sub, "evaluate", a->values);
    sub->callback([a] {
        ConsoleProgress& progress = console_progress();
        if (a->validate) {
            const std::vector<std::string> problems = validate_ctc_result(a->res, a->res_tracks, &progress);
            progress.finish_line();
            if (a->json) {
                std::cout << nlohmann::json{{"res", a->res}, {"valid", problems.empty()}, {"problems", problems}}.dump(2)
                          << "\n";
            } else if (problems.empty()) {
                std::cout << "'" << a->res << "' follows the Cell Tracking Challenge rules\n";
            } else {
                for (const std::string& p : problems) std::cout << "  - " << p << "\n";
            }
            std::cout.flush();
            if (!problems.empty())
                throw Error("result '" + a->res + "' breaks " + std::to_string(problems.size()) + " CTC rule" +
                            (problems.size() == 1 ? "" : "s") + " (listed above)");
            return;
        }
        if (a->gt.empty()) throw Error("--gt is required (or --validate to check a result alone)");
        EvaluateOptions options = evaluate_options(a->values);
        options.gt = a->gt;
        options.res = a->res;
        options.gt_tracks = a->gt_tracks;
        options.res_tracks = a->res_tracks;
        options.csv = a->csv;
        EvaluationReport report = evaluate(options, &progress);
        progress.finish_line();
        if (a->json) {
            report.json["settings"] = a->values.to_json("evaluate");
            std::cout << report.json.dump(2) << "\n";
            return;
        }
        std::cout << report.table;
        if (!report.problems.empty()) {
            std::cout << "\n  notes:\n";
            for (const std::string& p : report.problems) std::cout << "  - " << p << "\n";
        }
        if (!a->csv.empty()) std::cout << "\nwrote " << a->csv << "\n";
    });
}

}  // namespace nativeseg::cli
