#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "nativeseg/ctc.h"
#include "nativeseg/ctc_export.h"
#include "nativeseg/error.h"
#include "nativeseg/tiff_io.h"

using namespace nativeseg;
namespace fs = std::filesystem;

namespace {

std::string fresh_dir(const std::string& name) {
    const fs::path d = fs::path(NATIVESEG_TEST_TMP) / name;
    fs::remove_all(d);
    return d.string();
}

// A hand-made track set over 6 frames with one label per spot (label = spot's "name"):
//   A: frames 0-1, divides into B and C (frames 2-5);
//   D: frames 0-1, missing in frame 2, back in frames 3-5 (gap-closing link 1 -> 3);
//   E: single spot in frame 4.
struct Scenario {
    TrackSet tracks;
    std::vector<std::map<std::uint32_t, std::int64_t>> spots;  // per frame: label -> spot id
    Scenario() : spots(6) {
        auto add = [&](std::int64_t t, std::uint32_t label) {
            Instance i;
            i.frame = t;
            i.label = label;
            spots[static_cast<std::size_t>(t)][label] = tracks.add_spot(i);
        };
        for (int t = 0; t < 2; ++t) add(t, 1);          // A
        for (int t = 2; t < 6; ++t) add(t, 2), add(t, 3);  // B, C
        for (int t : {0, 1, 3, 4, 5}) add(t, 4);          // D
        add(4, 5);                                        // E
        tracks.add_link(spots[0][1], spots[1][1]);
        tracks.add_link(spots[1][1], spots[2][2]);
        tracks.add_link(spots[1][1], spots[2][3]);
        for (int t = 2; t < 5; ++t) {
            tracks.add_link(spots[t][2], spots[t + 1][2]);
            tracks.add_link(spots[t][3], spots[t + 1][3]);
        }
        tracks.add_link(spots[0][4], spots[1][4]);
        tracks.add_link(spots[1][4], spots[3][4]);
        tracks.add_link(spots[3][4], spots[4][4]);
        tracks.add_link(spots[4][4], spots[5][4]);
    }
    cv::Mat plane(std::int64_t t) const {
        cv::Mat m = cv::Mat::zeros(20, 60, CV_32S);
        for (const auto& [label, id] : spots[static_cast<std::size_t>(t)]) {
            (void)id;
            m(cv::Rect(static_cast<int>(label) * 10, 5, 5, 5)).setTo(static_cast<int>(label));
        }
        return m;
    }
};

}  // namespace

TEST(CtcExport, CutsTracksIntoValidSegmentsWithLineage) {
    Scenario s;
    const std::string dir = fresh_dir("ctc_export");
    CtcResultWriter w(dir, 6, Calibration{});
    for (std::int64_t t = 0; t < 6; ++t) {
        std::vector<std::uint32_t> labels;
        std::vector<std::int64_t> ids;
        for (const auto& [l, id] : s.spots[static_cast<std::size_t>(t)]) {
            labels.push_back(l);
            ids.push_back(id);
        }
        w.add_frame(t, s.plane(t), labels, ids, s.tracks);
    }
    w.finish();
    const auto tracks = read_ctc_tracks(dir + "/res_track.txt");
    // Segments in order of appearance: A(1) and D(2) from frame 0, B(3) C(4) in frame 2,
    // D after the gap (5) in frame 3, E (6) in frame 4.
    const std::vector<CtcTrack> expect = {{1, 0, 1, 0}, {2, 0, 1, 0}, {3, 2, 5, 1},
                                          {4, 2, 5, 1}, {5, 3, 5, 2}, {6, 4, 4, 0}};
    EXPECT_EQ(tracks, expect);
    // Masks: 16-bit, 3-digit names, the segment labels painted where the spots are.
    const Image m3 = read_tiff(dir + "/mask003.tif");
    EXPECT_EQ(m3.dtype(), DType::U16);
    EXPECT_EQ(m3.data<std::uint16_t>()[7 * 60 + 42], 5);  // D after the gap
    EXPECT_EQ(m3.data<std::uint16_t>()[7 * 60 + 22], 3);  // B
    // Our own validity check agrees.
    std::vector<std::vector<std::uint32_t>> present;
    for (int t = 0; t < 6; ++t) present.push_back(labels_in_plane(read_tiff(dir + "/" + ctc_frame_name("mask", t, 6))));
    EXPECT_TRUE(ctc_validate(tracks, present).empty());
    EXPECT_TRUE(w.notes().empty());
}

TEST(CtcExport, AMergeKeepsOneParentAndSaysSo) {
    TrackSet ts;
    Instance i;
    i.frame = 0;
    i.label = 1;
    const auto a = ts.add_spot(i);
    i.label = 2;
    const auto b = ts.add_spot(i);
    i.frame = 1;
    i.label = 1;
    const auto c = ts.add_spot(i);
    ts.add_link(a, c);
    ts.add_link(b, c);
    const std::string dir = fresh_dir("ctc_merge");
    CtcResultWriter w(dir, 2, Calibration{});
    cv::Mat f0 = cv::Mat::zeros(10, 10, CV_32S), f1 = cv::Mat::zeros(10, 10, CV_32S);
    f0.at<int>(1, 1) = 1;
    f0.at<int>(5, 5) = 2;
    f1.at<int>(3, 3) = 1;
    w.add_frame(0, f0, {1, 2}, {a, b}, ts);
    w.add_frame(1, f1, {1}, {c}, ts);
    w.finish();
    ASSERT_EQ(w.notes().size(), 1u);
    EXPECT_NE(w.notes()[0].find("merge"), std::string::npos);
    EXPECT_EQ(w.segments().back().parent, 1u);
}

TEST(CtcExport, IncompleteExportIsAnError) {
    const std::string dir = fresh_dir("ctc_incomplete");
    CtcResultWriter w(dir, 3, Calibration{});
    TrackSet ts;
    w.add_frame(0, cv::Mat::zeros(4, 4, CV_32S), {}, {}, ts);
    EXPECT_THROW(w.add_frame(2, cv::Mat::zeros(4, 4, CV_32S), {}, {}, ts), Error);
    EXPECT_THROW(w.finish(), Error);
    EXPECT_FALSE(fs::exists(dir + "/res_track.txt"));
}

#include "nativeseg/simulate.h"

TEST(CtcImport, SimulatedGroundTruthBecomesItsLineage) {
    SimulationParams p = default_simulation_params();
    p.frames = 25;
    p.width = 160;
    p.height = 128;
    p.cells = 6;
    p.seed = 5;
    p.division_rate = 0.05;
    const Simulation sim = simulate(p);
    const std::string dir = fresh_dir("ctc_import");
    write_simulation(dir, sim);
    const TrackSet set = import_ctc(dir + "/01_GT/TRA", dir + "/01_GT/TRA/man_track.txt");
    // One spot per label and frame, a link per consecutive pair and per parent-child pair.
    std::int64_t spots = 0, links = 0;
    for (const CtcTrack& t : sim.tracks) {
        spots += t.end - t.begin + 1;
        links += t.end - t.begin + (t.parent != 0 ? 1 : 0);
    }
    EXPECT_EQ(static_cast<std::int64_t>(set.spots().size()), spots);
    EXPECT_EQ(static_cast<std::int64_t>(set.links().size()), links);
    EXPECT_THROW(import_ctc(dir + "/01_GT/TRA", dir + "/01_GT/no_such.txt"), Error);
}
