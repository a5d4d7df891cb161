// Outline polygons of pixel regions, traced along pixel edges the way TrackMate's
// label-image detector outlines a label (MaskUtils.maskToPolygons, adapted from ImageJ's
// ThresholdToSelection): vertices at pixel corners, only where the direction changes, holes
// ignored, and two pixels that touch at a corner kept in one outline (8-connected regions).
// Written as a crack-following walk; the start vertex and the direction are chosen so that
// the vertex list comes out exactly as TrackMate's (checked against LabelImage.xml).
#include <opencv2/core.hpp>

#include "nativeseg/error.h"
#include "nativeseg/instances.h"

namespace nativeseg {

namespace {

// The four pixels around the corner (cx, cy) are (cx-1, cy-1), (cx, cy-1), (cx-1, cy) and
// (cx, cy). Walking with the region on the left (on screen, y pointing down), the pixels
// ahead-left and ahead-right of a corner decide the next step.
struct Step {
    int dx, dy;
};

class Region {
public:
    explicit Region(const cv::Mat& m) : m_(m) {}
    bool at(int x, int y) const {
        return x >= 0 && y >= 0 && x < m_.cols && y < m_.rows && m_.ptr<std::uint8_t>(y)[x] != 0;
    }
    // Ahead-left and ahead-right pixels of corner (cx, cy) when moving in direction d.
    bool ahead_left(int cx, int cy, Step d) const {
        if (d.dy < 0) return at(cx - 1, cy - 1);  // up: left is -x
        if (d.dy > 0) return at(cx, cy);          // down: left is +x
        if (d.dx < 0) return at(cx - 1, cy);      // left: left is +y
        return at(cx, cy - 1);                    // right: left is -y
    }
    bool ahead_right(int cx, int cy, Step d) const {
        if (d.dy < 0) return at(cx, cy - 1);
        if (d.dy > 0) return at(cx - 1, cy);
        if (d.dx < 0) return at(cx - 1, cy - 1);
        return at(cx, cy);
    }

private:
    const cv::Mat& m_;
};

Step turn_left(Step d) { return {d.dy, -d.dx}; }
Step turn_right(Step d) { return {-d.dy, d.dx}; }

}  // namespace

std::vector<cv::Point2d> trace_outline(const cv::Mat& region01, cv::Point offset) {
    if (region01.empty()) return {};
    if (region01.type() != CV_8UC1)
        throw Error("trace_outline: expected a single-channel 8-bit region image, got OpenCV type " +
                    std::to_string(region01.type()));
    const Region region(region01);

    // TrackMate's scan closes an outline at the lower edge of the rightmost pixel of the
    // region's bottom row; its vertex list starts at that pixel's lower-right corner and goes
    // up first. Start there too.
    int sx = -1, sy = -1;
    for (int y = region01.rows - 1; y >= 0 && sy < 0; --y) {
        const std::uint8_t* row = region01.ptr<std::uint8_t>(y);
        for (int x = region01.cols - 1; x >= 0; --x)
            if (row[x]) {
                sx = x;
                sy = y;
                break;
            }
    }
    if (sy < 0) return {};

    const cv::Point start(sx + 1, sy + 1);
    std::vector<cv::Point> corners{start};
    cv::Point p = start;
    Step d{0, -1};
    for (;;) {
        p.x += d.dx;
        p.y += d.dy;
        // The start corner touches one region pixel only, so the walk passes it once.
        if (p == start) break;
        Step next;
        if (region.ahead_right(p.x, p.y, d))
            next = turn_right(d);  // also at a diagonal (saddle) corner: keeps both pixels inside
        else if (region.ahead_left(p.x, p.y, d))
            next = d;
        else
            next = turn_left(d);
        if (next.dx != d.dx || next.dy != d.dy) corners.push_back(p);
        d = next;
    }

    std::vector<cv::Point2d> out;
    out.reserve(corners.size());
    for (const cv::Point& c : corners) out.emplace_back(c.x + offset.x - 0.5, c.y + offset.y - 0.5);
    return out;
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
