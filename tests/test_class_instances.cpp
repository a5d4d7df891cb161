// Instances from background / interior / boundary class maps (class_instances.h), and the
// labels output of a three-class model through probabilities_to.
#include <gtest/gtest.h>

#include <cstring>
#include <set>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "nativeseg/class_instances.h"
#include "nativeseg/error.h"
#include "nativeseg/segment.h"

using namespace nativeseg;

namespace {

// A class map from a picture: '.' background (0), 'i' interior (1), 'b' boundary (2).
cv::Mat classes(std::initializer_list<const char*> rows) {
    const int h = static_cast<int>(rows.size());
    const int w = static_cast<int>(std::strlen(*rows.begin()));
    cv::Mat m(h, w, CV_8U, cv::Scalar(0));
    int y = 0;
    for (const char* r : rows) {
        for (int x = 0; x < w; ++x) m.at<std::uint8_t>(y, x) = r[x] == 'i' ? 1 : r[x] == 'b' ? 2 : 0;
        ++y;
    }
    return m;
}

// Two cells whose boundary bands touch: one foreground component, two interior seeds.
cv::Mat touching_cells() {
    return classes({
        "............",
        ".bbbbbbbbbb.",
        ".biibbbiiib.",
        ".biibbbiiib.",
        ".bbbbbbbbbb.",
        "............",
    });
}

int object_count(const cv::Mat& labels) {
    double mx = 0;
    cv::minMaxLoc(labels, nullptr, &mx);
    return static_cast<int>(mx);
}

}  // namespace

TEST(ClassInstances, TouchingCellsStayApartAndKeepTheirBoundaryBand) {
    const cv::Mat c = touching_cells();
    cv::Mat foreground_cc;
    ASSERT_EQ(cv::connectedComponents(c > 0, foreground_cc, 8, CV_32S), 2);  // what plain components would give
    const cv::Mat l = instances_from_classes(c, 1, 2, {1, 0});
    EXPECT_EQ(object_count(l), 2);
    // Every foreground pixel belongs to an object; background stays background.
    EXPECT_EQ(cv::countNonZero(l > 0), cv::countNonZero(c > 0));
    EXPECT_EQ(cv::countNonZero((l > 0) & (c == 0)), 0);
    // Each seed's band goes with it: the left column belongs to the left cell, the right to the right.
    EXPECT_EQ(l.at<int>(2, 1), l.at<int>(2, 2));
    EXPECT_EQ(l.at<int>(2, 10), l.at<int>(2, 8));
    EXPECT_NE(l.at<int>(2, 2), l.at<int>(2, 8));
    // A band pixel goes to the seed it is nearer to.
    EXPECT_EQ(l.at<int>(2, 4), l.at<int>(2, 2));
    EXPECT_EQ(l.at<int>(2, 6), l.at<int>(2, 8));
}

TEST(ClassInstances, SmallInteriorCrumbsDoNotStartObjects) {
    const cv::Mat c = classes({
        "..........",
        ".bbbbbbbb.",
        ".biiiibib.",
        ".biiiibbb.",
        ".bbbbbbbb.",
        "..........",
    });
    EXPECT_EQ(object_count(instances_from_classes(c, 1, 2, {1, 0})), 2);  // the crumb counts as a seed
    const cv::Mat l = instances_from_classes(c, 1, 2, {2, 0});          // a seed needs 2 pixels
    EXPECT_EQ(object_count(l), 1);
    EXPECT_EQ(l.at<int>(2, 7), 1);  // the crumb's pixel joins the cell it lies in
}

