#pragma once
// The outline walk shared by trace_outline() and instances_from_labels(): follows the pixel
// edges around one 8-connected region, given a predicate "pixel (x, y) is in the region".
//
// It reproduces TrackMate's outlines (MaskUtils.maskToPolygons, adapted from ImageJ's
// ThresholdToSelection) vertex for vertex: TrackMate's row scan closes an outline at the lower
// edge of the rightmost pixel of the region's bottom row, so its vertex list starts at that
// pixel's lower-right corner and goes up first, i.e. counter-clockwise on screen with the
// region on the left. Vertices are kept only where the direction changes, and two region
// pixels that touch at a corner stay in one outline (the walk turns towards them), so the
// region is 8-connected and a hole, even one open at a corner, is never entered.
#include <vector>

#include <opencv2/core/types.hpp>

namespace nativeseg::outline {

/// Corners (integer pixel-corner coordinates: pixel (x, y) spans [x, x+1] x [y, y+1]) of the
/// outline of the region that contains `bottom_right`, which must be the rightmost region
/// pixel of the region's bottom row.
template <typename Inside>
std::vector<cv::Point> walk(cv::Point bottom_right, Inside inside) {
    struct Dir {
        int dx, dy;
    };
    // With the direction d, the two pixels ahead of corner (cx, cy): on the left and on the
    // right of the direction of travel (screen coordinates, y down).
    const auto ahead = [&](int cx, int cy, Dir d, bool left) {
        if (d.dy < 0) return left ? inside(cx - 1, cy - 1) : inside(cx, cy - 1);  // up
        if (d.dy > 0) return left ? inside(cx, cy) : inside(cx - 1, cy);          // down
        if (d.dx < 0) return left ? inside(cx - 1, cy) : inside(cx - 1, cy - 1);  // left
        return left ? inside(cx, cy - 1) : inside(cx, cy);                        // right
    };
    const cv::Point start(bottom_right.x + 1, bottom_right.y + 1);
    std::vector<cv::Point> corners{start};
    cv::Point p = start;
    Dir d{0, -1};
    for (;;) {
        p.x += d.dx;
        p.y += d.dy;
        // Only one region pixel touches the start corner, so the walk passes it once.
        if (p == start) break;
        Dir next;
        if (ahead(p.x, p.y, d, false))
            next = {-d.dy, d.dx};  // turn right; also at a diagonal corner, keeping both pixels in
        else if (ahead(p.x, p.y, d, true))
            next = d;
        else
            next = {d.dy, -d.dx};  // turn left
        if (next.dx != d.dx || next.dy != d.dy) corners.push_back(p);
        d = next;
    }
    return corners;
}

/// Corner coordinates to TrackMate's pixel coordinates (pixel centres on integers: -0.5).
inline std::vector<cv::Point2d> to_pixel_coordinates(const std::vector<cv::Point>& corners, cv::Point offset) {
    std::vector<cv::Point2d> out;
    out.reserve(corners.size());
    for (const cv::Point& c : corners) out.emplace_back(c.x + offset.x - 0.5, c.y + offset.y - 0.5);
    return out;
}

}  // namespace nativeseg::outline
