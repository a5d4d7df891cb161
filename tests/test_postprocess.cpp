// Clean-up and gap filling. The expected numbers of the reference mode are the behaviour
// measured with scipy in ../shared/docs/reference-pipeline.md §4 and §8.2; the golden test
// (tests/golden/) compares with an independent scipy implementation on many videos.
#include <gtest/gtest.h>

#include <vector>

#include <opencv2/imgproc.hpp>

#include "nativeseg/error.h"
#include "nativeseg/gap_fill.h"
#include "nativeseg/mask_cleanup.h"

using namespace nativeseg;

namespace {

using Video = std::vector<cv::Mat>;

Video empty_video(int frames, int h, int w) {
    Video v;
    for (int t = 0; t < frames; ++t) v.push_back(cv::Mat::zeros(h, w, CV_8U));
    return v;
}

void square(cv::Mat& m, int x, int y, int size) { m(cv::Rect(x, y, size, size)).setTo(1); }

Video run(const Video& in, const GapFillParams& p, std::vector<cv::Mat>* smoothed = nullptr) {
    GapFiller f(p, static_cast<std::int64_t>(in.size()));
    Video out;
    for (const cv::Mat& m : in) {
        f.push(m);
        while (f.ready()) {
            out.push_back(f.pop());
            if (smoothed) smoothed->push_back(f.last_smoothed().clone());
        }
    }
    EXPECT_EQ(out.size(), in.size());
    return out;
}

std::vector<int> areas(const Video& v) {
    std::vector<int> a;
    for (const cv::Mat& m : v) a.push_back(cv::countNonZero(m));
    return a;
}

GapFillParams reference() { return GapFillParams{GapFillMode::Reference, 2.0, 0.25}; }
GapFillParams temporal(double level) { return GapFillParams{GapFillMode::Temporal, 2.0, level}; }

}  // namespace

TEST(MaskCleanup, BallOfRadius3Has37Pixels) {
    EXPECT_EQ(cv::countNonZero(ball_kernel(3)), 37);
    EXPECT_EQ(cv::countNonZero(ball_kernel(1)), 9);  // (1.5)^2 = 2.25 includes the diagonals
}

TEST(MaskCleanup, ClosingBridgesANarrowGapAndKeepsBorderObjects) {
    cv::Mat m = cv::Mat::zeros(40, 40, CV_8U);
    m(cv::Rect(0, 10, 15, 10)).setTo(1);   // touches the left border
    m(cv::Rect(17, 10, 15, 10)).setTo(1);  // 2-px gap
    cv::Mat c = close_safe_border(m, 3);
    EXPECT_EQ(c.at<std::uint8_t>(15, 15), 1);
    EXPECT_EQ(c.at<std::uint8_t>(15, 16), 1);
    // Safe border: the object touching the frame edge is not eaten by the erosion.
    EXPECT_EQ(c.at<std::uint8_t>(10, 0), 1);
    EXPECT_EQ(c.at<std::uint8_t>(19, 0), 1);
    EXPECT_EQ(c.at<std::uint8_t>(5, 5), 0);
}

TEST(MaskCleanup, FillHolesUses4ConnectedBackground) {
    cv::Mat m = cv::Mat::zeros(20, 20, CV_8U);
    cv::rectangle(m, cv::Rect(2, 2, 10, 10), cv::Scalar(1), 1);  // closed ring
    cv::Mat f = fill_holes_4(m);
    EXPECT_EQ(f.at<std::uint8_t>(6, 6), 1);
    // A diagonal wall still encloses with 4-connected background: the pixel inside the
    // staircase is not reachable through a diagonal step.
    cv::Mat d = cv::Mat::zeros(5, 5, CV_8U);
    d.at<std::uint8_t>(0, 1) = d.at<std::uint8_t>(1, 0) = 1;  // corner pixel (0,0) cut off 4-connectedly
    EXPECT_EQ(fill_holes_4(d).at<std::uint8_t>(0, 0), 0);      // (0,0) is on the border itself
    cv::Mat e = cv::Mat::zeros(7, 7, CV_8U);
    e.at<std::uint8_t>(2, 3) = e.at<std::uint8_t>(3, 2) = e.at<std::uint8_t>(3, 4) = e.at<std::uint8_t>(4, 3) = 1;
    EXPECT_EQ(fill_holes_4(e).at<std::uint8_t>(3, 3), 1);  // a 4-closed diamond hole is filled
}

