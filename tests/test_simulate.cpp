// The cell-video simulator: determinism, CTC-valid ground truth, the events it reports,
// realistic intensities, and the CTC folder it writes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nativeseg/ctc.h"
#include "nativeseg/error.h"
#include "nativeseg/simulate.h"
#include "nativeseg/tiff_io.h"

namespace fs = std::filesystem;
using namespace nativeseg;

namespace {

// The schema's defaults, spelled out so these tests do not depend on the settings module.
SimulationParams params(std::uint64_t seed, int frames = 60, int width = 512, int height = 512) {
    SimulationParams p;
    p.frames = frames;
    p.width = width;
    p.height = height;
    p.cells = 20;
    p.seed = seed;
    p.modality = Modality::Fluorescence;
    p.cell_radius = 14;
    p.motion_step = 2;
    p.drift_x = 0.5;
    p.drift_y = 0.2;
    p.division_rate = 0.01;
    p.blink_rate = 0.01;
    p.enter_rate = 0.05;
    p.noise = 1;
    p.blur = 1.5;
    p.pixel_size = 0.25;
    p.frame_interval = 5;
    return p;
}

std::vector<std::vector<std::uint32_t>> frame_labels(const Image& labels) {
    std::vector<std::vector<std::uint32_t>> out;
    for (std::int64_t t = 0; t < labels.shape().t; ++t) out.push_back(labels_in_plane(labels.plane_copy(t)));
    return out;
}

void expect_valid(const Simulation& sim, const std::string& what) {
    const std::vector<std::string> problems = ctc_validate(sim.tracks, frame_labels(sim.labels));
    EXPECT_TRUE(problems.empty()) << what << ": " << problems.size() << " problems, first: " << problems[0];
}

const CtcTrack* find_track(const Simulation& sim, std::uint32_t label) {
    for (const CtcTrack& t : sim.tracks)
        if (t.label == label) return &t;
    return nullptr;
}

// Pixels of one label in frame t, as (x, y).
std::vector<std::pair<int, int>> mask_pixels(const Simulation& sim, std::int64_t t, std::uint32_t label) {
    std::vector<std::pair<int, int>> px;
    const std::uint16_t* lab = sim.labels.plane<std::uint16_t>(t);
    const int w = static_cast<int>(sim.labels.shape().x), h = static_cast<int>(sim.labels.shape().y);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            if (lab[y * w + x] == label) px.emplace_back(x, y);
    return px;
}

// Distance in pixels from the mask to the nearest image edge (0 = touches it).
int distance_to_border(const Simulation& sim, const std::vector<std::pair<int, int>>& px) {
    const int w = static_cast<int>(sim.labels.shape().x), h = static_cast<int>(sim.labels.shape().y);
    int best = std::max(w, h);
    for (auto [x, y] : px) best = std::min({best, x, y, w - 1 - x, h - 1 - y});
    return best;
}

double mean_raw(const Simulation& sim, std::int64_t t, const std::vector<std::pair<int, int>>& px) {
    const std::uint16_t* raw = sim.raw.plane<std::uint16_t>(t);
    const int w = static_cast<int>(sim.raw.shape().x);
    double sum = 0;
    for (auto [x, y] : px) sum += raw[y * w + x];
    return px.empty() ? 0.0 : sum / static_cast<double>(px.size());
}

double mean_background(const Simulation& sim, std::int64_t t) {
    const std::uint16_t* raw = sim.raw.plane<std::uint16_t>(t);
    const std::uint16_t* lab = sim.labels.plane<std::uint16_t>(t);
    double sum = 0;
    std::int64_t n = 0;
    for (std::int64_t i = 0; i < sim.raw.shape().plane_pixels(); ++i)
        if (lab[i] == 0) sum += raw[i], ++n;
    return sum / static_cast<double>(n);
}

std::map<SimEventType, int> count_events(const Simulation& sim) {
    std::map<SimEventType, int> n;
    for (const SimEvent& e : sim.events) ++n[e.type];
    return n;
}

// The default-settings video the event tests look at (seed picked once, fixed).
const Simulation& reference_video() {
    static const Simulation sim = simulate(params(1));
    return sim;
}

class RecordingProgress : public Progress {
public:
    void report(const std::string& stage, std::int64_t done, std::int64_t total, const std::string&) override {
        calls.push_back({stage, done, total});
        if (cancel_at > 0 && done == cancel_at) cancel_token().cancel();
    }
    struct Call {
        std::string stage;
        std::int64_t done, total;
    };
    std::vector<Call> calls;
    std::int64_t cancel_at = 0;
};

}  // namespace

