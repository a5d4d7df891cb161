// `nativeseg`: the command-line face of the core. Exit code 0 on success; on failure a
// one-line error on stderr and a non-zero code (1: the job failed, 2: bad command line,
// 130: cancelled).
#include <csignal>
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "nativeseg/error.h"
#include "nativeseg/version.h"

int main(int argc, char** argv) {
    CLI::App app{"NativeSeg " NATIVESEG_VERSION
                 ": deep-learning segmentation and tracking of microscopy images and videos",
                 "nativeseg"};
    app.require_subcommand(1);
    app.set_version_flag("--version", NATIVESEG_VERSION);
    app.failure_message(CLI::FailureMessage::help);

    nativeseg::cli::add_info_command(app);
    nativeseg::cli::add_settings_command(app);
    nativeseg::cli::add_simulate_command(app);
    nativeseg::cli::add_convert_command(app);
    nativeseg::cli::add_predict_command(app);
    nativeseg::cli::add_model_commands(app);
    nativeseg::cli::add_evaluate_command(app);
    nativeseg::cli::add_segment_video_command(app);
    nativeseg::cli::add_track_command(app);
    nativeseg::cli::add_merge_tracks_command(app);
    nativeseg::cli::add_train_command(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
        std::fprintf(stderr, "nativeseg: error: %s (see --help)\n", e.what());
        return 2;
    } catch (const nativeseg::Cancelled&) {
        std::fprintf(stderr, "nativeseg: cancelled\n");
        return 130;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nativeseg: error: %s\n", e.what());
        return 1;
    } catch (...) {
        std::fprintf(stderr, "nativeseg: error: unknown failure\n");
        return 1;
    }
    return 0;
}
