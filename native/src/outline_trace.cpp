// Outline polygons of pixel regions (the walk itself is in outline_walk.h) and the shoelace
// area and centroid that TrackMate computes for a spot's ROI.
#include <cmath>

#include <opencv2/core.hpp>

#include "nativeseg/error.h"
#include "nativeseg/instances.h"
#include "outline_walk.h"

namespace nativeseg {

std::vector<cv::Point2d> trace_outline(const cv::Mat& region01, cv::Point offset) {
    if (region01.empty()) return {};
    if (region01.type() != CV_8UC1)
        throw Error("trace_outline: expected a single-channel 8-bit region image, got OpenCV type " +
                    std::to_string(region01.type()));
    // The walk starts at the rightmost pixel of the bottom row.
    for (int y = region01.rows - 1; y >= 0; --y) {
        const std::uint8_t* row = region01.ptr<std::uint8_t>(y);
        for (int x = region01.cols - 1; x >= 0; --x)
            if (row[x]) {
                const auto inside = [&](int px, int py) {
                    return px >= 0 && py >= 0 && px < region01.cols && py < region01.rows &&
                           region01.ptr<std::uint8_t>(py)[px] != 0;
                };
                return outline::to_pixel_coordinates(outline::walk({x, y}, inside), offset);
            }
    }
    return {};
}

double polygon_area(const std::vector<cv::Point2d>& polygon) {
    const std::size_t n = polygon.size();
    if (n < 3) return 0;
    // Relative to the first vertex: the same area, with less cancellation far from the origin.
    const cv::Point2d o = polygon[0];
    double twice = 0;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const cv::Point2d a = polygon[i] - o, b = polygon[i + 1] - o;
        twice += a.x * b.y - b.x * a.y;
    }
    return std::abs(twice) / 2;
}

cv::Point2d polygon_centroid(const std::vector<cv::Point2d>& polygon) {
    const std::size_t n = polygon.size();
    if (n == 0) return {0, 0};
    const cv::Point2d o = polygon[0];
    double twice = 0, cx = 0, cy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const cv::Point2d a = polygon[i] - o, b = polygon[(i + 1) % n] - o;
        const double c = a.x * b.y - b.x * a.y;
        twice += c;
        cx += (a.x + b.x) * c;
        cy += (a.y + b.y) * c;
    }
    if (twice == 0) {  // degenerate: the mean of the vertices
        cv::Point2d m(0, 0);
        for (const cv::Point2d& v : polygon) m += v;
        return m / static_cast<double>(n);
    }
    return {o.x + cx / (3 * twice), o.y + cy / (3 * twice)};
}

}  // namespace nativeseg