TEST(Simulate, SameSeedSameVideoOtherSeedOtherVideo) {
    const SimulationParams p = params(7, 20, 200, 160);
    const Simulation a = simulate(p);
    const Simulation b = simulate(p);
    ASSERT_EQ(a.raw.byte_size(), b.raw.byte_size());
    EXPECT_EQ(std::memcmp(a.raw.bytes(), b.raw.bytes(), a.raw.byte_size()), 0);
    EXPECT_EQ(std::memcmp(a.labels.bytes(), b.labels.bytes(), a.labels.byte_size()), 0);
    EXPECT_EQ(a.tracks, b.tracks);
    ASSERT_EQ(a.events.size(), b.events.size());

    SimulationParams q = p;
    q.seed = 8;
    const Simulation c = simulate(q);
    EXPECT_NE(std::memcmp(a.raw.bytes(), c.raw.bytes(), a.raw.byte_size()), 0);
    EXPECT_NE(std::memcmp(a.labels.bytes(), c.labels.bytes(), a.labels.byte_size()), 0);
}

TEST(Simulate, ShapeTypeAndCalibration) {
    const Simulation sim = simulate(params(3, 5, 120, 80));
    for (const Image* img : {&sim.raw, &sim.labels}) {
        EXPECT_EQ(img->shape(), (Shape{5, 1, 1, 80, 120}));
        EXPECT_EQ(img->dtype(), DType::U16);
        EXPECT_DOUBLE_EQ(img->calibration().pixel_width, 0.25);
        EXPECT_DOUBLE_EQ(img->calibration().pixel_height, 0.25);
        EXPECT_EQ(img->calibration().unit, "micron");
        EXPECT_DOUBLE_EQ(img->calibration().frame_interval, 5.0);
        EXPECT_EQ(img->calibration().time_unit, "min");
    }
    EXPECT_EQ(sim.params.seed, 3u);
}

TEST(Simulate, GroundTruthIsCtcValidForSeveralSeedsAndSizes) {
    for (std::uint64_t seed : {1, 2, 3}) {
        expect_valid(simulate(params(seed)), "default, seed " + std::to_string(seed));
        expect_valid(simulate(params(seed, 30, 96, 64)), "96x64, seed " + std::to_string(seed));
    }
    // Harder: crowded, fast, many divisions and arrivals, strong drift, small cells, phase.
    SimulationParams busy = params(5, 40, 160, 120);
    busy.cells = 60;
    busy.cell_radius = 6;
    busy.motion_step = 4;
    busy.drift_x = -3;
    busy.drift_y = 2;
    busy.division_rate = 0.08;
    busy.blink_rate = 0.1;
    busy.enter_rate = 1.5;
    busy.modality = Modality::Phase;
    expect_valid(simulate(busy), "busy");
    // Overfull: more cells than fit; every cell must still keep a pixel of its own.
    SimulationParams full = params(6, 10, 64, 64);
    full.cells = 120;
    full.cell_radius = 5;
    expect_valid(simulate(full), "overfull");
}

TEST(Simulate, LabelsAreTrackLabelsNeverReused) {
    const Simulation& sim = reference_video();
    std::set<std::uint32_t> labels;
    for (const CtcTrack& t : sim.tracks) {
        EXPECT_GE(t.label, 1u);
        EXPECT_LE(t.label, 65535u);
        EXPECT_TRUE(labels.insert(t.label).second) << "label " << t.label << " used twice";
    }
}

TEST(Simulate, DefaultVideoHasEveryEventType) {
    const auto n = count_events(reference_video());
    EXPECT_GE(n.count(SimEventType::Enter) ? n.at(SimEventType::Enter) : 0, 1);
    EXPECT_GE(n.count(SimEventType::Leave) ? n.at(SimEventType::Leave) : 0, 1);
    EXPECT_GE(n.count(SimEventType::Divide) ? n.at(SimEventType::Divide) : 0, 1);
    EXPECT_GE(n.count(SimEventType::Blink) ? n.at(SimEventType::Blink) : 0, 1);
    for (const SimEvent& e : reference_video().events) EXPECT_NE(find_track(reference_video(), e.label), nullptr);
}

