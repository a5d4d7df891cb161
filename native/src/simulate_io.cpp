// Writes a simulation in the Cell Tracking Challenge layout, plus the whole raw video as one
// ImageJ hyperstack and the event list as JSON.
#include <fstream>

#include <nlohmann/json.hpp>

#include "nativeseg/atomic_file.h"
#include "nativeseg/ctc.h"
#include "nativeseg/error.h"
#include "nativeseg/simulate.h"
#include "nativeseg/tiff_io.h"

namespace nativeseg {

namespace {

nlohmann::ordered_json params_json(const SimulationParams& p) {
    return nlohmann::ordered_json{{"frames", p.frames},
                          {"width", p.width},
                          {"height", p.height},
                          {"cells", p.cells},
                          {"seed", p.seed},
                          {"modality", modality_name(p.modality)},
                          {"cell_radius", p.cell_radius},
                          {"motion_step", p.motion_step},
                          {"drift_x", p.drift_x},
                          {"drift_y", p.drift_y},
                          {"division_rate", p.division_rate},
                          {"blink_rate", p.blink_rate},
                          {"enter_rate", p.enter_rate},
                          {"noise", p.noise},
                          {"blur", p.blur},
                          {"pixel_size", p.pixel_size},
                          {"frame_interval", p.frame_interval}};
}

void write_json(const std::string& path, const nlohmann::ordered_json& j) {
    AtomicOutput out(path);
    {
        std::ofstream f(out.temp_path());
        if (!f) throw Error("cannot write '" + path + "'");
        f << j.dump(2) << '\n';
        f.flush();
        if (!f) throw Error("error while writing '" + path + "'");
    }
    out.commit();
}

}  // namespace

void write_simulation(const std::string& dir, const Simulation& sim, Progress* progress) {
    if (sim.raw.empty() || sim.labels.empty() || sim.raw.shape() != sim.labels.shape())
        throw Error("write_simulation: the simulation holds no video (or raw and labels differ in shape)");
    const std::string raw_dir = dir + "/01";
    const std::string tra_dir = dir + "/01_GT/TRA";
    const std::string seg_dir = dir + "/01_GT/SEG";
    for (const std::string& d : {dir, raw_dir, tra_dir, seg_dir}) ensure_writable_dir(d);

    TiffWriteOptions lzw;
    lzw.compression = Compression::LZW;
    const std::int64_t frames = sim.raw.shape().t;
    // Frames, then video.tif: one unit each for the progress bar.
    for (std::int64_t t = 0; t < frames; ++t) {
        check_cancel(progress);
        write_tiff(raw_dir + "/" + ctc_frame_name("t", t, frames), sim.raw.plane_copy(t), lzw);
        const Image mask = sim.labels.plane_copy(t);
        write_tiff(tra_dir + "/" + ctc_frame_name("man_track", t, frames), mask, lzw);
        write_tiff(seg_dir + "/" + ctc_frame_name("man_seg", t, frames), mask, lzw);
        report(progress, "write", t + 1, frames + 1);
    }
    write_ctc_tracks(tra_dir + "/man_track.txt", sim.tracks);
    write_tiff(dir + "/video.tif", sim.raw, lzw);

    nlohmann::ordered_json events = nlohmann::ordered_json::array();
    for (const SimEvent& e : sim.events)
        events.push_back({{"type", sim_event_name(e.type)}, {"frame", e.frame}, {"label", e.label}, {"length", e.length}});
    write_json(dir + "/events.json", nlohmann::ordered_json{{"parameters", params_json(sim.params)}, {"events", events}});
    report(progress, "write", frames + 1, frames + 1);
}

}  // namespace nativeseg
