// Instances of a frame: connected components of a mask, and the 8-connected parts of the
// regions of a label image with their features. One pass over the pixels cuts the label image
// into runs of equal values; parts are unions of touching runs, their features are sums over
// runs, and each outline is walked along its own boundary, so after the first pass the cost
// follows the number of runs and the objects' perimeters, not the frame's size.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "nativeseg/error.h"
#include "nativeseg/instances.h"
#include "outline_walk.h"

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

std::vector<cv::Mat> remove_small_objects(const std::vector<cv::Mat>& labels, int min_size) {
    std::vector<std::int64_t> size;
    for (const auto& l : labels)
        for (int y = 0; y < l.rows; ++y) {
            const std::int32_t* row = l.ptr<std::int32_t>(y);
            for (int x = 0; x < l.cols; ++x) {
                const auto v = static_cast<std::size_t>(std::max(row[x], 0));
                if (v >= size.size()) size.resize(v + 1, 0);
                ++size[v];
            }
        }
    std::vector<std::int32_t> lut(size.size(), 0);
    std::int32_t next = 0;
    std::vector<cv::Mat> out;
    for (const auto& l : labels) {
        cv::Mat o(l.size(), CV_32S);
        for (int y = 0; y < l.rows; ++y) {
            const std::int32_t* row = l.ptr<std::int32_t>(y);
            std::int32_t* dst = o.ptr<std::int32_t>(y);
            for (int x = 0; x < l.cols; ++x) {
                const auto v = static_cast<std::size_t>(std::max(row[x], 0));
                if (v != 0 && lut[v] == 0 && size[v] >= min_size) lut[v] = ++next;
                dst[x] = v == 0 ? 0 : lut[v];
            }
        }
        out.push_back(o);
    }
    return out;
}

namespace {

// A horizontal run of equal positive label values in one row.
struct Run {
    int x0, x1, y;  // inclusive
    std::uint32_t label;
};

template <typename T>
std::vector<Run> label_runs(const cv::Mat& labels) {
    std::vector<Run> runs;
    for (int y = 0; y < labels.rows; ++y) {
        const T* row = labels.ptr<T>(y);
        for (int x = 0; x < labels.cols;) {
            const T v = row[x];
            if (v <= 0) {  // 0 is background; negative labels are not objects
                ++x;
                continue;
            }
            const int x0 = x;
            while (x < labels.cols && row[x] == v) ++x;
            runs.push_back({x0, x - 1, y, static_cast<std::uint32_t>(v)});
        }
    }
    return runs;
}

// Union-find over runs: runs of the same label in consecutive rows that touch, also at a
// corner, belong to the same 8-connected part.
std::vector<std::size_t> join_runs(const std::vector<Run>& runs) {
    std::vector<std::size_t> parent(runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) parent[i] = i;
    const auto find = [&](std::size_t i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    };
    std::size_t above = 0;      // first run of the previous row still worth looking at
    std::size_t row_start = 0;  // first run of the current row
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const Run& r = runs[i];
        if (i > 0 && r.y != runs[i - 1].y) {
            above = runs[i - 1].y == r.y - 1 ? row_start : i;  // no runs in the row above: none
            row_start = i;
        }
        while (above < row_start && runs[above].x1 < r.x0 - 1) ++above;
        for (std::size_t j = above; j < row_start && runs[j].x0 <= r.x1 + 1; ++j)
            if (runs[j].label == r.label) parent[find(i)] = find(j);
    }
    for (std::size_t i = 0; i < runs.size(); ++i) parent[i] = find(i);
    return parent;
}

struct Part {
    std::uint32_t label = 0;
    std::int64_t pixels = 0;
    double sum_x = 0, sum_y = 0, sum_raw = 0, max_raw = -HUGE_VAL;
    int x0 = INT32_MAX, y0 = INT32_MAX, x1 = -1, y1 = -1;
    std::size_t last_run = 0;  // in scan order: the rightmost run of the part's bottom row
};

template <typename T>
std::vector<Instance> instances_typed(const cv::Mat& labels, std::int64_t frame, const cv::Mat& raw) {
    const std::vector<Run> runs = label_runs<T>(labels);
    const std::vector<std::size_t> root = join_runs(runs);

    // Parts numbered in scan order of their first pixel; features summed run by run.
    cv::Mat raw64;
    if (!raw.empty()) raw.convertTo(raw64, CV_64F);
    std::vector<Part> parts;
    std::vector<std::size_t> part_of_root(runs.size(), SIZE_MAX);
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const Run& r = runs[i];
        std::size_t& k = part_of_root[root[i]];
        if (k == SIZE_MAX) {
            k = parts.size();
            parts.emplace_back();
            parts.back().label = r.label;
        }
        Part& p = parts[k];
        const std::int64_t n = r.x1 - r.x0 + 1;
        p.pixels += n;
        p.sum_x += 0.5 * static_cast<double>((r.x0 + r.x1) * n);
        p.sum_y += static_cast<double>(r.y) * static_cast<double>(n);
        p.x0 = std::min(p.x0, r.x0);
        p.x1 = std::max(p.x1, r.x1);
        p.y0 = std::min(p.y0, r.y);
        p.y1 = r.y;
        p.last_run = i;
        if (!raw64.empty()) {
            const double* v = raw64.ptr<double>(r.y);
            for (int x = r.x0; x <= r.x1; ++x) {
                p.sum_raw += v[x];
                p.max_raw = std::max(p.max_raw, v[x]);
            }
        }
    }

    std::vector<std::size_t> order(parts.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return parts[a].label < parts[b].label; });

    std::vector<Instance> out;
    out.reserve(parts.size());
    for (std::size_t k : order) {
        const Part& p = parts[k];
        Instance in;
        in.label = p.label;
        in.frame = frame;
        in.pixel_count = p.pixels;
        in.centroid_x = p.sum_x / static_cast<double>(p.pixels);
        in.centroid_y = p.sum_y / static_cast<double>(p.pixels);
        in.bbox = cv::Rect(p.x0, p.y0, p.x1 - p.x0 + 1, p.y1 - p.y0 + 1);
        // Other parts of the same label never touch this part's outline (they are not
        // 8-adjacent to it), so "same label" is enough to walk it.
        const T value = static_cast<T>(p.label);
        const auto inside = [&](int x, int y) {
            return x >= 0 && y >= 0 && x < labels.cols && y < labels.rows && labels.ptr<T>(y)[x] == value;
        };
        const Run& start = runs[p.last_run];
        in.outline = outline::to_pixel_coordinates(outline::walk({start.x1, start.y}, inside), {0, 0});
        in.polygon_area = polygon_area(in.outline);
        const cv::Point2d c = polygon_centroid(in.outline);
        in.polygon_cx = c.x;
        in.polygon_cy = c.y;
        if (!raw64.empty()) {
            in.mean_intensity = p.sum_raw / static_cast<double>(p.pixels);
            in.max_intensity = p.max_raw;
        }
        out.push_back(std::move(in));
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