TEST(Simulate, DivisionsHaveTwoDaughtersStartingAfterTheMother) {
    const Simulation& sim = reference_video();
    int divisions = 0;
    for (const SimEvent& e : sim.events) {
        if (e.type != SimEventType::Divide) continue;
        ++divisions;
        const CtcTrack* mother = find_track(sim, e.label);
        ASSERT_NE(mother, nullptr);
        EXPECT_EQ(mother->end, e.frame);
        int daughters = 0;
        for (const CtcTrack& t : sim.tracks)
            if (t.parent == mother->label) {
                ++daughters;
                EXPECT_EQ(t.begin, mother->end + 1) << "daughter " << t.label;
            }
        EXPECT_EQ(daughters, 2) << "mother " << mother->label;
    }
    EXPECT_GT(divisions, 0);
    // Every track with a parent comes from a division.
    for (const CtcTrack& t : sim.tracks) {
        if (t.parent == 0) continue;
        EXPECT_TRUE(std::any_of(sim.events.begin(), sim.events.end(), [&](const SimEvent& e) {
            return e.type == SimEventType::Divide && e.label == t.parent;
        })) << "track " << t.label;
    }
}

TEST(Simulate, LeavingCellsEndAtTheBorder) {
    const Simulation& sim = reference_video();
    for (const SimEvent& e : sim.events) {
        if (e.type != SimEventType::Leave) continue;
        const CtcTrack* t = find_track(sim, e.label);
        ASSERT_NE(t, nullptr);
        EXPECT_EQ(t->end, e.frame);
        EXPECT_LT(t->end, sim.raw.shape().t - 1);
        const auto px = mask_pixels(sim, e.frame, e.label);
        ASSERT_FALSE(px.empty());
        EXPECT_LE(distance_to_border(sim, px), 3) << "track " << e.label << " left from the middle of the field";
    }
}

TEST(Simulate, EnteringCellsStartAtTheBorderWithoutParent) {
    const Simulation& sim = reference_video();
    for (const SimEvent& e : sim.events) {
        if (e.type != SimEventType::Enter) continue;
        const CtcTrack* t = find_track(sim, e.label);
        ASSERT_NE(t, nullptr);
        EXPECT_EQ(t->parent, 0u);
        EXPECT_EQ(t->begin, e.frame);
        EXPECT_GT(t->begin, 0);
        EXPECT_EQ(distance_to_border(sim, mask_pixels(sim, e.frame, e.label)), 0) << "track " << e.label;
    }
}

TEST(Simulate, BlinkingCellsDimToBackgroundButStayLabelled) {
    const Simulation& sim = reference_video();
    std::map<std::uint32_t, std::set<std::int64_t>> dim;  // label -> dim frames
    for (const SimEvent& e : sim.events)
        if (e.type == SimEventType::Blink) {
            EXPECT_GE(e.length, 1);
            EXPECT_LE(e.length, 5);
            for (std::int64_t f = e.frame; f < e.frame + e.length; ++f) dim[e.label].insert(f);
        }
    ASSERT_FALSE(dim.empty());
    int checked = 0;
    for (const auto& [label, frames] : dim) {
        const CtcTrack* t = find_track(sim, label);
        ASSERT_NE(t, nullptr);
        // The cell's normal contrast over its frames in focus.
        double normal = 0;
        int normal_frames = 0;
        for (std::int64_t f = t->begin; f <= t->end; ++f) {
            if (frames.count(f)) continue;
            normal += mean_raw(sim, f, mask_pixels(sim, f, label)) - mean_background(sim, f);
            ++normal_frames;
        }
        ASSERT_GT(normal_frames, 0);
        normal /= normal_frames;
        EXPECT_GT(normal, 500.0) << "track " << label;
        for (std::int64_t f : frames) {
            ASSERT_GE(f, t->begin);
            ASSERT_LE(f, t->end) << "blink of track " << label << " outside its frames";
            const auto px = mask_pixels(sim, f, label);
            ASSERT_FALSE(px.empty()) << "track " << label << " lost its labels while blinking, frame " << f;
            const double contrast = mean_raw(sim, f, px) - mean_background(sim, f);
            EXPECT_LT(contrast, 0.2 * normal) << "track " << label << " frame " << f;
            ++checked;
        }
    }
    EXPECT_GT(checked, 0);
}

