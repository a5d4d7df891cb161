// Instance matching by IoU: TP/FP/FN at thresholds, AP = TP/(TP+FP+FN), F1, mean matched IoU,
// splits and merges, and the threshold list parser.
#include <gtest/gtest.h>

#include "metrics_test_util.h"
#include "nativeseg/error.h"
#include "nativeseg/metrics_instance.h"

using namespace nativeseg;
using namespace nativeseg::testutil;

namespace {

TEST(InstanceMatch, CountsAtEachThreshold) {
    Image gt = label_video(1, 20, 40), res = label_video(1, 20, 40);
    fill_rect(gt, 0, 0, 0, 10, 10, 1);
    fill_rect(res, 0, 0, 0, 10, 10, 4);   // IoU 1
    fill_rect(gt, 0, 20, 0, 10, 10, 2);
    fill_rect(res, 0, 22, 0, 10, 10, 5);  // 80 ∩, 120 ∪: IoU 2/3
    fill_rect(res, 0, 0, 15, 3, 3, 6);    // a false positive
    const InstanceResult r = instance_match(label_overlap(gt, res), {0.5, 0.7});
    EXPECT_EQ(r.gt_objects, 2);
    EXPECT_EQ(r.res_objects, 3);
    const InstanceCounts& a = r.at[0];
    EXPECT_EQ(a.tp, 2);
    EXPECT_EQ(a.fp, 1);
    EXPECT_EQ(a.fn, 0);
    EXPECT_DOUBLE_EQ(a.precision(), 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(a.recall(), 1.0);
    EXPECT_DOUBLE_EQ(a.f1(), 4.0 / 5.0);
    EXPECT_DOUBLE_EQ(a.ap(), 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(a.mean_matched_iou(), (1.0 + 2.0 / 3.0) / 2.0);
    EXPECT_DOUBLE_EQ(a.panoptic_quality(), a.mean_matched_iou() * a.f1());
    const InstanceCounts& b = r.at[1];
    EXPECT_EQ(b.tp, 1);
    EXPECT_EQ(b.fp, 2);
    EXPECT_EQ(b.fn, 1);
    EXPECT_DOUBLE_EQ(b.ap(), 1.0 / 4.0);
    EXPECT_DOUBLE_EQ(b.mean_matched_iou(), 1.0);
}

TEST(InstanceMatch, IdenticalLabelsArePerfectWhateverTheLabelValues) {
    Image gt = label_video(1, 16, 16), res = label_video(1, 16, 16);
    for (int i = 0; i < 3; ++i) {
        fill_rect(gt, 0, 5 * i, 0, 4, 4, static_cast<std::uint16_t>(i + 1));
        fill_rect(res, 0, 5 * i, 0, 4, 4, static_cast<std::uint16_t>(30 - i));
    }
    const InstanceResult r = instance_match(label_overlap(gt, res), parse_iou_thresholds("0.5:0.95:0.05"));
    ASSERT_EQ(r.at.size(), 10u);
    for (const InstanceCounts& c : r.at) {
        EXPECT_EQ(c.tp, 3);
        EXPECT_DOUBLE_EQ(c.ap(), 1.0);
        EXPECT_DOUBLE_EQ(c.f1(), 1.0);
    }
    EXPECT_EQ(r.splits, 0);
    EXPECT_EQ(r.merges, 0);
}

TEST(InstanceMatch, SplitsAndMerges) {
    Image gt = label_video(1, 20, 40), res = label_video(1, 20, 40);
    // GT 1 cut in two result objects: a split (each piece lies mostly inside GT 1).
    fill_rect(gt, 0, 0, 0, 10, 10, 1);
    fill_rect(res, 0, 0, 0, 5, 10, 7);
    fill_rect(res, 0, 5, 0, 5, 10, 8);
    // GT 2 and 3 covered by one result object: a merge.
    fill_rect(gt, 0, 20, 0, 5, 10, 2);
    fill_rect(gt, 0, 26, 0, 5, 10, 3);
    fill_rect(res, 0, 20, 0, 11, 10, 9);
    const InstanceResult r = instance_match(label_overlap(gt, res), {0.5});
    EXPECT_EQ(r.splits, 1);
    EXPECT_EQ(r.merges, 1);
    // Halves have IoU 0.5 with GT 1: one of them matches at 0.5 (IoU >= threshold); the merge
    // has IoU 50/110 with each GT object: no match.
    EXPECT_EQ(r.at[0].tp, 1);
    EXPECT_EQ(r.at[0].fn, 2);
    EXPECT_EQ(r.at[0].fp, 2);
}

// Regression: the merge/split counters were sized by the wrong side, so a merge made by a result
// object whose index exceeds the number of GT objects was lost (and written out of bounds).
TEST(InstanceMatch, MergeByALateResultObjectWhenResultsOutnumberTheGroundTruth) {
    Image gt = label_video(1, 30, 40), res = label_video(1, 30, 40);
    for (int i = 0; i < 5; ++i) fill_rect(res, 0, 30, 6 * i, 3, 3, static_cast<std::uint16_t>(i + 1));  // false positives
    fill_rect(gt, 0, 10, 0, 5, 10, 1);
    fill_rect(gt, 0, 16, 0, 5, 10, 2);
    fill_rect(res, 0, 10, 0, 11, 10, 6);  // the last result object covers both GT objects
    const InstanceResult r = instance_match(label_overlap(gt, res), {0.5});
    EXPECT_EQ(r.gt_objects, 2);
    EXPECT_EQ(r.res_objects, 6);
    EXPECT_EQ(r.merges, 1);
    EXPECT_EQ(r.splits, 0);
    EXPECT_EQ(r.at[0].tp, 0);
    EXPECT_EQ(r.at[0].fp, 6);
}

TEST(InstanceMatch, EmptyAgainstEmptyIsPerfect) {
    const Image e = label_video(1, 4, 4);
    const InstanceResult r = instance_match(label_overlap(e, e), {0.5});
    EXPECT_DOUBLE_EQ(r.at[0].ap(), 1.0);
    EXPECT_DOUBLE_EQ(r.at[0].precision(), 1.0);
    EXPECT_DOUBLE_EQ(r.at[0].recall(), 1.0);
}

TEST(InstanceMatch, ResultsAddUpOverFrames) {
    Image gt = label_video(1, 8, 8), res = label_video(1, 8, 8);
    fill_rect(gt, 0, 0, 0, 4, 4, 1);
    fill_rect(res, 0, 0, 0, 4, 4, 1);
    InstanceResult total = instance_match(label_overlap(gt, res), {0.5});
    total += instance_match(label_overlap(gt, label_video(1, 8, 8)), {0.5});
    EXPECT_EQ(total.at[0].tp, 1);
    EXPECT_EQ(total.at[0].fn, 1);
    EXPECT_DOUBLE_EQ(total.at[0].ap(), 0.5);
}

TEST(IouThresholds, ListsAndRanges) {
    EXPECT_EQ(parse_iou_thresholds("0.5, 0.75,0.9"), (std::vector<double>{0.5, 0.75, 0.9}));
    const auto r = parse_iou_thresholds("0.5:0.95:0.05");
    ASSERT_EQ(r.size(), 10u);
    EXPECT_DOUBLE_EQ(r.front(), 0.5);
    EXPECT_DOUBLE_EQ(r.back(), 0.95);
    EXPECT_DOUBLE_EQ(r[3], 0.65);
}

TEST(IouThresholds, BadValuesNameTheSetting) {
    for (const char* bad : {"0.3", "0.5,abc", "0.5:0.9", "1.5", "", "0.5:0.9:0"}) {
        try {
            parse_iou_thresholds(bad);
            ADD_FAILURE() << "no error for '" << bad << "'";
        } catch (const Error& e) {
            EXPECT_EQ(std::string(e.what()).rfind("iou_thresholds: ", 0), 0u) << e.what();
        }
    }
}

}  // namespace
