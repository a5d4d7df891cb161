#include <gtest/gtest.h>

#include <map>

#include <opencv2/imgproc.hpp>

#include "nativeseg/assignment.h"
#include "nativeseg/error.h"
#include "nativeseg/tracking.h"

using namespace nativeseg;

namespace {

// Instances of a label plane with just what the tracker uses (label, area, centroid).
std::vector<Instance> simple_instances(const cv::Mat& labels) {
    std::map<int, Instance> by_label;
    for (int y = 0; y < labels.rows; ++y)
        for (int x = 0; x < labels.cols; ++x) {
            const int l = labels.at<int>(y, x);
            if (l <= 0) continue;
            Instance& in = by_label[l];
            in.label = static_cast<std::uint32_t>(l);
            in.pixel_count++;
            in.centroid_x += x;
            in.centroid_y += y;
        }
    std::vector<Instance> out;
    for (auto& [l, in] : by_label) {
        in.centroid_x /= static_cast<double>(in.pixel_count);
        in.centroid_y /= static_cast<double>(in.pixel_count);
        out.push_back(in);
    }
    return out;
}

struct Movie {
    std::vector<cv::Mat> frames;
    explicit Movie(int t, int h = 100, int w = 100) {
        for (int i = 0; i < t; ++i) frames.push_back(cv::Mat::zeros(h, w, CV_32S));
    }
    void box(int t, int label, int x, int y, int size = 10) {
        frames[static_cast<std::size_t>(t)](cv::Rect(x, y, size, size)).setTo(label);
    }
};

// Runs the tracker; returns, per frame, label -> spot id.
std::vector<std::map<int, std::int64_t>> track(const Movie& m, TrackSet& set, TrackerParams p = {}) {
    Tracker tracker(p, set);
    std::vector<std::map<int, std::int64_t>> ids;
    for (std::size_t t = 0; t < m.frames.size(); ++t) {
        const auto inst = simple_instances(m.frames[t]);
        const auto spot_ids = tracker.add_frame(static_cast<std::int64_t>(t), m.frames[t], inst);
        std::map<int, std::int64_t> f;
        for (std::size_t i = 0; i < inst.size(); ++i) f[static_cast<int>(inst[i].label)] = spot_ids[i];
        ids.push_back(f);
    }
    set.assign_track_ids();
    return ids;
}

bool linked(const TrackSet& s, std::int64_t a, std::int64_t b) {
    for (std::int64_t x : s.successors(a))
        if (x == b) return true;
    return false;
}

}  // namespace

TEST(Assignment, FindsTheMinimumCostMatching) {
    const std::vector<std::vector<double>> c = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
    const auto a = solve_assignment(c);
    EXPECT_EQ(a, (std::vector<int>{1, 0, 2}));  // 1 + 2 + 2 = 5 is optimal
}

TEST(Assignment, RespectsForbiddenPairsAndRectangularShapes) {
    const std::vector<std::vector<double>> c = {{kForbidden, 1}, {kForbidden, kForbidden}, {0.5, 3}};
    const auto a = solve_assignment(c);
    EXPECT_EQ(a, (std::vector<int>{1, -1, 0}));
    EXPECT_TRUE(solve_assignment({}).empty());
}

TEST(LabelOverlaps, CountsPixelPairs) {
    cv::Mat a = cv::Mat::zeros(4, 4, CV_32S), b = cv::Mat::zeros(4, 4, CV_32S);
    a(cv::Rect(0, 0, 2, 2)).setTo(1);
    b(cv::Rect(1, 0, 2, 2)).setTo(7);
    const auto o = label_overlaps(a, b);
    ASSERT_EQ(o.size(), 1u);
    EXPECT_EQ(o[0], std::make_tuple(1u, 7u, std::int64_t{2}));
}