TEST(Simulate, FluorescenceIntensitiesAreRealistic) {
    const Simulation& sim = reference_video();
    const double background = mean_background(sim, 10);
    EXPECT_GT(background, 100.0);
    EXPECT_LT(background, 300.0);
    const std::uint16_t* raw = sim.raw.plane<std::uint16_t>(10);
    const std::uint16_t* lab = sim.labels.plane<std::uint16_t>(10);
    double sum = 0;
    std::int64_t n = 0;
    for (std::int64_t i = 0; i < sim.raw.shape().plane_pixels(); ++i)
        if (lab[i] != 0) sum += raw[i], ++n;
    ASSERT_GT(n, 0);
    EXPECT_GT(sum / n, 800.0);
    EXPECT_LT(sum / n, 3000.0);
}

TEST(Simulate, PhaseCellsAreDarkerThanBackground) {
    SimulationParams p = params(2, 3, 256, 256);
    p.modality = Modality::Phase;
    p.blink_rate = 0;
    const Simulation sim = simulate(p);
    const std::uint16_t* raw = sim.raw.plane<std::uint16_t>(2);
    const std::uint16_t* lab = sim.labels.plane<std::uint16_t>(2);
    double inside = 0, outside = 0;
    std::int64_t ni = 0, no = 0;
    for (std::int64_t i = 0; i < sim.raw.shape().plane_pixels(); ++i) {
        if (lab[i]) inside += raw[i], ++ni;
        else outside += raw[i], ++no;
    }
    ASSERT_GT(ni, 0);
    EXPECT_LT(inside / ni + 200, outside / no);
}

TEST(Simulate, CrowdedCellsTouch) {
    SimulationParams p = params(4, 10, 128, 128);
    p.cells = 40;
    p.cell_radius = 10;
    const Simulation sim = simulate(p);
    int touching = 0;
    for (std::int64_t t = 0; t < p.frames; ++t) {
        const std::uint16_t* lab = sim.labels.plane<std::uint16_t>(t);
        for (int y = 0; y < p.height; ++y)
            for (int x = 0; x + 1 < p.width; ++x) {
                const std::uint16_t a = lab[y * p.width + x], b = lab[y * p.width + x + 1];
                const std::uint16_t c = y + 1 < p.height ? lab[(y + 1) * p.width + x] : 0;
                touching += (a && b && a != b) + (a && c && a != c);
            }
    }
    EXPECT_GT(touching, 0);
    expect_valid(sim, "crowded");
}

TEST(Simulate, ReportsProgressPerFrameAndCancels) {
    RecordingProgress progress;
    simulate(params(1, 4, 64, 64), &progress);
    ASSERT_EQ(progress.calls.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(progress.calls[i].stage, "simulate");
        EXPECT_EQ(progress.calls[i].done, static_cast<std::int64_t>(i + 1));
        EXPECT_EQ(progress.calls[i].total, 4);
    }
    RecordingProgress cancelling;
    cancelling.cancel_at = 2;
    EXPECT_THROW(simulate(params(1, 10, 64, 64), &cancelling), Cancelled);
    EXPECT_EQ(cancelling.calls.size(), 2u);
}

TEST(Simulate, BadParametersAreNamed) {
    auto message = [](const SimulationParams& p) -> std::string {
        try {
            simulate(p);
        } catch (const Error& e) {
            return e.what();
        }
        return "";
    };
    EXPECT_NE(message(SimulationParams{}).find("frames"), std::string::npos);
    SimulationParams p = params(1, 5, 64, 64);
    p.division_rate = 1.5;
    EXPECT_NE(message(p).find("division_rate"), std::string::npos);
    p = params(1, 5, 64, 64);
    p.cell_radius = 0;
    EXPECT_NE(message(p).find("cell_radius"), std::string::npos);
    EXPECT_THROW(modality_from_name("brightfield"), Error);
    EXPECT_EQ(modality_from_name("phase"), Modality::Phase);
}

TEST(Simulate, DefaultParamsAreSane) {
    const SimulationParams p = default_simulation_params();
    EXPECT_NO_THROW(check_simulation_params(p));
    EXPECT_GE(p.frames, 10);
    EXPECT_GE(p.width, 64);
    EXPECT_GE(p.height, 64);
    EXPECT_GT(p.cells, 0);
    EXPECT_GT(p.cell_radius, 2.0);
    EXPECT_LT(p.cell_radius, p.width / 4.0);
    EXPECT_EQ(p.modality, Modality::Fluorescence);
    EXPECT_GT(p.division_rate, 0.0);
    EXPECT_GT(p.blink_rate, 0.0);
    EXPECT_GT(p.enter_rate, 0.0);
    EXPECT_GT(p.pixel_size, 0.0);
}

