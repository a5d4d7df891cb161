// `nativeseg simulate`: a synthetic cell video with ground truth in the CTC layout.
#include <iostream>
#include <map>

#include "commands.h"
#include "console.h"
#include "nativeseg/atomic_file.h"
#include "nativeseg/simulate.h"
#include "schema_options.h"

namespace nativeseg::cli {

void add_simulate_command(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "simulate",
        "Write a synthetic cell video with exact ground truth: DIR/01 (frames), DIR/01_GT (CTC ground truth), "
        "DIR/video.tif (ImageJ hyperstack), DIR/events.json");
    struct Args {
        std::string out;
        SettingValues values;
    };
    auto a = std::make_shared<Args>();
    sub->add_option("--out", a->out, "Output folder")->required();
    add_schema_options(*sub, "simulate", a->values);
    sub->callback([a] {
        const SimulationParams params = simulation_params(a->values);
        ensure_writable_dir(a->out);  // fail before the work, not after it
        ConsoleProgress& progress = console_progress();
        const Simulation sim = simulate(params, &progress);
        write_simulation(a->out, sim, &progress);
        progress.finish_line();
        std::map<std::string, int> counts;
        for (const SimEvent& e : sim.events) counts[sim_event_name(e.type)]++;
        std::cout << "simulated " << params.frames << " frames of " << params.width << "x" << params.height << ", "
                  << sim.tracks.size() << " tracks";
        for (const auto& [name, n] : counts) std::cout << ", " << n << " " << name;
        std::cout << "\nwrote " << a->out << "\n";
    });
}

}  // namespace nativeseg::cli
