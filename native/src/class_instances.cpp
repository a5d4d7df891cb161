// Seeded instances from a background / interior / boundary class map (class_instances.h).
#include "nativeseg/class_instances.h"

#include <vector>

#include <opencv2/imgproc.hpp>

#include "nativeseg/error.h"

namespace nativeseg {

namespace {

// Components of `mask` (8-connected) with at least `min_size` pixels, as CV_32S labels
// 1..n starting at `first`; returns the next free label.
int add_components(const cv::Mat& mask, int min_size, int first, cv::Mat& labels) {
    cv::Mat comp, stats, centroids;
    const int n = cv::connectedComponentsWithStats(mask, comp, stats, centroids, 8, CV_32S);
    std::vector<int> map(static_cast<std::size_t>(n), 0);
    int next = first;
    for (int i = 1; i < n; ++i)
        if (stats.at<int>(i, cv::CC_STAT_AREA) >= min_size) map[static_cast<std::size_t>(i)] = next++;
    for (int y = 0; y < mask.rows; ++y) {
        const int* c = comp.ptr<int>(y);
        int* l = labels.ptr<int>(y);
        for (int x = 0; x < mask.cols; ++x)
            if (c[x] > 0 && map[static_cast<std::size_t>(c[x])] > 0) l[x] = map[static_cast<std::size_t>(c[x])];
    }
    return next;
}

// Renumbers labels 1..n in scan order of first pixel, dropping those under min_size.
cv::Mat renumber(const cv::Mat& labels, int count, int min_size) {
    std::vector<int> area(static_cast<std::size_t>(count) + 1, 0);
    for (int y = 0; y < labels.rows; ++y) {
        const int* l = labels.ptr<int>(y);
        for (int x = 0; x < labels.cols; ++x) ++area[static_cast<std::size_t>(l[x])];
    }
    std::vector<int> map(area.size(), 0);
    int next = 1;
    cv::Mat out(labels.size(), CV_32S);
    for (int y = 0; y < labels.rows; ++y) {
        const int* l = labels.ptr<int>(y);
        int* o = out.ptr<int>(y);
        for (int x = 0; x < labels.cols; ++x) {
            const auto v = static_cast<std::size_t>(l[x]);
            if (v != 0 && map[v] == 0 && area[v] >= min_size) map[v] = next++;
            o[x] = v == 0 ? 0 : map[v];
        }
    }
    return out;
}

}  // namespace

cv::Mat instances_from_classes(const cv::Mat& classes, int interior, int boundary, const ClassInstanceParams& params) {
    if (classes.empty() || classes.type() != CV_8U)
        throw Error("instances_from_classes: expected an 8-bit class map");
    if (interior <= 0 || boundary <= 0 || interior == boundary)
        throw Error("instances_from_classes: interior and boundary must be two different non-background classes");
    const cv::Mat seeds_mask = classes == interior;
    const cv::Mat foreground = (classes == interior) | (classes == boundary);

    cv::Mat labels = cv::Mat::zeros(classes.size(), CV_32S);
    const int seeds = add_components(seeds_mask, std::max(1, params.min_seed_size), 1, labels) - 1;

    // Geodesic growth, one 8-neighbour ring per round: a free foreground pixel takes the
    // largest label among its neighbours. The labels go through float (exact below 2^24)
    // because OpenCV's dilation has no 32-bit integer version.
    if (seeds > 0) {
        if (seeds >= (1 << 24)) throw Error("instances_from_classes: too many seeds");
        cv::Mat current;
        labels.convertTo(current, CV_32F);
        const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, {3, 3});
        cv::Mat free_fg = foreground & (labels == 0);
        while (cv::countNonZero(free_fg) > 0) {
            cv::Mat grown;
            cv::dilate(current, grown, kernel);
            cv::Mat reached = free_fg & (grown > 0);
            if (cv::countNonZero(reached) == 0) break;  // the rest is foreground without a seed
            grown.copyTo(current, reached);
            free_fg.setTo(0, reached);
        }
        current.convertTo(labels, CV_32S);
    }
    // Foreground components that no seed reached.
    const cv::Mat orphan = foreground & (labels == 0);
    const int total = add_components(orphan, std::max(1, params.min_size), seeds + 1, labels) - 1;
    return renumber(labels, total, params.min_size);
}

}  // namespace nativeseg
