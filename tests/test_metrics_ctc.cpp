// CTC measures: the matching rule, every AOGM component on hand-built cases, GT against itself,
// controlled perturbations of a simulated video that move each measure by exactly the expected
// amount, and a fixed perturbed sequence whose numbers were computed by py-ctcmetrics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "metrics_test_util.h"
#include "nativeseg/error.h"
#include "nativeseg/metrics_ctc.h"
#include "nativeseg/simulate.h"
#include "nativeseg/tiff_io.h"

namespace nativeseg {
// Readable failure messages for EXPECT_EQ on counts.
void PrintTo(const AogmCounts& c, std::ostream* os) {
    *os << "NS " << c.ns << " FN " << c.fn << " FP " << c.fp << " ED " << c.ed << " EA " << c.ea << " EC " << c.ec;
}
}  // namespace nativeseg

using namespace nativeseg;
using namespace nativeseg::testutil;
namespace fs = std::filesystem;

namespace {

constexpr double kEps = 1e-12;

AogmCounts counts(std::int64_t ns, std::int64_t fn, std::int64_t fp, std::int64_t ed, std::int64_t ea,
                  std::int64_t ec) {
    AogmCounts c;
    c.ns = ns;
    c.fn = fn;
    c.fp = fp;
    c.ed = ed;
    c.ea = ea;
    c.ec = ec;
    return c;
}

// ---------------------------------------------------------------------------------------------
// Matching

TEST(CtcMatch, MoreThanHalfOfTheReferenceObject) {
    Image gt = label_video(1, 8, 8), res = label_video(1, 8, 8);
    fill_rect(gt, 0, 0, 0, 4, 2, 1);   // 8 pixels
    fill_rect(res, 0, 0, 0, 2, 2, 5);  // exactly half of it: no match
    fill_rect(gt, 0, 0, 4, 4, 2, 2);   // 8 pixels
    fill_rect(res, 0, 0, 4, 3, 2, 6);  // 6 of 8 plus nothing else: match, J = 6/8
    const CtcFrameMatch m = ctc_match(label_overlap(gt, res));
    ASSERT_EQ(m.gt_labels, (std::vector<std::uint32_t>{1, 2}));
    EXPECT_EQ(m.gt_match[0], 0u);
    EXPECT_EQ(m.gt_jaccard[0], 0.0);
    EXPECT_EQ(m.gt_match[1], 6u);
    EXPECT_DOUBLE_EQ(m.gt_jaccard[1], 6.0 / 8.0);
}

TEST(CtcMatch, OneResultObjectMayMatchSeveralReferenceObjects) {
    Image gt = label_video(1, 8, 8), res = label_video(1, 8, 8);
    fill_rect(gt, 0, 0, 0, 2, 2, 1);
    fill_rect(gt, 0, 4, 0, 2, 2, 2);
    fill_rect(res, 0, 0, 0, 6, 2, 9);  // covers both and the gap: J = 4/12 each
    const CtcFrameMatch m = ctc_match(label_overlap(gt, res));
    EXPECT_EQ(m.gt_match, (std::vector<std::uint32_t>{9, 9}));
    EXPECT_DOUBLE_EQ(m.gt_jaccard[0], 4.0 / 12.0);
}

TEST(CtcMatch, SizesMustAgree) {
    Image gt = label_video(1, 8, 8), res = label_video(1, 8, 9);
    try {
        label_overlap(gt, res, "ground truth 'a.tif'", "result 'b.tif'");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("result 'b.tif' has size 9x8"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("ground truth 'a.tif' has size 8x8"), std::string::npos) << e.what();
    }
}

TEST(CtcMatch, FloatLabelsAreRefused) {
    Image gt = label_video(1, 4, 4);
    Image res(Shape{1, 1, 1, 4, 4}, DType::F32);
    EXPECT_THROW(label_overlap(gt, res), Error);
}

// ---------------------------------------------------------------------------------------------
// One AOGM component at a time (tiny 3-frame videos; one GT track of 3 frames unless said).

struct Tiny {
    Image gt = label_video(3, 16, 16), res = label_video(3, 16, 16);
    std::vector<CtcTrack> gt_tracks{{1, 0, 2, 0}}, res_tracks{{1, 0, 2, 0}};
    Tiny() {
        for (int t = 0; t < 3; ++t) {
            fill_rect(gt, t, 2 + t, 2, 4, 4, 1);
            fill_rect(res, t, 2 + t, 2, 4, 4, 1);
        }
    }
    CtcMeasures run() const { return evaluate_videos(gt, gt_tracks, res, res_tracks); }
};

TEST(CtcAogm, IdenticalIsPerfect) {
    const CtcMeasures m = Tiny().run();
    EXPECT_EQ(m.ops, AogmCounts{});
    EXPECT_EQ(m.gt_vertices, 3);
    EXPECT_EQ(m.gt_edges, 2);
    EXPECT_DOUBLE_EQ(m.aogm0, 10 * 3 + 1.5 * 2);
    EXPECT_DOUBLE_EQ(*m.det, 1.0);
    EXPECT_DOUBLE_EQ(*m.tra, 1.0);
    EXPECT_DOUBLE_EQ(*m.seg, 1.0);
    EXPECT_DOUBLE_EQ(*m.lnk, 1.0);
}

TEST(CtcAogm, FalseNegativeAndItsMissingEdges) {
    Tiny c;
    relabel(c.res, 1, 1, 0);  // object missing in the middle frame
    c.res_tracks = {{1, 0, 0, 0}, {2, 2, 2, 1}};
    relabel(c.res, 2, 1, 2);
    const CtcMeasures m = c.run();
    // FN 1; both GT links touch the FN vertex (EA 2); the gap link (0,1)→(2,2) joins matched
    // vertices with no GT edge between them (ED 1).
    EXPECT_EQ(m.ops, counts(0, 1, 0, 1, 2, 0));
    EXPECT_NEAR(*m.tra, 1.0 - (10 + 1 + 3.0) / 33.0, kEps);
    EXPECT_NEAR(*m.det, 1.0 - 10.0 / 30.0, kEps);
    EXPECT_NEAR(*m.seg, 2.0 / 3.0, kEps);
}

TEST(CtcAogm, FalsePositive) {
    Tiny c;
    fill_rect(c.res, 1, 12, 12, 3, 3, 7);
    c.res_tracks.push_back({7, 1, 1, 0});
    const CtcMeasures m = c.run();
    EXPECT_EQ(m.ops, counts(0, 0, 1, 0, 0, 0));
    EXPECT_NEAR(*m.det, 1.0 - 1.0 / 30.0, kEps);
    EXPECT_NEAR(*m.tra, 1.0 - 1.0 / 33.0, kEps);
    EXPECT_DOUBLE_EQ(*m.seg, 1.0);  // unmatched result objects are not penalised by SEG
}

TEST(CtcAogm, MergedObjectNeedsASplit) {
    Tiny c;
    for (int t = 0; t < 3; ++t) fill_rect(c.gt, t, 2 + t, 10, 4, 4, 2);
    c.gt_tracks.push_back({2, 0, 2, 0});
    fill_rect(c.res, 1, 3, 2, 4, 12, 1);  // frame 1: one object over both GT objects and the gap
    for (int t : {0, 2}) fill_rect(c.res, t, 2 + t, 10, 4, 4, 2);
    c.res_tracks = {{1, 0, 2, 0}, {2, 0, 0, 0}, {3, 2, 2, 2}};
    relabel(c.res, 2, 2, 3);
    const CtcMeasures m = c.run();
    // NS 1 in frame 1; the result object there is not uniquely matched, so its edges are not
    // assessed and the 4 GT links into and out of frame 1 are missing (EA 4). The parent link
    // (0,2)→(2,3) joins two matched vertices with no GT edge between them (ED 1).
    EXPECT_EQ(m.ops, counts(1, 0, 0, 1, 4, 0));
    EXPECT_NEAR(*m.det, 1.0 - 5.0 / 60.0, kEps);
    EXPECT_NEAR(*m.tra, 1.0 - (5 + 1 + 6.0) / (60 + 1.5 * 4), kEps);
    EXPECT_NEAR(*m.seg, (4 + 2 * 16.0 / 48.0) / 6.0, kEps);
}

TEST(CtcAogm, RedundantEdge) {
    // GT: track 1 (frames 0-1) and track 2 (frame 2, no parent). Result: 2 is 1's child.
    Tiny c;
    relabel(c.gt, 2, 1, 2);
    c.gt_tracks = {{1, 0, 1, 0}, {2, 2, 2, 0}};
    relabel(c.res, 2, 1, 2);
    c.res_tracks = {{1, 0, 1, 0}, {2, 2, 2, 1}};
    const CtcMeasures m = c.run();
    EXPECT_EQ(m.ops, counts(0, 0, 0, 1, 0, 0));
    EXPECT_EQ(m.gt_edges, 1);
    EXPECT_NEAR(*m.tra, 1.0 - 1.0 / 31.5, kEps);
    EXPECT_NEAR(*m.lnk, 1.0 - 1.0 / 1.5, kEps);
    EXPECT_DOUBLE_EQ(*m.det, 1.0);
}

TEST(CtcAogm, MissingEdge) {
    // GT: 2 is 1's child. Result: no parent.
    Tiny c;
    relabel(c.gt, 2, 1, 2);
    c.gt_tracks = {{1, 0, 1, 0}, {2, 2, 2, 1}};
    relabel(c.res, 2, 1, 2);
    c.res_tracks = {{1, 0, 1, 0}, {2, 2, 2, 0}};
    const CtcMeasures m = c.run();
    EXPECT_EQ(m.ops, counts(0, 0, 0, 0, 1, 0));
    EXPECT_EQ(m.gt_edges, 2);
    EXPECT_NEAR(*m.tra, 1.0 - 1.5 / 33.0, kEps);
    EXPECT_NEAR(*m.lnk, 0.5, kEps);
}

TEST(CtcAogm, WrongEdgeSemantics) {
    // GT: one track. Result: the same path cut into a parent and a child.
    Tiny c;
    relabel(c.res, 2, 1, 2);
    c.res_tracks = {{1, 0, 1, 0}, {2, 2, 2, 1}};
    const CtcMeasures m = c.run();
    EXPECT_EQ(m.ops, counts(0, 0, 0, 0, 0, 1));
    EXPECT_NEAR(*m.tra, 1.0 - 1.0 / 33.0, kEps);
    EXPECT_NEAR(*m.lnk, 1.0 - 1.0 / 3.0, kEps);
}

TEST(CtcAogm, EmptyResultScoresZeroNotNegative) {
    Tiny c;
    c.res = label_video(3, 16, 16);
    c.res_tracks.clear();
    const CtcMeasures m = c.run();
    EXPECT_EQ(m.ops, counts(0, 3, 0, 0, 2, 0));
    EXPECT_DOUBLE_EQ(*m.det, 0.0);
    EXPECT_DOUBLE_EQ(*m.tra, 0.0);  // AOGM 33 = AOGM_0
    EXPECT_DOUBLE_EQ(*m.seg, 0.0);
}

TEST(CtcAogm, NothingToFindGivesNoScore) {
    CtcEvaluator ev({}, {}, 2);
    const Image empty = label_video(1, 4, 4);
    for (int t = 0; t < 2; ++t) ev.add_tra_frame(t, label_overlap(empty, empty));
    const CtcMeasures m = ev.finish();
    EXPECT_FALSE(m.det.has_value());
    EXPECT_FALSE(m.tra.has_value());
    EXPECT_FALSE(m.seg.has_value());
}

// All six components in one sequence, each counted by hand.
//   GT  1: frames 0-4      2: frames 0-1 → divides into 3 and 4 (frames 2-4)      5: frames 0-4
//   RES 1: 0-1, 11: 3-4 (P=1)  — GT 1 missing in frame 2: FN 1, EA 2; gap link (1,1)→(3,11): ED 1
//       3: 2-3 (P=2), 4: 2-4 (P=0) — parent link 2→4 missing: EA 1; frame 4: object 4 covers GT 3
//          and GT 4: NS 1, their two links into frame 4 missing: EA 2
//       5: 0-1, 6: 2-4 (P=5) — the GT track link 1→2 became a parent link: EC 1
//       9: frame 0 only, on the background: FP 1
TEST(CtcAogm, AllComponentsTogether) {
    Image gt = label_video(5, 48, 48), res = label_video(5, 48, 48);
    std::vector<CtcTrack> gt_tracks = {{1, 0, 4, 0}, {2, 0, 1, 0}, {3, 2, 4, 2}, {4, 2, 4, 2}, {5, 0, 4, 0}};
    for (int t = 0; t < 5; ++t) {
        fill_rect(gt, t, 2 + t, 2, 6, 6, 1);
        fill_rect(gt, t, 24, 2, 6, 6, t < 2 ? 2 : 3);
        if (t >= 2) fill_rect(gt, t, 24, 10, 6, 6, 4);
        fill_rect(gt, t, 2, 30, 6, 6, 5);
    }
    std::vector<CtcTrack> res_tracks = {{1, 0, 1, 0}, {11, 3, 4, 1}, {2, 0, 1, 0}, {3, 2, 3, 2},
                                        {4, 2, 4, 0}, {5, 0, 1, 0},  {6, 2, 4, 5}, {9, 0, 0, 0}};
    for (int t = 0; t < 5; ++t) {
        if (t != 2) fill_rect(res, t, 2 + t, 2, 6, 6, t < 2 ? 1 : 11);
        if (t < 2) fill_rect(res, t, 24, 2, 6, 6, 2);
        if (t == 2 || t == 3) {
            fill_rect(res, t, 24, 2, 6, 6, 3);
            fill_rect(res, t, 24, 10, 6, 6, 4);
        }
        if (t == 4) fill_rect(res, t, 24, 2, 6, 14, 4);
        fill_rect(res, t, 2, 30, 6, 6, t < 2 ? 5 : 6);
    }
    fill_rect(res, 0, 40, 40, 4, 4, 9);

    EXPECT_TRUE(ctc_validate(res_tracks, frame_labels(res)).empty());
    const CtcMeasures m = evaluate_videos(gt, gt_tracks, res, res_tracks);
    EXPECT_EQ(m.ops, counts(1, 1, 1, 1, 5, 1));
    EXPECT_EQ(m.gt_vertices, 18);
    EXPECT_EQ(m.gt_edges, 15);
    EXPECT_DOUBLE_EQ(m.aogm, 25.5);
    EXPECT_DOUBLE_EQ(m.aogm0, 202.5);
    EXPECT_NEAR(*m.tra, 1.0 - 25.5 / 202.5, kEps);
    EXPECT_NEAR(*m.det, 1.0 - 16.0 / 180.0, kEps);
    EXPECT_NEAR(*m.lnk, 1.0 - 9.5 / 22.5, kEps);
    EXPECT_NEAR(*m.seg, (15 + 2 * 36.0 / 84.0) / 18.0, kEps);
    EXPECT_NEAR(*m.op_csb, 0.5 * (*m.seg + *m.det), kEps);
    EXPECT_NEAR(*m.op_ctb, 0.5 * (*m.seg + *m.tra), kEps);
    // Per frame: FN and FP where they are; edge operations in the frame the edge ends in.
    EXPECT_EQ(m.per_frame[2].ops.fn, 1);
    EXPECT_EQ(m.per_frame[0].ops.fp, 1);
    EXPECT_EQ(m.per_frame[4].ops.ns, 1);
    EXPECT_EQ(m.per_frame[3].ops.ed, 1);
    EXPECT_EQ(m.per_frame[2].ops.ec, 1);
}

// ---------------------------------------------------------------------------------------------
// A simulated video: GT against itself, then one perturbation at a time.

struct SimCase {
    Image gt;
    std::vector<CtcTrack> tracks;
    static const SimCase& get() {
        static const SimCase c = [] {
            SimulationParams p = default_simulation_params();
            p.frames = 16;
            p.width = 160;
            p.height = 128;
            p.cells = 10;
            p.seed = 11;
            p.division_rate = 0.04;
            p.enter_rate = 0.2;
            const Simulation s = simulate(p);
            return SimCase{s.labels, s.tracks};
        }();
        return c;
    }
    std::int64_t vertices() const {
        std::int64_t v = 0;
        for (const CtcTrack& t : tracks) v += t.end - t.begin + 1;
        return v;
    }
    std::int64_t edges() const {
        std::int64_t e = 0;
        for (const CtcTrack& t : tracks) e += t.end - t.begin + (t.parent != 0);
        return e;
    }
    double aogm0() const { return 10.0 * static_cast<double>(vertices()) + 1.5 * static_cast<double>(edges()); }
    std::uint16_t free_label() const {
        std::uint32_t m = 0;
        for (const CtcTrack& t : tracks) m = std::max(m, t.label);
        return static_cast<std::uint16_t>(m + 1);
    }
    // A track alive in frames first..last (inclusive) that is not tiny in those frames.
    const CtcTrack* alive(std::int64_t first, std::int64_t last, std::uint32_t other = 0) const {
        for (const CtcTrack& t : tracks) {
            if (t.label == other || t.begin > first || t.end < last) continue;
            bool big = true;
            for (std::int64_t f = first; f <= last; ++f) big = big && area(gt, f, static_cast<std::uint16_t>(t.label)) >= 40;
            if (big) return &t;
        }
        return nullptr;
    }
};

TEST(CtcSimulated, GroundTruthAgainstItselfIsPerfect) {
    const SimCase& c = SimCase::get();
    ASSERT_TRUE(ctc_validate(c.tracks, frame_labels(c.gt)).empty());
    const CtcMeasures m = evaluate_videos(c.gt, c.tracks, c.gt, c.tracks);
    EXPECT_EQ(m.ops, AogmCounts{});
    EXPECT_EQ(m.gt_vertices, c.vertices());
    EXPECT_EQ(m.gt_edges, c.edges());
    for (const auto& v : {m.seg, m.det, m.tra, m.lnk, m.op_csb, m.op_ctb}) {
        ASSERT_TRUE(v.has_value());
        EXPECT_DOUBLE_EQ(*v, 1.0);
    }
}

TEST(CtcSimulated, DroppingAnObjectCostsOneFnAndItsTwoLinks) {
    const SimCase& c = SimCase::get();
    const CtcTrack* tr = c.alive(4, 6);
    ASSERT_NE(tr, nullptr);
    Image res = c.gt;
    relabel(res, 5, static_cast<std::uint16_t>(tr->label), 0);
    const CtcMeasures m = evaluate_videos(c.gt, c.tracks, res, c.tracks);
    EXPECT_EQ(m.ops, counts(0, 1, 0, 0, 2, 0));
    const double v = static_cast<double>(c.vertices());
    EXPECT_NEAR(*m.det, 1.0 - 10.0 / (10.0 * v), kEps);
    EXPECT_NEAR(*m.tra, 1.0 - 13.0 / c.aogm0(), kEps);
    EXPECT_NEAR(*m.seg, (v - 1.0) / v, kEps);
    // The result now has a hole in a track: invalid, and still evaluated.
    EXPECT_FALSE(ctc_validate(c.tracks, frame_labels(res)).empty());
}

TEST(CtcSimulated, SplittingAnObjectAddsOneFalsePositive) {
    const SimCase& c = SimCase::get();
    const CtcTrack* tr = c.alive(7, 7);
    ASSERT_NE(tr, nullptr);
    const auto label = static_cast<std::uint16_t>(tr->label);
    Image res = c.gt;
    const std::int64_t a = area(res, 7, label), moved = a * 3 / 10;
    move_tail(res, 7, label, moved, c.free_label());
    std::vector<CtcTrack> res_tracks = c.tracks;
    res_tracks.push_back({c.free_label(), 7, 7, 0});
    EXPECT_TRUE(ctc_validate(res_tracks, frame_labels(res)).empty());
    const CtcMeasures m = evaluate_videos(c.gt, c.tracks, res, res_tracks);
    EXPECT_EQ(m.ops, counts(0, 0, 1, 0, 0, 0));
    const double v = static_cast<double>(c.vertices());
    EXPECT_NEAR(*m.det, 1.0 - 1.0 / (10.0 * v), kEps);
    EXPECT_NEAR(*m.tra, 1.0 - 1.0 / c.aogm0(), kEps);
    EXPECT_NEAR(*m.seg, (v - 1.0 + static_cast<double>(a - moved) / static_cast<double>(a)) / v, kEps);
}

TEST(CtcSimulated, SwappingTwoLabelsInOneFrameBreaksFourLinks) {
    const SimCase& c = SimCase::get();
    const CtcTrack* a = c.alive(8, 10);
    ASSERT_NE(a, nullptr);
    const CtcTrack* b = c.alive(8, 10, a->label);
    ASSERT_NE(b, nullptr);
    Image res = c.gt;
    swap_labels(res, 9, static_cast<std::uint16_t>(a->label), static_cast<std::uint16_t>(b->label));
    EXPECT_TRUE(ctc_validate(c.tracks, frame_labels(res)).empty());
    const CtcMeasures m = evaluate_videos(c.gt, c.tracks, res, c.tracks);
    // Each of the 4 links into and out of frame 9 now joins the wrong cells: ED 4, EA 4.
    EXPECT_EQ(m.ops, counts(0, 0, 0, 4, 4, 0));
    EXPECT_NEAR(*m.tra, 1.0 - 10.0 / c.aogm0(), kEps);
    EXPECT_NEAR(*m.lnk, 1.0 - 10.0 / (1.5 * static_cast<double>(c.edges())), kEps);
    EXPECT_DOUBLE_EQ(*m.det, 1.0);
    EXPECT_DOUBLE_EQ(*m.seg, 1.0);
}

// Cuts track `tr` at frame k: frames k.. get label `to` with parent `parent`; children follow.
std::vector<CtcTrack> cut_track(const std::vector<CtcTrack>& tracks, Image& res, const CtcTrack& tr, std::int64_t k,
                                std::uint16_t to, std::uint32_t parent) {
    std::vector<CtcTrack> out = tracks;
    for (std::int64_t f = k; f <= tr.end; ++f) relabel(res, f, static_cast<std::uint16_t>(tr.label), to);
    for (CtcTrack& t : out)
        if (t.parent == tr.label) t.parent = to;
    find_track(out, tr.label)->end = k - 1;
    out.push_back({to, k, tr.end, parent});
    return out;
}

TEST(CtcSimulated, BreakingALinkIntoAParentLinkIsOneSemanticError) {
    const SimCase& c = SimCase::get();
    const CtcTrack* tr = c.alive(5, 6);
    ASSERT_NE(tr, nullptr);
    Image res = c.gt;
    const auto res_tracks = cut_track(c.tracks, res, *tr, 6, c.free_label(), tr->label);
    EXPECT_TRUE(ctc_validate(res_tracks, frame_labels(res)).empty());
    const CtcMeasures m = evaluate_videos(c.gt, c.tracks, res, res_tracks);
    EXPECT_EQ(m.ops, counts(0, 0, 0, 0, 0, 1));
    EXPECT_NEAR(*m.tra, 1.0 - 1.0 / c.aogm0(), kEps);
}

TEST(CtcSimulated, BreakingALinkWithoutParentIsOneMissingEdge) {
    const SimCase& c = SimCase::get();
    const CtcTrack* tr = c.alive(5, 6);
    ASSERT_NE(tr, nullptr);
    Image res = c.gt;
    const auto res_tracks = cut_track(c.tracks, res, *tr, 6, c.free_label(), 0);
    const CtcMeasures m = evaluate_videos(c.gt, c.tracks, res, res_tracks);
    EXPECT_EQ(m.ops, counts(0, 0, 0, 0, 1, 0));
    EXPECT_NEAR(*m.tra, 1.0 - 1.5 / c.aogm0(), kEps);
    EXPECT_NEAR(*m.lnk, 1.0 - 1.0 / static_cast<double>(c.edges()), kEps);
    EXPECT_DOUBLE_EQ(*m.det, 1.0);
}

TEST(CtcSimulated, AFalseDivisionIsASemanticErrorAndAFalsePositive) {
    const SimCase& c = SimCase::get();
    const CtcTrack* tr = c.alive(9, 10);
    ASSERT_NE(tr, nullptr);
    Image res = c.gt;
    const auto daughter = c.free_label(), piece = static_cast<std::uint16_t>(c.free_label() + 1);
    auto res_tracks = cut_track(c.tracks, res, *tr, 10, daughter, tr->label);
    const std::int64_t a = area(res, 10, daughter), moved = a / 3;
    move_tail(res, 10, daughter, moved, piece);
    res_tracks.push_back({piece, 10, 10, tr->label});
    EXPECT_TRUE(ctc_validate(res_tracks, frame_labels(res)).empty());
    const CtcMeasures m = evaluate_videos(c.gt, c.tracks, res, res_tracks);
    // The mother→daughter link replaces a track link (EC 1); the extra daughter matches
    // nothing (FP 1) and its link, to an unmatched vertex, is not assessed.
    EXPECT_EQ(m.ops, counts(0, 0, 1, 0, 0, 1));
    EXPECT_NEAR(*m.tra, 1.0 - 2.0 / c.aogm0(), kEps);
    const double v = static_cast<double>(c.vertices());
    EXPECT_NEAR(*m.det, 1.0 - 1.0 / (10.0 * v), kEps);
    EXPECT_NEAR(*m.seg, (v - 1.0 + static_cast<double>(a - moved) / static_cast<double>(a)) / v, kEps);
}

// ---------------------------------------------------------------------------------------------
// A fixed sequence with every kind of error, cross-checked against py-ctcmetrics 1.3.3
// (docs/evaluation.md has the command). Drawn with OpenCV only, so it does not change when
// the simulator does. Set NATIVESEG_CTC_FIXTURE_DIR to write it out in the CTC layout.

struct Fixture {
    static constexpr int T = 10, H = 100, W = 100;
    Image gt = label_video(T, H, W), res = label_video(T, H, W);
    std::vector<CtcTrack> gt_tracks, res_tracks;
    std::vector<int> seg_frames{0, 2, 4, 6, 8};  // SEG annotations on even frames
};

Fixture make_fixture() {
    Fixture f;
    f.gt_tracks = {{1, 0, 9, 0}, {2, 0, 3, 0}, {3, 4, 9, 2}, {4, 4, 9, 2}, {5, 0, 9, 0}, {6, 2, 9, 0}, {7, 0, 9, 0}};
    for (int t = 0; t < Fixture::T; ++t) {
        fill_disc(f.gt, t, 12 + 2 * t, 12, 7, 1);
        if (t < 4) fill_disc(f.gt, t, 61, 14 + t, 7, 2);
        else {
            fill_disc(f.gt, t, 50, 18 + t, 7, 3);
            fill_disc(f.gt, t, 72, 18 + t, 7, 4);
        }
        fill_disc(f.gt, t, 14, 55 + t, 7, 5);
        if (t >= 2) fill_disc(f.gt, t, 45, 75, 7, 6);
        fill_disc(f.gt, t, 80, 88 - t, 7, 7);
    }
    // Result: smaller nucleus 1 (SEG < 1), missing in frame 5 (gap → new track 11).
    // Division 2 → 3, 4: daughter 4 without parent; 3 and 4 merged into one object in frame 8.
    // Track 6 cut at frame 5 with a parent link; 7 falsely divides at frame 3 (17 and a piece 18);
    // 5 and 17 swap labels in frame 6; 5 is split in frame 2 (piece 21); a false positive 20.
    // Hand count: FN 1 (1 @5); FP 4 (20 @0,1, 18 @3, 21 @2); NS 1 (3 @8);
    // ED 6 (gap link 1→11, the 4 swapped links, 4→14); EC 2 (6→16, 7→17);
    // EA 11 (2 links of the missing 1 @5, parent link 2→4, 4 links of the merge @8, 4 swapped).
    f.res_tracks = {{1, 0, 4, 0},  {11, 6, 9, 1}, {2, 0, 3, 0},  {3, 4, 9, 2},  {4, 4, 7, 0},
                    {14, 9, 9, 4}, {5, 0, 9, 0},  {6, 2, 4, 0},  {16, 5, 9, 6}, {7, 0, 2, 0},
                    {17, 3, 9, 7}, {18, 3, 3, 7}, {20, 0, 1, 0}, {21, 2, 2, 0}};
    for (int t = 0; t < Fixture::T; ++t) {
        if (t != 5) fill_disc(f.res, t, 12 + 2 * t, 12, 6, t < 5 ? 1 : 11);
        if (t < 4) fill_disc(f.res, t, 61, 14 + t, 7, 2);
        else if (t == 8) {
            fill_disc(f.res, t, 50, 18 + t, 7, 3);
            fill_disc(f.res, t, 72, 18 + t, 7, 3);
            fill_rect(f.res, t, 50, 22 + t, 22, 8, 3);
        } else {
            fill_disc(f.res, t, 50, 18 + t, 7, 3);
            fill_disc(f.res, t, 72, 18 + t, 7, t < 8 ? 4 : 14);
        }
        fill_disc(f.res, t, 14, 55 + t, 7, 5);
        if (t >= 2) fill_disc(f.res, t, 45, 75, 7, t < 5 ? 6 : 16);
        fill_disc(f.res, t, 80, 88 - t, 7, t < 3 ? 7 : 17);
    }
    move_tail(f.res, 3, 17, 40, 18);
    swap_labels(f.res, 6, 5, 17);
    move_tail(f.res, 2, 5, 45, 21);
    fill_disc(f.res, 0, 92, 8, 3, 20);
    fill_disc(f.res, 1, 92, 8, 3, 20);
    return f;
}

void write_fixture(const Fixture& f, const fs::path& dir) {
    fs::create_directories(dir / "01_GT" / "TRA");
    fs::create_directories(dir / "01_GT" / "SEG");
    fs::create_directories(dir / "01_RES");
    TiffWriteOptions o;
    o.imagej_metadata = false;
    for (int t = 0; t < Fixture::T; ++t) {
        write_tiff((dir / "01_GT" / "TRA" / ctc_frame_name("man_track", t, Fixture::T)).string(), f.gt.plane_copy(t), o);
        write_tiff((dir / "01_RES" / ctc_frame_name("mask", t, Fixture::T)).string(), f.res.plane_copy(t), o);
    }
    for (int t : f.seg_frames)
        write_tiff((dir / "01_GT" / "SEG" / ctc_frame_name("man_seg", t, Fixture::T)).string(), f.gt.plane_copy(t), o);
    write_ctc_tracks((dir / "01_GT" / "TRA" / "man_track.txt").string(), f.gt_tracks);
    write_ctc_tracks((dir / "01_RES" / "res_track.txt").string(), f.res_tracks);
}

TEST(CtcFixture, MatchesPyCtcMetrics) {
    const Fixture f = make_fixture();
    if (const char* dir = std::getenv("NATIVESEG_CTC_FIXTURE_DIR")) write_fixture(f, dir);
    ASSERT_TRUE(ctc_validate(f.res_tracks, frame_labels(f.res)).empty());

    CtcEvaluator ev(f.gt_tracks, f.res_tracks, Fixture::T);
    for (int t = 0; t < Fixture::T; ++t) {
        const LabelOverlap o = label_overlap(f.gt.plane_copy(t), f.res.plane_copy(t));
        ev.add_tra_frame(t, o);
        if (std::find(f.seg_frames.begin(), f.seg_frames.end(), t) != f.seg_frames.end()) ev.add_seg_frame(t, o);
    }
    const CtcMeasures m = ev.finish();
    // Counted by hand (see the comment in make_fixture) and reported identically by py-ctcmetrics
    // 1.3.3 (bench/pyctc_eval.py --gt DIR/01_GT --res DIR/01_RES): AOGM_NS 1, AOGM_FN 1, AOGM_FP 4,
    // AOGM_ED 6, AOGM_EA 11, AOGM_EC 2, AOGM 43.5, AOGM_0 613.5.
    EXPECT_EQ(m.ops, counts(1, 1, 4, 6, 11, 2));
    EXPECT_DOUBLE_EQ(m.aogm, 43.5);
    EXPECT_DOUBLE_EQ(m.aogm0, 613.5);
    EXPECT_NEAR(*m.seg, 0.8947442341068007, 1e-6);
    EXPECT_NEAR(*m.det, 0.9648148148148148, 1e-6);
    EXPECT_NEAR(*m.tra, 0.9290953545232274, 1e-6);
    EXPECT_NEAR(*m.lnk, 0.6666666666666667, 1e-6);
    EXPECT_NEAR(*m.op_csb, 0.9297795244608078, 1e-6);
    EXPECT_NEAR(*m.op_ctb, 0.9119197943150141, 1e-6);
}

}  // namespace
