// Pixel scores, CREMI-style distance-tolerant error counts and the ISBI-2012 V_rand / V_info on
// hand-built masks whose values are worked out in the comments.
#include <gtest/gtest.h>

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "nativeseg/error.h"
#include "nativeseg/metrics_semantic.h"

using namespace nativeseg;

namespace {

cv::Mat mask(int rows, int cols) { return cv::Mat::zeros(rows, cols, CV_8U); }

void fill(cv::Mat& m, int x, int y, int w, int h, int v = 1) {
    cv::rectangle(m, cv::Rect(x, y, w, h), cv::Scalar(v), cv::FILLED);
}

Image image_of(const cv::Mat& m) {
    Image img(Shape{1, 1, 1, m.rows, m.cols}, dtype_from_cv(m.depth()));
    m.copyTo(img.plane_mat(0));
    return img;
}

TEST(PixelScores, ConfusionCountsAndScores) {
    cv::Mat gt = mask(4, 4), pred = mask(4, 4);
    fill(gt, 0, 0, 2, 4);    // 8 foreground pixels (left half)
    fill(pred, 0, 0, 3, 2);  // 6 predicted: 4 right (top-left 2x2), 2 wrong
    const PixelCounts c = pixel_counts(gt, pred);
    EXPECT_EQ(c.tp, 4);
    EXPECT_EQ(c.fp, 2);
    EXPECT_EQ(c.fn, 4);
    EXPECT_EQ(c.tn, 6);
    const PixelScores s = pixel_scores(c);
    EXPECT_DOUBLE_EQ(s.accuracy, 10.0 / 16.0);
    EXPECT_DOUBLE_EQ(s.precision, 4.0 / 6.0);
    EXPECT_DOUBLE_EQ(s.recall, 4.0 / 8.0);
    EXPECT_DOUBLE_EQ(s.iou, 4.0 / 10.0);
    EXPECT_DOUBLE_EQ(s.dice, 8.0 / 14.0);
}

TEST(PixelScores, EmptyAgainstEmptyIsPerfectAndEmptyAgainstSomethingIsZero) {
    const PixelScores both_empty = pixel_scores(pixel_counts(mask(3, 3), mask(3, 3)));
    EXPECT_DOUBLE_EQ(both_empty.precision, 1.0);
    EXPECT_DOUBLE_EQ(both_empty.recall, 1.0);
    EXPECT_DOUBLE_EQ(both_empty.iou, 1.0);
    EXPECT_DOUBLE_EQ(both_empty.dice, 1.0);
    cv::Mat gt = mask(3, 3);
    fill(gt, 0, 0, 1, 1);
    const PixelScores missed = pixel_scores(pixel_counts(gt, mask(3, 3)));
    EXPECT_DOUBLE_EQ(missed.precision, 0.0);
    EXPECT_DOUBLE_EQ(missed.recall, 0.0);
    EXPECT_DOUBLE_EQ(missed.dice, 0.0);
}

TEST(PixelScores, ProbabilityMapsAreCutAboveTheCutoffAndMasksAtNonZero) {
    Image prob(Shape{1, 1, 1, 1, 4}, DType::F32);
    float* p = prob.data<float>();
    p[0] = 0.2f;
    p[1] = 0.5f;
    p[2] = 0.51f;
    p[3] = NAN;
    const cv::Mat m = foreground_mask(prob, 0, 0.5);
    EXPECT_EQ(m.at<std::uint8_t>(0, 0), 0);
    EXPECT_EQ(m.at<std::uint8_t>(0, 1), 0);  // strictly above
    EXPECT_EQ(m.at<std::uint8_t>(0, 2), 1);
    EXPECT_EQ(m.at<std::uint8_t>(0, 3), 0);  // NaN is background
    Image labels(Shape{1, 1, 1, 1, 3}, DType::U16);
    labels.data<std::uint16_t>()[1] = 7;
    const cv::Mat l = foreground_mask(labels, 0, 100.0);  // the cutoff is for float maps only
    EXPECT_EQ(l.at<std::uint8_t>(0, 1), 1);
    EXPECT_EQ(cv::countNonZero(l), 1);
}

TEST(DistanceErrors, ToleranceForgivesNearMisses) {
    cv::Mat gt = mask(20, 20), pred = mask(20, 20);
    fill(gt, 5, 5, 4, 4);
    fill(pred, 6, 5, 4, 4);    // shifted by one pixel
    fill(pred, 16, 16, 2, 2);  // far away: 4 pixels
    const DistanceErrors plain = distance_errors(gt, pred, 0);
    EXPECT_EQ(plain.fp_pixels, 4 + 4);
    EXPECT_EQ(plain.fn_pixels, 4);
    const DistanceErrors tolerant = distance_errors(gt, pred, 1.5);
    EXPECT_EQ(tolerant.fp_pixels, 4);
    EXPECT_EQ(tolerant.fn_pixels, 0);
    EXPECT_EQ(distance_errors(gt, mask(20, 20), 3).fn_pixels, 16);  // nothing predicted
}

// A 10x10 ground truth: region 1 left of a boundary column at x = 5 (50 px), region 2 right of
// it (40 px), N = 90 pixels inside regions.
cv::Mat two_regions() {
    cv::Mat gt = mask(10, 10);
    fill(gt, 0, 0, 5, 10, 1);
    fill(gt, 6, 0, 4, 10, 1);
    return gt;
}

TEST(IsbiScores, GroundTruthRegionsAre4ConnectedComponentsOfABinaryMask) {
    const cv::Mat regions = ground_truth_regions(image_of(two_regions()), 0);
    EXPECT_EQ(regions.type(), CV_32S);
    EXPECT_NE(regions.at<int>(0, 0), regions.at<int>(0, 9));
    EXPECT_EQ(regions.at<int>(0, 5), 0);
    // A label image keeps its labels, even when two regions touch.
    cv::Mat labels = mask(4, 4);
    fill(labels, 0, 0, 2, 4, 3);
    fill(labels, 2, 0, 2, 4, 9);
    const cv::Mat kept = ground_truth_regions(image_of(labels), 0);
    EXPECT_EQ(kept.at<int>(0, 0), 3);
    EXPECT_EQ(kept.at<int>(0, 3), 9);
}

TEST(IsbiScores, PerfectBoundariesScoreOne) {
    const cv::Mat gt = two_regions();
    const RandInfoSums s = rand_info_sums(ground_truth_regions(image_of(gt), 0), thinned_regions(gt));
    EXPECT_EQ(s.foreground_pixels, 90);
    EXPECT_DOUBLE_EQ(*s.v_rand(), 1.0);
    EXPECT_NEAR(*s.v_info(), 1.0, 1e-12);
}

TEST(IsbiScores, ThickPredictedBoundariesAreThinnedFirst) {
    cv::Mat pred = mask(10, 10);
    fill(pred, 0, 0, 4, 10, 1);  // boundary band x = 4..6, thinned to x = 5
    fill(pred, 7, 0, 3, 10, 1);
    const cv::Mat thin = thinned_regions(pred);
    EXPECT_EQ(thin.at<int>(3, 5), 0);
    EXPECT_NE(thin.at<int>(3, 4), 0);
    EXPECT_NE(thin.at<int>(3, 6), 0);
    const RandInfoSums s = rand_info_sums(ground_truth_regions(image_of(two_regions()), 0), thin);
    EXPECT_DOUBLE_EQ(*s.v_rand(), 1.0);
}

TEST(IsbiScores, AMissingBoundaryIsAMerge) {
    // One predicted region over both: Σn² = 50² + 40² = 4100 = Σa², Σb² = 90² = 8100,
    // V_rand = 2·4100 / (4100 + 8100); H(S) = 0 so I = 0: V_info = 0.
    cv::Mat all = mask(10, 10);
    all.setTo(1);
    const RandInfoSums s = rand_info_sums(ground_truth_regions(image_of(two_regions()), 0), thinned_regions(all));
    EXPECT_NEAR(*s.v_rand(), 8200.0 / 12200.0, 1e-12);
    EXPECT_NEAR(*s.rand_precision(), 4100.0 / 8100.0, 1e-12);
    EXPECT_NEAR(*s.rand_recall(), 1.0, 1e-12);
    EXPECT_NEAR(*s.v_info(), 0.0, 1e-12);
}

TEST(IsbiScores, AnExtraBoundaryIsASplit) {
    // Region 1 cut by a predicted boundary row at y = 5: pieces of 25 and 20 px and 5 boundary
    // pixels, each a region of its own. Σn² = 25² + 20² + 40² + 5 = 2630 = Σb², Σa² = 4100.
    cv::Mat pred = two_regions();
    fill(pred, 0, 5, 5, 1, 0);
    const RandInfoSums s = rand_info_sums(ground_truth_regions(image_of(two_regions()), 0), thinned_regions(pred));
    EXPECT_NEAR(*s.v_rand(), 2.0 * 2630.0 / (4100.0 + 2630.0), 1e-12);
    EXPECT_NEAR(*s.rand_precision(), 1.0, 1e-12);
    // Information: q = count / 90. H(T) over {50, 40}; H(S) = H(S,T) over {25, 20, 40, 1 x 5}.
    auto h = [](std::initializer_list<double> counts) {
        double e = 0;
        for (double c : counts) e -= c / 90.0 * std::log(c / 90.0);
        return e;
    };
    const double h_t = h({50, 40}), h_s = h({25, 20, 40, 1, 1, 1, 1, 1});
    const double mi = h_t;  // every predicted region lies in one GT region: H(T|S) = 0
    const double p = mi / h_s, r = mi / h_t;
    EXPECT_NEAR(*s.v_info(), 2 * p * r / (p + r), 1e-12);
}

TEST(IsbiScores, RandSumsPoolOverPlanes) {
    const cv::Mat gt_regions = ground_truth_regions(image_of(two_regions()), 0);
    cv::Mat all = mask(10, 10);
    all.setTo(1);
    RandInfoSums s = rand_info_sums(gt_regions, thinned_regions(two_regions()));
    s += rand_info_sums(gt_regions, thinned_regions(all));
    EXPECT_NEAR(*s.v_rand(), 2.0 * (4100 + 4100) / (8200.0 + 4100 + 8100), 1e-12);
    EXPECT_NEAR(*s.v_info(), 0.5, 1e-12);  // mean of 1 and 0
}

TEST(IsbiScores, NoGroundTruthForegroundHasNoScore) {
    const RandInfoSums s = rand_info_sums(cv::Mat::zeros(4, 4, CV_32S), cv::Mat::ones(4, 4, CV_32S));
    EXPECT_FALSE(s.v_rand().has_value());
}

}  // namespace
