#pragma once
// Synthetic cell videos with exact ground truth, for tests, the demo and model training.
// Cells move (random walk plus drift), touch, divide, enter and leave the field, and
// blink: for a few frames a cell dims almost to the background while it stays in the
// ground truth (the case temporal gap filling exists for).
#include <cstdint>
#include <string>
#include <vector>

#include "nativeseg/ctc.h"
#include "nativeseg/image.h"
#include "nativeseg/progress.h"
#include "nativeseg/settings.h"

namespace nativeseg {

enum class Modality { Fluorescence, Phase };

/// Simulation parameters. Their defaults, ranges and help live in the settings schema
/// (group "simulation"); build them with simulation_params().
struct SimulationParams {
    int frames = 0;
    int width = 0;
    int height = 0;
    int cells = 0;                // cells in the first frame
    std::uint64_t seed = 0;
    Modality modality = Modality::Fluorescence;
    double cell_radius = 0;       // mean radius, pixels
    double motion_step = 0;       // random-walk standard deviation per frame, pixels
    double drift_x = 0;           // drift per frame, pixels
    double drift_y = 0;
    double division_rate = 0;     // probability per cell and frame
    double blink_rate = 0;        // probability per cell and frame to start a 1-5 frame blink
    double enter_rate = 0;        // expected cells entering through the border per frame
    double noise = 0;             // noise strength (1 = default realism)
    double blur = 0;              // Gaussian blur sigma, pixels
    double pixel_size = 0;        // µm per pixel, written into the calibration
    double frame_interval = 0;    // minutes between frames
};

/// Parameters from setting values (keys of the "simulation" group).
SimulationParams simulation_params(const SettingValues& values);
/// The schema defaults.
SimulationParams default_simulation_params();
/// Error naming the first parameter that is out of range (simulate() calls it).
void check_simulation_params(const SimulationParams& params);

/// "fluo" or "phase" (the values of the `modality` setting), and the inverse (Error if unknown).
const char* modality_name(Modality m);
Modality modality_from_name(const std::string& name);

enum class SimEventType { Enter, Leave, Divide, Blink };

struct SimEvent {
    SimEventType type;
    std::int64_t frame;      // enter: first frame; leave: last frame; divide: mother's last frame; blink: first dim frame
    std::uint32_t label;     // the track concerned (the mother for Divide)
    std::int64_t length = 0; // blink: number of dim frames
};

const char* sim_event_name(SimEventType t);

struct Simulation {
    Image raw;        // T x Y x X, uint16, calibrated
    Image labels;     // T x Y x X, uint16 track labels (full masks)
    std::vector<CtcTrack> tracks;
    std::vector<SimEvent> events;
    SimulationParams params;  // what it was made with (written to events.json)
};

/// Deterministic for a given params (seed included).
Simulation simulate(const SimulationParams& params, Progress* progress = nullptr);

/// Writes DIR/01/tNNN.tif, DIR/01_GT/TRA/man_trackNNN.tif + man_track.txt,
/// DIR/01_GT/SEG/man_segNNN.tif, DIR/video.tif (ImageJ hyperstack) and DIR/events.json.
void write_simulation(const std::string& dir, const Simulation& sim, Progress* progress = nullptr);

}  // namespace nativeseg