TEST(Tracker, FollowsMovingObjectsWhoseLabelsChangeEveryFrame) {
    Movie m(6);
    for (int t = 0; t < 6; ++t) {
        m.box(t, 1 + (t % 2), 10 + 3 * t, 10);     // labels alternate 1, 2, 1, ...
        m.box(t, 3 + (t % 2), 60 - 3 * t, 60);     // 3, 4, 3, ...
    }
    TrackSet set;
    const auto ids = track(m, set);
    EXPECT_EQ(set.links().size(), 10u);
    EXPECT_EQ(set.assign_track_ids(), 2);
    for (int t = 1; t < 6; ++t) {
        EXPECT_TRUE(linked(set, ids[t - 1].at(1 + ((t - 1) % 2)), ids[t].at(1 + (t % 2)))) << t;
        EXPECT_TRUE(linked(set, ids[t - 1].at(3 + ((t - 1) % 2)), ids[t].at(3 + (t % 2)))) << t;
    }
}

TEST(Tracker, PrefersOverlapToDistance) {
    // A small fast object jumps next to a big object; overlap decides, not nearest centroid.
    Movie m(2);
    m.box(0, 1, 20, 20, 20);
    m.box(1, 5, 25, 22, 20);  // overlaps label 1 a lot
    m.box(1, 6, 42, 20, 5);   // closer in centroid terms to nothing in particular
    TrackSet set;
    const auto ids = track(m, set);
    EXPECT_TRUE(linked(set, ids[0].at(1), ids[1].at(5)));
    EXPECT_EQ(set.links().size(), 1u);
}

TEST(Tracker, ClosesAOneFrameGapWithMaxGap2ButNotATwoFrameGap) {
    for (int gap : {1, 2}) {
        Movie m(6);
        for (int t = 0; t < 6; ++t)
            if (t < 2 || t >= 2 + gap) m.box(t, 1, 20 + t, 20);
        TrackSet set;
        const auto ids = track(m, set);
        const bool bridged = linked(set, ids[1].at(1), ids[2 + gap].at(1));
        EXPECT_EQ(bridged, gap == 1) << "gap " << gap;
        EXPECT_EQ(set.assign_track_ids(), gap == 1 ? 1 : 2);
    }
    // max_gap 3 bridges two missing frames.
    Movie m(6);
    for (int t : {0, 1, 4, 5}) m.box(t, 1, 20, 20);
    TrackSet set;
    TrackerParams p;
    p.max_gap = 3;
    const auto ids = track(m, set, p);
    EXPECT_TRUE(linked(set, ids[1].at(1), ids[4].at(1)));
}

TEST(Tracker, DetectsADivision) {
    Movie m(4);
    m.box(0, 1, 40, 40, 20);
    m.box(1, 1, 40, 40, 20);
    m.box(2, 2, 38, 40, 12);  // two daughters inside the mother's footprint
    m.box(2, 3, 52, 40, 12);
    m.box(3, 2, 35, 40, 12);
    m.box(3, 3, 55, 40, 12);
    TrackSet set;
    const auto ids = track(m, set);
    const auto d = set.successors(ids[1].at(1));
    EXPECT_EQ(d.size(), 2u);
    EXPECT_EQ(set.assign_track_ids(), 1);
    EXPECT_TRUE(linked(set, ids[2].at(2), ids[3].at(2)));
    EXPECT_TRUE(linked(set, ids[2].at(3), ids[3].at(3)));
    // Without division detection the second daughter starts a new track.
    TrackSet plain;
    TrackerParams p;
    p.divisions = false;
    track(m, plain, p);
    EXPECT_EQ(plain.assign_track_ids(), 2);
}

TEST(Tracker, ResolvesAMergeByContinuingOneTrack) {
    Movie m(3);
    m.box(0, 1, 20, 40, 10);
    m.box(0, 2, 31, 40, 10);
    m.box(1, 1, 20, 40, 21);  // both merge into one region
    m.box(2, 1, 20, 40, 21);
    TrackSet set;
    const auto ids = track(m, set);
    const auto preds = set.predecessors(ids[1].at(1));
    EXPECT_EQ(preds.size(), 1u);
    EXPECT_EQ(set.links().size(), 2u);
}

