// `nativeseg train`: trains a network on image/label data and writes a model package.
#include <iostream>

#include "commands.h"
#include "console.h"
#include "nativeseg/train_config.h"
#include "schema_options.h"

namespace nativeseg::cli {

void add_train_command(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "train",
        "Train a segmentation network (settings from --config train.yaml and/or flags); checkpoints every epoch, "
        "resumes after an interruption, and writes a model package into --out when training ends");
    struct Args {
        std::string config;
        SettingValues values;
    };
    auto a = std::make_shared<Args>();
    sub->add_option("--config", a->config, "YAML file with training settings (docs/training.md); flags override it");
    add_schema_options(*sub, "train", a->values);
    sub->callback([a] {
        if (!a->config.empty()) apply_train_config(a->config, a->values);
        TrainOptions o = train_options(a->values);
        ConsoleProgress& progress = console_progress();
        o.log = [&progress](const std::string& s) {
            progress.finish_line();
            std::cerr << s << std::endl;
        };
        const TrainResult r = train_model(o, &progress);
        progress.finish_line();
        if (!r.finished) {
            std::cout << "stopped after epoch " << (r.history.empty() ? 0 : r.history.back().epoch)
                      << " (max_minutes); wrote the best network so far to " << o.out
                      << "; run the same command again to continue\n";
            return;
        }
        std::cout << "trained " << r.history.size() << " epochs" << (r.stopped_early ? " (early stop)" : "")
                  << "; best epoch " << r.best_epoch << ", " << r.score_name << " " << r.best_score << "\nwrote "
                  << o.out << "\n";
    });
}

}  // namespace nativeseg::cli
