#pragma once
// Each subcommand of `nativeseg` registers itself on the app. Commands only translate
// between the command line and the core API; the work is done in the core.
#include <CLI/CLI.hpp>

namespace nativeseg::cli {

void add_info_command(CLI::App& app);
void add_settings_command(CLI::App& app);
void add_simulate_command(CLI::App& app);
void add_convert_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_model_commands(CLI::App& app);  // validate-model, model-info
void add_evaluate_command(CLI::App& app);
void add_track_command(CLI::App& app);
void add_segment_video_command(CLI::App& app);
void add_merge_tracks_command(CLI::App& app);
void add_train_command(CLI::App& app);

}  // namespace nativeseg::cli