TEST(MaskCleanup, SmallObjectsAreCountedWith4Connectivity) {
    cv::Mat m = cv::Mat::zeros(30, 30, CV_8U);
    // Two 8x8 blocks touching only at a corner: 64 px each with 4-connectivity, 128 with 8.
    square(m, 2, 2, 8);
    square(m, 10, 10, 8);
    EXPECT_EQ(cv::countNonZero(remove_small_objects(m, 100, 4)), 0);
    EXPECT_EQ(cv::countNonZero(remove_small_objects(m, 100, 8)), 128);
    EXPECT_EQ(cv::countNonZero(remove_small_objects(m, 64, 4)), 128);  // "< min" is removed, 64 kept
}

TEST(MaskCleanup, ClearBorderRemovesTouchingObjects) {
    cv::Mat m = cv::Mat::zeros(30, 30, CV_8U);
    square(m, 0, 5, 6);
    square(m, 12, 12, 6);
    square(m, 24, 24, 6);  // touches the bottom-right corner
    EXPECT_EQ(cv::countNonZero(remove_border_objects(m)), 36);
    CleanupParams p;
    p.cleanup_min_size = 0;
    p.clear_border = true;
    EXPECT_EQ(cv::countNonZero(cleanup_mask(m, p)), 36);
}

TEST(GapFill, ReflectIndexMatchesScipy) {
    // scipy "reflect" of [0 1 2]: ... 2 1 0 | 0 1 2 | 2 1 0 | 0 1 2 ...
    const int expect[] = {2, 1, 0, 0, 1, 2, 2, 1, 0, 0};
    for (int i = -3; i < 7; ++i) EXPECT_EQ(reflect_index(i, 3), expect[i + 3]) << i;
    EXPECT_EQ(reflect_index(-5, 1), 0);
}

TEST(GapFill, ReferenceWeightsSumToOne) {
    double s = reference_gaussian_weights()[0];
    for (int k = 1; k <= 8; ++k) s += 2 * reference_gaussian_weights()[k];
    EXPECT_NEAR(s, 1.0, 1e-15);
}

TEST(GapFill, ReferenceSpreadsAOneFrameObjectOver11Frames) {
    Video v = empty_video(31, 64, 64);
    square(v[15], 25, 25, 13);
    const std::vector<int> a = areas(run(v, reference()));
    const std::vector<int> expect = {169, 221, 273, 325, 325, 325, 325, 325, 273, 221, 169};
    for (int t = 0; t < 31; ++t) {
        const int want = (t >= 10 && t <= 20) ? expect[t - 10] : 0;
        EXPECT_EQ(a[t], want) << "frame " << t;
    }
}

TEST(GapFill, ReferenceFadesALongPresentSquareOverFiveFrames) {
    Video v = empty_video(40, 64, 64);
    for (int t = 0; t < 20; ++t) square(v[t], 27, 27, 10);
    const std::vector<int> a = areas(run(v, reference()));
    EXPECT_EQ(a[10], 300);  // the "plus" while present
    EXPECT_EQ(a[19], 260);  // its last frame
    const int after[] = {260, 260, 220, 180, 100, 0};
    for (int d = 1; d <= 6; ++d) EXPECT_EQ(a[19 + d], after[d - 1]) << "+" << d;
}

static bool centre_filled_through_gap(int gap, GapFillParams p) {
    Video v = empty_video(60, 48, 48);
    const int start = 20;
    for (int t = 0; t < 60; ++t)
        if (t < start || t >= start + gap) square(v[t], 8, 8, 32);
    Video out = run(v, p);
    for (int t = start; t < start + gap; ++t)
        if (!out[t].at<std::uint8_t>(24, 24)) return false;
    return true;
}

TEST(GapFill, ReferenceBridgesUpTo11MissingFrames) {
    for (int gap = 1; gap <= 11; ++gap) EXPECT_TRUE(centre_filled_through_gap(gap, reference())) << gap;
    EXPECT_FALSE(centre_filled_through_gap(12, reference()));
}

