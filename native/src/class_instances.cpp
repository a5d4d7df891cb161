// Seeded instances from a background / interior / boundary class map (class_instances.h).
#include "nativeseg/class_instances.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "nativeseg/error.h"
#include "nativeseg/instances.h"

namespace nativeseg {

cv::Mat instances_from_classes(const cv::Mat& classes, int interior, int boundary, const ClassInstanceParams& params) {
    if (classes.empty() || classes.type() != CV_8U)
        throw Error("instances_from_classes: expected an 8-bit class map");
    if (interior <= 0 || boundary <= 0 || interior == boundary)
        throw Error("instances_from_classes: interior and boundary must be two different non-background classes");
    const cv::Mat seeds_mask = classes == interior;
    const cv::Mat foreground = (classes == interior) | (classes == boundary);

    InstanceParams seed_params;
    seed_params.min_size = std::max(1, params.min_seed_size);
    cv::Mat labels = label_mask(seeds_mask, seed_params, true);
    double max_seed = 0;
    cv::minMaxLoc(labels, nullptr, &max_seed);
    const int seeds = static_cast<int>(max_seed);

    // Geodesic growth, one 8-neighbour ring per round: a free foreground pixel takes the
    // largest label among its neighbours. The labels go through float (exact below 2^24)
    // because OpenCV's dilation has no 32-bit integer version.
    if (seeds > 0) {
        if (seeds >= (1 << 24)) throw Error("instances_from_classes: too many seeds");
        cv::Mat current;
        labels.convertTo(current, CV_32F);
        const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, {3, 3});
        cv::Mat free_fg = foreground & (labels == 0), grown, reached;
        while (cv::countNonZero(free_fg) > 0) {
            cv::dilate(current, grown, kernel);
            cv::bitwise_and(free_fg, grown > 0, reached);
            if (cv::countNonZero(reached) == 0) break;  // the rest is foreground without a seed
            grown.copyTo(current, reached);
            free_fg.setTo(0, reached);
        }
        current.convertTo(labels, CV_32S);
    }
    // Foreground components that no seed reached, numbered after the seeds.
    InstanceParams orphan_params;
    orphan_params.min_size = std::max(1, params.min_size);
    cv::Mat orphans = label_mask(foreground & (labels == 0), orphan_params, true);
    cv::add(orphans, cv::Scalar(seeds), labels, orphans > 0);
    return remove_small_objects({labels}, params.min_size)[0];
}

}  // namespace nativeseg
