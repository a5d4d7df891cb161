// Instances of a frame: connected components of a mask, and the regions of a label image with
// their features. One pass over the pixels finds each label's bounding box; everything else
// (parts, outline, intensity) is computed inside that box, so the cost follows the objects'
// sizes, not the frame's.
#include <algorithm>
#include <unordered_map>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "nativeseg/error.h"
#include "nativeseg/instances.h"

namespace nativeseg {

cv::Mat label_mask(const cv::Mat& mask, const InstanceParams& params, bool renumber) {
    if (mask.empty()) throw Error("label_mask: the mask is empty");
    if (mask.type() != CV_8UC1)
        throw Error("label_mask: expected a single-channel 8-bit mask, got OpenCV type " + std::to_string(mask.type()));
    if (params.connectivity != 4 && params.connectivity != 8)
        throw Error("label_mask: connectivity must be 4 or 8, got " + std::to_string(params.connectivity));

    // Exactly the reference's call, so that label values match it (reference-pipeline.md §3.4).
    cv::Mat labels;
    const int n = cv::connectedComponents(mask, labels, params.connectivity, CV_32S);

    std::vector<std::int64_t> size(static_cast<std::size_t>(n), 0);
    for (int y = 0; y < labels.rows; ++y) {
        const std::int32_t* row = labels.ptr<std::int32_t>(y);
        for (int x = 0; x < labels.cols; ++x) ++size[static_cast<std::size_t>(row[x])];
    }
    std::vector<std::int32_t> lut(static_cast<std::size_t>(n), 0);
    std::int32_t next = 0;
    for (int k = 1; k < n; ++k)
        if (size[static_cast<std::size_t>(k)] >= params.min_size) lut[static_cast<std::size_t>(k)] = renumber ? ++next : k;
    for (int y = 0; y < labels.rows; ++y) {
        std::int32_t* row = labels.ptr<std::int32_t>(y);
        for (int x = 0; x < labels.cols; ++x) row[x] = lut[static_cast<std::size_t>(row[x])];
    }
    return labels;
}

namespace {

struct Box {
    int x0 = INT32_MAX, y0 = INT32_MAX, x1 = -1, y1 = -1;  // inclusive
    bool empty() const { return x1 < 0; }
    void add(int x, int y) {
        x0 = std::min(x0, x);
        x1 = std::max(x1, x);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y);
    }
    cv::Rect rect() const { return {x0, y0, x1 - x0 + 1, y1 - y0 + 1}; }
};

// Bounding box of every positive label, in increasing label order. Dense table when the
// label range is small (the usual case), hash map otherwise.
template <typename T>
std::vector<std::pair<std::uint32_t, cv::Rect>> label_boxes(const cv::Mat& labels) {
    double max_value = 0;
    cv::minMaxLoc(labels, nullptr, &max_value);
    std::vector<std::pair<std::uint32_t, cv::Rect>> out;
    if (max_value <= 0) return out;
    const auto max_label = static_cast<std::uint64_t>(max_value);
    const bool dense = max_label <= std::max<std::uint64_t>(65536, labels.total());
    std::vector<Box> table(dense ? max_label + 1 : 0);
    std::unordered_map<std::uint32_t, Box> map;
    for (int y = 0; y < labels.rows; ++y) {
        const T* row = labels.ptr<T>(y);
        for (int x = 0; x < labels.cols; ++x) {
            const T v = row[x];
            if (v <= 0) continue;  // 0 is background; negative labels are not objects
            if (dense)
                table[static_cast<std::size_t>(v)].add(x, y);
            else
                map[static_cast<std::uint32_t>(v)].add(x, y);
        }
    }
    if (dense) {
        for (std::size_t l = 1; l < table.size(); ++l)
            if (!table[l].empty()) out.emplace_back(static_cast<std::uint32_t>(l), table[l].rect());
    } else {
        for (const auto& [l, box] : map) out.emplace_back(l, box.rect());
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    return out;
}

// Features of one 8-connected part, given its 0/255 mask inside `box` (frame coordinates).
Instance make_instance(std::uint32_t label, std::int64_t frame, const cv::Mat& part, cv::Rect box,
                       std::int64_t pixels, cv::Point2d pixel_centroid, const cv::Mat& raw) {
    Instance in;
    in.label = label;
    in.frame = frame;
    in.pixel_count = pixels;
    in.centroid_x = box.x + pixel_centroid.x;
    in.centroid_y = box.y + pixel_centroid.y;
    in.bbox = box;
    in.outline = trace_outline(part, box.tl());
    in.polygon_area = polygon_area(in.outline);
    const cv::Point2d c = polygon_centroid(in.outline);
    in.polygon_cx = c.x;
    in.polygon_cy = c.y;
    if (!raw.empty()) {
        const cv::Mat r = raw(box);
        in.mean_intensity = cv::mean(r, part)[0];
        double mx = 0;
        cv::minMaxLoc(r, nullptr, &mx, nullptr, nullptr, part);
        in.max_intensity = mx;
    }
    return in;
}

template <typename T>
std::vector<Instance> instances_typed(const cv::Mat& labels, std::int64_t frame, const cv::Mat& raw) {
    std::vector<Instance> out;
    cv::Mat mask, cc, stats, centroids;
    for (const auto& [label, box] : label_boxes<T>(labels)) {
        cv::compare(labels(box), cv::Scalar(static_cast<double>(label)), mask, cv::CMP_EQ);
        // One spot per 8-connected part, as TrackMate's outline tracing joins pixels that
        // touch at a corner (see outline_trace.cpp).
        const int n = cv::connectedComponentsWithStats(mask, cc, stats, centroids, 8, CV_32S);
        for (int k = 1; k < n; ++k) {
            const cv::Rect part_box(stats.at<int>(k, cv::CC_STAT_LEFT), stats.at<int>(k, cv::CC_STAT_TOP),
                                    stats.at<int>(k, cv::CC_STAT_WIDTH), stats.at<int>(k, cv::CC_STAT_HEIGHT));
            cv::Mat part;
            if (n == 2)
                part = mask(part_box);  // a single part: the label mask is the part mask
            else
                cv::compare(cc(part_box), cv::Scalar(k), part, cv::CMP_EQ);
            const cv::Point2d centroid(centroids.at<double>(k, 0) - part_box.x, centroids.at<double>(k, 1) - part_box.y);
            out.push_back(make_instance(label, frame, part, part_box + box.tl(), stats.at<int>(k, cv::CC_STAT_AREA),
                                        centroid, raw));
        }
    }
    return out;
}

}  // namespace

std::vector<Instance> instances_from_labels(const cv::Mat& labels, std::int64_t frame, const cv::Mat& raw) {
    if (labels.empty()) return {};
    if (labels.channels() != 1)
        throw Error("instances_from_labels: the label image must have one channel, got " +
                    std::to_string(labels.channels()));
    if (!raw.empty() && (raw.channels() != 1 || raw.size() != labels.size()))
        throw Error("instances_from_labels: the intensity image must be single-channel and " +
                    std::to_string(labels.cols) + "x" + std::to_string(labels.rows) + " like the labels, got " +
                    std::to_string(raw.cols) + "x" + std::to_string(raw.rows) + " with " +
                    std::to_string(raw.channels()) + " channels");
    switch (labels.depth()) {
        case CV_8U: return instances_typed<std::uint8_t>(labels, frame, raw);
        case CV_16U: return instances_typed<std::uint16_t>(labels, frame, raw);
        case CV_32S: return instances_typed<std::int32_t>(labels, frame, raw);
        default:
            throw Error("instances_from_labels: labels must be 8-bit, 16-bit unsigned or 32-bit signed integers, got "
                        "OpenCV depth " + std::to_string(labels.depth()));
    }
}

}  // namespace nativeseg