TEST(GapFill, ReferenceMergesNeighboursUpTo10PixelsApart) {
    auto components = [](int gap) {
        Video v = empty_video(20, 40, 80);
        for (int t = 0; t < 20; ++t) {
            square(v[t], 10, 15, 10);
            square(v[t], 20 + gap, 15, 10);
        }
        Video out = run(v, reference());
        cv::Mat labels;
        return cv::connectedComponents(out[10], labels, 8, CV_32S) - 1;
    };
    EXPECT_EQ(components(10), 1);
    EXPECT_EQ(components(11), 2);
}

TEST(GapFill, TemporalModeMatchesItsBehaviourTable) {
    // (level, frames of extension after a long presence, longest gap bridged)
    struct Row { double level; int extension; int gap; };
    for (const Row r : {Row{0.10, 3, 6}, Row{0.25, 1, 4}, Row{0.50, 0, 2}}) {
        Video v = empty_video(40, 16, 16);
        for (int t = 0; t < 20; ++t) square(v[t], 4, 4, 8);
        const std::vector<int> a = areas(run(v, temporal(r.level)));
        for (int d = 1; d <= r.extension; ++d) EXPECT_EQ(a[19 + d], 64) << r.level << " +" << d;
        EXPECT_EQ(a[20 + r.extension], 0) << r.level;
        EXPECT_TRUE(centre_filled_through_gap(r.gap, temporal(r.level))) << r.level;
        EXPECT_FALSE(centre_filled_through_gap(r.gap + 1, temporal(r.level))) << r.level;
    }
}

TEST(GapFill, TemporalModeNeverGrowsObjectsSpatiallyAndKeepsInput) {
    Video v = empty_video(12, 30, 30);
    for (int t = 0; t < 12; ++t)
        if (t != 6) square(v[t], 5 + t, 10, 6);  // a moving square that blinks at frame 6
    Video out = run(v, temporal(0.25));
    cv::Mat any = cv::Mat::zeros(30, 30, CV_8U);
    for (const cv::Mat& m : v) any |= m;
    for (int t = 0; t < 12; ++t) {
        EXPECT_EQ(cv::countNonZero(out[t] & (any == 0)), 0) << "grew outside every input footprint at " << t;
        EXPECT_EQ(cv::countNonZero(v[t] & (out[t] == 0)), 0) << "lost input pixels at " << t;
    }
    EXPECT_GT(cv::countNonZero(out[6]), 0);  // the blink is filled where footprints overlap
}

TEST(GapFill, ShortVideosReflectRepeatedly) {
    Video v = empty_video(3, 20, 20);
    square(v[1], 5, 5, 10);
    const std::vector<int> a = areas(run(v, reference()));
    for (int x : a) EXPECT_GT(x, 0);
    Video one = empty_video(1, 20, 20);
    square(one[0], 5, 5, 10);
    EXPECT_EQ(areas(run(one, reference()))[0], 100 + 2 * 2 * 10 * 5);  // plus shape, reflected in time
}

TEST(GapFill, StreamingOutputDoesNotDependOnTheWindow) {
    cv::RNG rng(3);
    Video v = empty_video(25, 24, 24);
    for (auto& m : v) {
        rng.fill(m, cv::RNG::UNIFORM, 0, 2);
    }
    std::vector<cv::Mat> s1;
    Video a = run(v, reference(), &s1);
    // Same video pushed all at once before popping.
    GapFiller f(reference(), 25);
    for (auto& m : v) f.push(m);
    for (int t = 0; t < 25; ++t) {
        ASSERT_TRUE(f.ready());
        cv::Mat b = f.pop();
        EXPECT_EQ(cv::countNonZero(a[t] != b), 0);
        EXPECT_EQ(cv::countNonZero(s1[t] != f.last_smoothed()), 0);
    }
    EXPECT_FALSE(f.ready());
}

TEST(GapFill, BadInputIsAnError) {
    EXPECT_THROW(GapFiller(reference(), 0), Error);
    EXPECT_THROW(GapFiller(GapFillParams{GapFillMode::Temporal, 0.0, 0.5}, 5), Error);
    EXPECT_THROW(GapFiller(GapFillParams{GapFillMode::Temporal, 2.0, 1.5}, 5), Error);
    GapFiller f(reference(), 2);
    f.push(cv::Mat::zeros(10, 10, CV_8U));
    EXPECT_THROW(f.push(cv::Mat::zeros(11, 10, CV_8U)), Error);
    EXPECT_THROW(f.pop(), Error);
}