TEST(Simulate, WritesCtcLayoutThatReadsBack) {
    const fs::path dir = fs::path(NATIVESEG_TEST_TMP) / "simulate_write";
    fs::remove_all(dir);
    SimulationParams p = params(1, 12, 96, 80);
    p.enter_rate = 0.3;
    p.blink_rate = 0.05;
    const Simulation sim = simulate(p);
    write_simulation(dir.string(), sim);

    for (std::int64_t t = 0; t < p.frames; ++t) {
        const fs::path raw = dir / "01" / ctc_frame_name("t", t, p.frames);
        const fs::path tra = dir / "01_GT" / "TRA" / ctc_frame_name("man_track", t, p.frames);
        const fs::path seg = dir / "01_GT" / "SEG" / ctc_frame_name("man_seg", t, p.frames);
        const Image r = read_tiff(raw.string());
        ASSERT_EQ(r.dtype(), DType::U16) << raw;
        ASSERT_EQ(r.shape().planes(), 1) << raw;
        EXPECT_EQ(std::memcmp(r.bytes(), sim.raw.plane_bytes(t), sim.raw.plane_bytes()), 0) << raw;
        for (const fs::path& mask : {tra, seg}) {
            const Image m = read_tiff(mask.string());
            ASSERT_EQ(m.dtype(), DType::U16) << mask;
            EXPECT_EQ(std::memcmp(m.bytes(), sim.labels.plane_bytes(t), sim.labels.plane_bytes()), 0) << mask;
        }
        EXPECT_EQ(read_tiff_info(tra.string()).compression, Compression::LZW);
    }
    EXPECT_EQ(read_ctc_tracks((dir / "01_GT" / "TRA" / "man_track.txt").string()), [&] {
        auto sorted = sim.tracks;
        std::sort(sorted.begin(), sorted.end(), [](const CtcTrack& a, const CtcTrack& b) { return a.label < b.label; });
        return sorted;
    }());

    const TiffInfo video = read_tiff_info((dir / "video.tif").string());
    EXPECT_TRUE(video.imagej);
    EXPECT_EQ(video.shape, (Shape{12, 1, 1, 80, 96}));
    EXPECT_EQ(video.dtype, DType::U16);
    EXPECT_DOUBLE_EQ(video.calibration.pixel_width, 0.25);
    EXPECT_EQ(video.calibration.unit, "micron");
    EXPECT_DOUBLE_EQ(video.calibration.frame_interval, 5.0);
    const Image v = read_tiff((dir / "video.tif").string());
    EXPECT_EQ(std::memcmp(v.bytes(), sim.raw.bytes(), sim.raw.byte_size()), 0);

    std::ifstream in(dir / "events.json");
    const nlohmann::json j = nlohmann::json::parse(in);
    ASSERT_EQ(j.at("events").size(), sim.events.size());
    for (std::size_t i = 0; i < sim.events.size(); ++i) {
        const auto& e = j.at("events")[i];
        EXPECT_EQ(e.at("type").get<std::string>(), sim_event_name(sim.events[i].type));
        EXPECT_EQ(e.at("frame").get<std::int64_t>(), sim.events[i].frame);
        EXPECT_EQ(e.at("label").get<std::uint32_t>(), sim.events[i].label);
        EXPECT_EQ(e.at("length").get<std::int64_t>(), sim.events[i].length);
    }
    EXPECT_EQ(j.at("parameters").at("seed").get<std::uint64_t>(), 1u);
    EXPECT_EQ(j.at("parameters").at("modality").get<std::string>(), "fluo");
    EXPECT_EQ(j.at("parameters").at("frames").get<int>(), 12);

    // Nothing else (no temporary files) in the output folders.
    for (const auto& e : fs::recursive_directory_iterator(dir))
        EXPECT_NE(e.path().filename().string()[0], '.') << e.path();
}

TEST(Simulate, WriteToAFileInsteadOfAFolderIsAnError) {
    const fs::path file = fs::path(NATIVESEG_TEST_TMP) / "simulate_not_a_folder";
    std::ofstream(file) << "x";
    const Simulation sim = simulate(params(1, 2, 32, 32));
    EXPECT_THROW(write_simulation(file.string(), sim), Error);
}

TEST(Simulate, HundredFramesOf512Complete) {
    const Simulation sim = simulate(params(11, 100, 512, 512));
    EXPECT_EQ(sim.raw.shape().t, 100);
    expect_valid(sim, "100 frames");
}