TEST(ClassInstances, ForegroundWithoutASeedIsAnObjectWhenLargeEnough) {
    const cv::Mat c = classes({
        "...........",
        ".bbb...bbbb",
        ".bib...bbbb",
        ".bbb...bbbb",
        "...........",
        "..b........",
    });
    cv::Mat l = instances_from_classes(c, 1, 2, {1, 0});
    EXPECT_EQ(object_count(l), 3);  // the seeded cell, the boundary-only blob, the single pixel
    EXPECT_EQ(l.at<int>(2, 2), 1);  // numbered in scan order of the first pixel
    EXPECT_EQ(l.at<int>(1, 7), 2);
    l = instances_from_classes(c, 1, 2, {1, 2});  // min_size 2 drops the single pixel only
    EXPECT_EQ(object_count(l), 2);
    EXPECT_EQ(l.at<int>(5, 2), 0);
    l = instances_from_classes(c, 1, 2, {1, 10});  // 9-pixel seeded cell goes too; the 12-pixel blob stays
    EXPECT_EQ(object_count(l), 1);
    EXPECT_EQ(l.at<int>(1, 7), 1);
    EXPECT_EQ(l.at<int>(2, 2), 0);
}

TEST(ClassInstances, GrowthFollowsTheForegroundNotStraightLines) {
    // The band pixel at the far end of the U is nearer (Euclidean) to the right seed across the
    // background gap, but only connected to the left seed.
    const cv::Mat c = classes({
        "bbbbbbb",
        "biibbbb",
        "bbb....",
        "bbb.bbb",
        "bbb.bii",
    });
    const cv::Mat l = instances_from_classes(c, 1, 2, {1, 0});
    EXPECT_EQ(object_count(l), 2);
    EXPECT_EQ(l.at<int>(0, 6), l.at<int>(1, 1));
    EXPECT_EQ(l.at<int>(3, 4), l.at<int>(4, 6));
}

TEST(ClassInstances, RejectsBadInput) {
    EXPECT_THROW(instances_from_classes(cv::Mat(), 1, 2, {}), Error);
    EXPECT_THROW(instances_from_classes(cv::Mat(3, 3, CV_32F, cv::Scalar(0)), 1, 2, {}), Error);
    EXPECT_THROW(instances_from_classes(cv::Mat(3, 3, CV_8U, cv::Scalar(0)), 1, 1, {}), Error);
}

TEST(ClassInstances, ThreeClassProbabilitiesGiveSeededLabels) {
    // Channels background / interior / boundary.
    const cv::Mat c = touching_cells();
    Shape s;
    s.c = 3;
    s.y = c.rows;
    s.x = c.cols;
    Image prob(s, DType::F32);
    for (int i = 0; i < c.rows * c.cols; ++i)
        for (int ch = 0; ch < 3; ++ch) prob.plane<float>(ch)[i] = c.data[i] == ch ? 0.8f : 0.1f;
    LabelOptions seeded;
    seeded.interior_channel = 1;
    seeded.boundary_channel = 2;
    seeded.seed_min_size = 1;
    const Image two = probabilities_to(prob, OutputType::Labels, 1, std::nullopt, false, seeded);
    std::set<int> values(two.data<std::uint16_t>(), two.data<std::uint16_t>() + c.rows * c.cols);
    EXPECT_EQ(values, (std::set<int>{0, 1, 2}));
    EXPECT_EQ(two.plane<std::uint16_t>(0)[1 * c.cols + 1], two.plane<std::uint16_t>(0)[2 * c.cols + 2]);
    // Without channel names: components of the foreground channel (the interior) only.
    const Image plain = probabilities_to(prob, OutputType::Labels, 1, std::nullopt);
    EXPECT_EQ(plain.plane<std::uint16_t>(0)[1 * c.cols + 1], 0);
    // The minimum size applies to the grown cells: 16 and 24 pixels (the band's middle column,
    // equally far from both seeds, goes to the higher label).
    seeded.min_size = 17;
    EXPECT_EQ(cv::countNonZero(probabilities_to(prob, OutputType::Labels, 1, std::nullopt, false, seeded).plane_mat(0)), 24);
    seeded.min_size = 25;
    const Image none = probabilities_to(prob, OutputType::Labels, 1, std::nullopt, false, seeded);
    EXPECT_EQ(cv::countNonZero(none.plane_mat(0)), 0);
}
