#pragma once
// Instances of one frame: connected components of a mask (or the regions of a label
// image) with their features, including the outline polygon traced along pixel edges as
// TrackMate's label-image detector does (../shared/docs/trackmate-xml.md §5), so that
// TrackMate re-detecting our exported label video finds the same spots.
#include <cstdint>
#include <vector>

#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

namespace nativeseg {

struct Instance {
    std::uint32_t label = 0;       // value of the object's pixels in the frame's label image
    std::int64_t frame = 0;
    std::int64_t pixel_count = 0;  // pixels of the region
    double centroid_x = 0, centroid_y = 0;  // pixel centroid (pixel centres at integer coordinates)
    cv::Rect bbox;                 // in pixels
    /// Outer outline along pixel edges, in pixel coordinates with TrackMate's -0.5 shift
    /// (a pixel (x, y) spans [x-0.5, x+0.5]); holes ignored; not closed (first vertex not repeated).
    std::vector<cv::Point2d> outline;
    double polygon_area = 0;       // |shoelace area| of the outline, pixels
    double polygon_cx = 0, polygon_cy = 0;  // polygon centroid (TrackMate's spot position), pixels
    double mean_intensity = 0, max_intensity = 0;  // in the raw frame, when given (else 0)
};

struct InstanceParams {
    int connectivity = 8;          // of the mask's connected components
    int min_size = 100;            // components with fewer pixels are removed (strictly fewer)
};

/// Labels the connected components of a 0/1 (or 0/non-zero) CV_8U mask with OpenCV
/// (cv::connectedComponents, CV_32S), removes those under min_size and, when `renumber`
/// is false, keeps the remaining labels unchanged (the reference behaviour: gaps in the
/// numbering). Returns CV_32S labels.
cv::Mat label_mask(const cv::Mat& mask, const InstanceParams& params, bool renumber);

/// Removes the objects of labelled planes (CV_32S; a stack counts as one volume) with fewer than
/// `min_size` pixels and renumbers the rest 1..n in scan order of their first pixel, planes in
/// order.
std::vector<cv::Mat> remove_small_objects(const std::vector<cv::Mat>& labels, int min_size);

/// The instances of a label plane (CV_32S, CV_16U or CV_8U; 0 = background). A label made of
/// several disconnected parts gives one instance per part (8-connected parts), each with
/// the same label, as TrackMate does. `raw` (optional, any single-channel type, same size)
/// gives the intensity features. Instances come in increasing label order, the parts of one
/// label in scan order of their first pixel; negative values count as background.
std::vector<Instance> instances_from_labels(const cv::Mat& labels, std::int64_t frame,
                                            const cv::Mat& raw = cv::Mat());

/// Outer outline of the pixels where region != 0 (CV_8U, one 8-connected component), traced
/// along pixel edges, vertices at pixel corners (integer coordinates of the corner grid,
/// shifted by -0.5 to TrackMate's convention), collinear vertices removed.
/// Vertex for vertex TrackMate's outline: it starts at the lower-right corner of the rightmost
/// pixel of the bottom row and goes up first (counter-clockwise on screen); pixels touching at
/// a corner stay in one outline, which then passes that corner twice. With several components,
/// the one holding that bottom-right pixel is traced.
std::vector<cv::Point2d> trace_outline(const cv::Mat& region01, cv::Point offset = {0, 0});

/// Shoelace area (absolute) and centroid of a polygon.
double polygon_area(const std::vector<cv::Point2d>& polygon);
cv::Point2d polygon_centroid(const std::vector<cv::Point2d>& polygon);

}  // namespace nativeseg