TEST(Tracker, LeavesFarObjectsUnlinked) {
    Movie m(2);
    m.box(0, 1, 5, 5);
    m.box(1, 1, 80, 80);
    TrackSet set;
    track(m, set);
    EXPECT_TRUE(set.links().empty());
}

TEST(Tracker, ManyObjectsPerFrameStayTractable) {
    Movie m(3, 600, 600);
    int label = 1;
    for (int y = 0; y < 600; y += 12)
        for (int x = 0; x < 600; x += 12) {
            for (int t = 0; t < 3; ++t) m.box(t, label, x + t, y, 8);
            ++label;
        }
    TrackSet set;
    track(m, set);
    EXPECT_EQ(set.links().size(), 2u * 2500u);
}

TEST(Tracker, FramesMustComeInOrder) {
    TrackSet set;
    Tracker tr(TrackerParams{}, set);
    EXPECT_THROW(tr.add_frame(1, cv::Mat::zeros(5, 5, CV_32S), {}), Error);
    EXPECT_THROW(tr.add_frame(0, cv::Mat::zeros(5, 5, CV_16U), {}), Error);
}

TEST(TrackSet, NumbersComponentsByTheirEarliestSpotAndMarksTracks) {
    TrackSet s;
    Instance i;
    i.frame = 0;
    const auto a = s.add_spot(i);       // singleton in frame 0
    const auto b = s.add_spot(i);       // track start in frame 0
    i.frame = 1;
    const auto c = s.add_spot(i);
    s.add_link(b, c);
    EXPECT_THROW(s.add_link(c, b), Error);  // backwards in time
    EXPECT_THROW(s.add_link(b, c), Error);  // duplicate
    EXPECT_EQ(s.assign_track_ids(), 1);
    EXPECT_EQ(s.spot(a).component, 0);
    EXPECT_EQ(s.spot(a).track_id, -1);
    EXPECT_EQ(s.spot(b).component, 1);
    EXPECT_EQ(s.spot(b).track_id, 1);
    EXPECT_EQ(s.spot(c).track_id, 1);
    EXPECT_EQ(s.frames(), 2);
}

#include "nativeseg/merge_tracks.h"

TEST(MergeTracks, PaintsTheBestOverlappingComponentWholeOrTheTrackRegion) {
    cv::Mat mask = cv::Mat::zeros(20, 40, CV_8U);
    mask(cv::Rect(0, 0, 10, 10)).setTo(1);   // component A
    mask(cv::Rect(20, 0, 10, 10)).setTo(1);  // component B
    mask(cv::Rect(0, 15, 5, 5)).setTo(1);    // component C, no track: dropped
    cv::Mat tracks = cv::Mat::zeros(20, 40, CV_32S);
    tracks(cv::Rect(5, 5, 3, 3)).setTo(300);    // a small part of A: A becomes 300 (no 8-bit wrap)
    tracks(cv::Rect(32, 12, 4, 4)).setTo(7);    // overlaps nothing: painted as itself
    tracks(cv::Rect(18, 2, 4, 2)).setTo(9);     // 4 px on B (x 20-21), 4 px on background
    cv::Mat out = merge_tracks_frame(tracks, mask);
    EXPECT_EQ(cv::countNonZero(out == 300), 100);
    EXPECT_EQ(cv::countNonZero(out == 7), 16);
    EXPECT_EQ(cv::countNonZero(out == 9), 100);
    EXPECT_EQ(out.at<int>(17, 2), 0);
}

TEST(MergeTracks, TwoTracksOnOneComponentTheHigherLabelWins) {
    cv::Mat mask = cv::Mat::zeros(10, 10, CV_8U);
    mask(cv::Rect(0, 0, 10, 10)).setTo(1);
    cv::Mat tracks = cv::Mat::zeros(10, 10, CV_32S);
    tracks.at<int>(0, 0) = 5;
    tracks.at<int>(9, 9) = 2;
    cv::Mat out = merge_tracks_frame(tracks, mask);
    EXPECT_EQ(cv::countNonZero(out == 5), 100);
    EXPECT_THROW(merge_tracks_frame(tracks, cv::Mat::zeros(5, 5, CV_8U)), Error);
}
