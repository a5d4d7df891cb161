// The evaluate job on files: the CTC layout and label videos, the three kinds, the per-frame
// CSV, and the messages for bad input (missing track files, frame counts and sizes that differ,
// float or 8-bit masks, results that break the CTC rules).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "metrics_test_util.h"
#include "nativeseg/error.h"
#include "nativeseg/evaluate.h"
#include "nativeseg/simulate.h"
#include "nativeseg/tiff_io.h"

using namespace nativeseg;
using namespace nativeseg::testutil;
namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const std::string& name) {
    const fs::path d = fs::path(NATIVESEG_TEST_TMP) / "evaluate" / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

const Simulation& sim() {
    static const Simulation s = [] {
        SimulationParams p = default_simulation_params();
        p.frames = 8;
        p.width = 96;
        p.height = 80;
        p.cells = 5;
        p.seed = 5;
        p.division_rate = 0.05;
        return simulate(p);
    }();
    return s;
}

// DIR/01_GT (CTC layout) and DIR/01_RES: the result is a copy of the TRA markers.
fs::path write_sim_with_result(const std::string& name) {
    const fs::path d = fresh_dir(name);
    write_simulation(d.string(), sim());
    fs::create_directories(d / "01_RES");
    for (std::int64_t t = 0; t < sim().labels.shape().t; ++t)
        write_tiff((d / "01_RES" / ctc_frame_name("mask", t, sim().labels.shape().t)).string(), sim().labels.plane_copy(t));
    write_ctc_tracks((d / "01_RES" / "res_track.txt").string(), sim().tracks);
    return d;
}

EvaluateOptions ctc_options(const fs::path& gt, const fs::path& res) {
    EvaluateOptions o;
    o.kind = EvaluationKind::Ctc;
    o.gt = gt.string();
    o.res = res.string();
    return o;
}

// Semantic evaluation of DIR/prob.tif against DIR/gt.tif.
EvaluateOptions semantic_options(const fs::path& dir) {
    EvaluateOptions o;
    o.kind = EvaluationKind::Semantic;
    o.gt = (dir / "gt.tif").string();
    o.res = (dir / "prob.tif").string();
    return o;
}

std::string error_of(const EvaluateOptions& o) {
    try {
        evaluate(o);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(EvaluateCtc, GroundTruthFolderAgainstItselfScoresOne) {
    const fs::path d = write_sim_with_result("self");
    const EvaluationReport r = evaluate(ctc_options(d / "01_GT", d / "01_RES"));
    for (const char* k : {"SEG", "DET", "TRA", "LNK", "OP_CSB", "OP_CTB"}) EXPECT_DOUBLE_EQ(r.json["measures"][k].get<double>(), 1.0) << k;
    EXPECT_TRUE(r.json["valid"].get<bool>());
    EXPECT_TRUE(r.problems.empty()) << r.problems.front();
    EXPECT_EQ(r.json["frames"].get<int>(), 8);
    EXPECT_EQ(r.json["aogm"]["AOGM"].get<double>(), 0.0);
    EXPECT_TRUE(contains(r.table, "TRA     1.000000")) << r.table;
}

TEST(EvaluateCtc, LabelVideoWithTrackFile) {
    const fs::path d = write_sim_with_result("video");
    write_tiff((d / "labels.tif").string(), sim().labels);
    write_ctc_tracks((d / "tracks.txt").string(), sim().tracks);
    EvaluateOptions o = ctc_options(d / "labels.tif", d / "labels.tif");
    o.gt_tracks = o.res_tracks = (d / "tracks.txt").string();
    const EvaluationReport r = evaluate(o);
    EXPECT_DOUBLE_EQ(r.json["measures"]["TRA"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(r.json["measures"]["SEG"].get<double>(), 1.0);
    // A CTC result folder against the label video.
    o.res = (d / "01_RES").string();
    o.res_tracks.clear();
    EXPECT_DOUBLE_EQ(evaluate(o).json["measures"]["DET"].get<double>(), 1.0);
    // Without its track file a label video cannot be evaluated.
    o.res = (d / "labels.tif").string();
    const std::string e = error_of(o);
    EXPECT_TRUE(contains(e, "labels.tif") && contains(e, "--res-tracks")) << e;
}

TEST(EvaluateCtc, PerturbedResultIsEvaluatedDespiteBrokenRulesAndWritesACsv) {
    const fs::path d = write_sim_with_result("perturbed");
    // Remove one object from frame 3 of the result: a hole in its track.
    Image frame = sim().labels.plane_copy(3);
    const std::vector<std::uint32_t> labels = labels_in_plane(frame);
    ASSERT_FALSE(labels.empty());
    std::uint32_t victim = 0;
    for (const CtcTrack& t : sim().tracks)
        if (t.begin < 3 && t.end > 3) victim = t.label;
    ASSERT_NE(victim, 0u);
    relabel(frame, 0, static_cast<std::uint16_t>(victim), 0);
    write_tiff((d / "01_RES" / "mask003.tif").string(), frame);
    EvaluateOptions o = ctc_options(d / "01_GT", d / "01_RES");
    o.csv = (d / "frames.csv").string();
    const EvaluationReport r = evaluate(o);
    EXPECT_FALSE(r.json["valid"].get<bool>());
    ASSERT_FALSE(r.problems.empty());
    EXPECT_TRUE(contains(r.problems.front(), "track " + std::to_string(victim) + ": label missing in frame(s) 3"))
        << r.problems.front();
    EXPECT_EQ(r.json["aogm"]["FN"].get<int>(), 1);
    EXPECT_EQ(r.json["aogm"]["EA"].get<int>(), 2);
    const double v = r.json["counts"]["gt_vertices"].get<double>();
    EXPECT_NEAR(r.json["measures"]["DET"].get<double>(), 1.0 - 1.0 / v, 1e-12);

    std::ifstream csv(o.csv);
    std::string header, line;
    std::getline(csv, header);
    EXPECT_EQ(header, "frame,gt_objects,res_objects,matched,NS,FN,FP,ED,EA,EC,seg_objects,seg_jaccard_mean");
    std::vector<std::string> rows;
    while (std::getline(csv, line)) rows.push_back(line);
    ASSERT_EQ(rows.size(), 8u);
    EXPECT_EQ(rows[3].rfind("3,", 0), 0u);
    std::istringstream cells(rows[3]);
    std::vector<std::string> c;
    for (std::string cell; std::getline(cells, cell, ',');) c.push_back(cell);
    EXPECT_EQ(c[5], "1");  // FN
    EXPECT_EQ(c[8], "1");  // EA of the link into frame 3
}

TEST(EvaluateCtc, MissingTrackFilesNameTheFile) {
    const fs::path d = write_sim_with_result("notracks");
    fs::remove(d / "01_GT" / "TRA" / "man_track.txt");
    std::string e = error_of(ctc_options(d / "01_GT", d / "01_RES"));
    EXPECT_TRUE(contains(e, (d / "01_GT" / "TRA" / "man_track.txt").string())) << e;
    const fs::path d2 = write_sim_with_result("nores");
    fs::remove(d2 / "01_RES" / "res_track.txt");
    e = error_of(ctc_options(d2 / "01_GT", d2 / "01_RES"));
    EXPECT_TRUE(contains(e, (d2 / "01_RES" / "res_track.txt").string())) << e;
}

TEST(EvaluateCtc, FrameCountsAndSizesMustAgree) {
    const fs::path d = write_sim_with_result("counts");
    fs::remove(d / "01_RES" / "mask007.tif");
    std::string e = error_of(ctc_options(d / "01_GT", d / "01_RES"));
    EXPECT_TRUE(contains(e, "has 7 frames") && contains(e, "has 8")) << e;

    const fs::path d2 = write_sim_with_result("sizes");
    write_tiff((d2 / "01_RES" / "mask002.tif").string(), label_video(1, 80, 95));
    e = error_of(ctc_options(d2 / "01_GT", d2 / "01_RES"));
    EXPECT_TRUE(contains(e, "mask002.tif") && contains(e, "95x80") && contains(e, "man_track002.tif") &&
                contains(e, "96x80"))
        << e;
}

TEST(EvaluateCtc, FloatMasksAreRefusedAnd8BitMasksAreNoted) {
    const fs::path d = write_sim_with_result("types");
    write_tiff((d / "01_RES" / "mask001.tif").string(), sim().labels.plane_copy(1).converted(DType::F32));
    std::string e = error_of(ctc_options(d / "01_GT", d / "01_RES"));
    EXPECT_TRUE(contains(e, "mask001.tif") && contains(e, "float32")) << e;

    const fs::path d2 = write_sim_with_result("eightbit");
    for (std::int64_t t = 0; t < 8; ++t)
        write_tiff((d2 / "01_RES" / ctc_frame_name("mask", t, 8)).string(), sim().labels.plane_copy(t).converted(DType::U8));
    const EvaluationReport r = evaluate(ctc_options(d2 / "01_GT", d2 / "01_RES"));
    ASSERT_FALSE(r.problems.empty());
    EXPECT_TRUE(contains(r.problems.front(), "uint8") && contains(r.problems.front(), "16-bit")) << r.problems.front();
    EXPECT_DOUBLE_EQ(r.json["measures"]["TRA"].get<double>(), 1.0);  // labels < 256: same values
}

TEST(EvaluateCtc, ValidateListsEveryBrokenRule) {
    const fs::path d = write_sim_with_result("validate");
    EXPECT_TRUE(validate_ctc_result((d / "01_RES").string()).empty());
    std::vector<CtcTrack> tracks = sim().tracks;
    tracks.push_back({60000, 0, 2, 0});         // declared but never drawn
    tracks.front().end = tracks.front().end + 100;  // ends after the sequence
    write_ctc_tracks((d / "01_RES" / "res_track.txt").string(), tracks);
    const auto problems = validate_ctc_result((d / "01_RES").string());
    ASSERT_GE(problems.size(), 2u);
    std::string all;
    for (const auto& p : problems) all += p + "\n";
    EXPECT_TRUE(contains(all, "track 60000: label missing in frame(s) 0-2")) << all;
    EXPECT_TRUE(contains(all, "outside the sequence")) << all;
}

TEST(EvaluateCtc, ThreeDimensionalFramesWithSliceAnnotations) {
    // 3 frames of 4 slices; one object through slices 1-2; SEG annotates slice 2 of frame 1 only.
    const fs::path d = fresh_dir("three_d");
    fs::create_directories(d / "GT" / "TRA");
    fs::create_directories(d / "GT" / "SEG");
    fs::create_directories(d / "RES");
    const Shape s{1, 4, 1, 16, 16};
    for (int t = 0; t < 3; ++t) {
        Image gt(s, DType::U16), res(s, DType::U16);
        for (int z : {1, 2}) {
            cv::rectangle(gt.plane_mat(z), cv::Rect(4, 4, 6, 6), cv::Scalar(1), cv::FILLED);
            // In frame 1, slice 2 of the result covers 4 of the 6 columns (J = 24/36).
            cv::rectangle(res.plane_mat(z), cv::Rect(4, 4, t == 1 && z == 2 ? 4 : 6, 6), cv::Scalar(1), cv::FILLED);
        }
        write_tiff((d / "GT" / "TRA" / ctc_frame_name("man_track", t, 3)).string(), gt);
        write_tiff((d / "RES" / ctc_frame_name("mask", t, 3)).string(), res);
        if (t == 1) write_tiff((d / "GT" / "SEG" / "man_seg_001_002.tif").string(), gt.plane_copy(2));
    }
    write_ctc_tracks((d / "GT" / "TRA" / "man_track.txt").string(), {{1, 0, 2, 0}});
    write_ctc_tracks((d / "RES" / "res_track.txt").string(), {{1, 0, 2, 0}});
    const EvaluationReport r = evaluate(ctc_options(d / "GT", d / "RES"));
    EXPECT_EQ(r.json["counts"]["seg_objects"].get<int>(), 1);
    EXPECT_NEAR(r.json["measures"]["SEG"].get<double>(), 24.0 / 36.0, 1e-12);
    EXPECT_DOUBLE_EQ(r.json["measures"]["TRA"].get<double>(), 1.0);  // 60 of 72 voxels: still a match
}

TEST(EvaluateSemantic, ProbabilityMapAgainstMask) {
    const fs::path d = fresh_dir("semantic");
    Image gt(Shape{2, 1, 1, 20, 20}, DType::U8), prob(Shape{2, 1, 1, 20, 20}, DType::F32);
    for (int t = 0; t < 2; ++t) {
        cv::rectangle(gt.plane_mat(t), cv::Rect(2, 2, 10, 10), cv::Scalar(255), cv::FILLED);
        cv::rectangle(prob.plane_mat(t), cv::Rect(2, 2, 10, 5), cv::Scalar(0.9), cv::FILLED);   // 50 right
        cv::rectangle(prob.plane_mat(t), cv::Rect(14, 14, 5, 2), cv::Scalar(0.6), cv::FILLED);  // 10 wrong
        cv::rectangle(prob.plane_mat(t), cv::Rect(2, 7, 10, 5), cv::Scalar(0.3), cv::FILLED);   // below cutoff
    }
    write_tiff((d / "gt.tif").string(), gt);
    write_tiff((d / "prob.tif").string(), prob);
    EvaluateOptions o = semantic_options(d);
    o.csv = (d / "planes.csv").string();
    const EvaluationReport r = evaluate(o);
    const auto& m = r.json["measures"];
    EXPECT_DOUBLE_EQ(m["precision"].get<double>(), 100.0 / 120.0);
    EXPECT_DOUBLE_EQ(m["recall"].get<double>(), 100.0 / 200.0);
    EXPECT_DOUBLE_EQ(m["iou"].get<double>(), 100.0 / 220.0);
    EXPECT_DOUBLE_EQ(m["dice"].get<double>(), 200.0 / 320.0);
    EXPECT_EQ(m["fp_pixels"].get<int>(), 20);
    EXPECT_EQ(m["fn_pixels"].get<int>(), 100);
    EXPECT_TRUE(m.contains("v_rand"));
    o.semantic_cutoff = 0.2;  // now the lower half counts too
    EXPECT_DOUBLE_EQ(evaluate(o).json["measures"]["recall"].get<double>(), 1.0);
    EXPECT_TRUE(fs::exists(o.csv));
}

TEST(EvaluateSemantic, CutoffSweepFindsTheCutoffThatClosesAMembraneGap) {
    // Two cells split by a vertical membrane (GT 0) at x = 15. The prediction has the membrane
    // at 0.1 except a gap of 0.6: at cutoff 0.5 the gap joins the cells into one region, at 0.7
    // the membrane is whole again.
    const fs::path d = fresh_dir("sweep");
    Image gt(Shape{1, 1, 1, 30, 30}, DType::U8), prob(Shape{1, 1, 1, 30, 30}, DType::F32);
    gt.plane_mat(0).setTo(255);
    cv::line(gt.plane_mat(0), {15, 0}, {15, 29}, cv::Scalar(0));
    prob.plane_mat(0).setTo(0.9);
    cv::line(prob.plane_mat(0), {15, 0}, {15, 29}, cv::Scalar(0.1));
    cv::line(prob.plane_mat(0), {15, 12}, {15, 16}, cv::Scalar(0.6));
    write_tiff((d / "gt.tif").string(), gt);
    write_tiff((d / "prob.tif").string(), prob);
    EvaluateOptions o = semantic_options(d);
    o.cutoff_sweep = {0.3, 0.5, 0.7, 0.95};
    const EvaluationReport r = evaluate(o);
    const auto& sweep = r.json["cutoff_sweep"];
    ASSERT_EQ(sweep.size(), 4u);
    const double merged = sweep[1]["v_rand"].get<double>(), split = sweep[2]["v_rand"].get<double>();
    EXPECT_LT(merged, 0.75);                 // one region for two cells
    EXPECT_DOUBLE_EQ(split, 1.0);            // the regions are the cells
    EXPECT_DOUBLE_EQ(r.json["measures"]["v_rand"].get<double>(), merged);  // semantic_cutoff 0.5 is unchanged
    EXPECT_DOUBLE_EQ(r.json["measures"]["best_v_rand"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(r.json["measures"]["best_v_rand_cutoff"].get<double>(), 0.7);  // the first of the ties
    EXPECT_NE(r.table.find("best V_rand"), std::string::npos);

    o.rand_scores = false;
    EXPECT_THROW(evaluate(o), Error);
    o.rand_scores = true;
    o.res = o.gt;  // an 8-bit mask has no cutoff
    try {
        evaluate(o);
        ADD_FAILURE() << "a mask was swept";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("not a probability map"), std::string::npos) << e.what();
    }
}

TEST(EvaluateInstance, LabelStacks) {
    const fs::path d = fresh_dir("instance");
    Image gt = label_video(2, 20, 40), res = label_video(2, 20, 40);
    fill_rect(gt, 0, 0, 0, 10, 10, 1);
    fill_rect(res, 0, 0, 0, 10, 10, 3);
    fill_rect(gt, 1, 20, 0, 10, 10, 1);
    fill_rect(res, 1, 22, 0, 10, 10, 2);  // IoU 2/3
    write_tiff((d / "gt.tif").string(), gt);
    write_tiff((d / "res.tif").string(), res);
    EvaluateOptions o;
    o.kind = EvaluationKind::Instance;
    o.gt = (d / "gt.tif").string();
    o.res = (d / "res.tif").string();
    o.iou_thresholds = {0.5, 0.7};
    const EvaluationReport r = evaluate(o);
    EXPECT_DOUBLE_EQ(r.json["thresholds"][0]["ap"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(r.json["thresholds"][1]["ap"].get<double>(), 1.0 / 3.0);
    EXPECT_DOUBLE_EQ(r.json["measures"]["mean_ap"].get<double>(), (1.0 + 1.0 / 3.0) / 2.0);
    EXPECT_DOUBLE_EQ(r.json["measures"]["ap50"].get<double>(), 1.0);
    o.res = (d / "gt.tif").string();
    EXPECT_DOUBLE_EQ(evaluate(o).json["measures"]["mean_ap"].get<double>(), 1.0);
}

}  // namespace
