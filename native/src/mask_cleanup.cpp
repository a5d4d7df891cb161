#include "nativeseg/mask_cleanup.h"

#include <opencv2/imgproc.hpp>

#include "nativeseg/error.h"

namespace nativeseg {

namespace {
void check_mask(const cv::Mat& m, const char* what) {
    if (m.empty() || m.type() != CV_8UC1)
        throw Error(std::string(what) + ": expected a non-empty 8-bit single-channel mask");
}
}  // namespace

cv::Mat ball_kernel(int radius) {
    const int size = 2 * radius + 1;
    cv::Mat k(size, size, CV_8U, cv::Scalar(0));
    const double r2 = (radius + 0.5) * (radius + 0.5);
    for (int dy = -radius; dy <= radius; ++dy)
        for (int dx = -radius; dx <= radius; ++dx)
            if (dx * dx + dy * dy <= r2) k.at<std::uint8_t>(dy + radius, dx + radius) = 1;
    return k;
}

cv::Mat close_safe_border(const cv::Mat& mask01, int radius) {
    check_mask(mask01, "closing");
    if (radius <= 0) return mask01.clone();
    const cv::Mat kernel = ball_kernel(radius);
    cv::Mat padded, dilated, eroded;
    cv::copyMakeBorder(mask01, padded, radius, radius, radius, radius, cv::BORDER_CONSTANT, cv::Scalar(0));
    // Outside the padded frame the dilation sees background and the erosion foreground,
    // as ITK's filters do; with a pad of one radius neither reaches a pixel of the frame.
    cv::dilate(padded, dilated, kernel, cv::Point(-1, -1), 1, cv::BORDER_CONSTANT, cv::Scalar(0));
    cv::erode(dilated, eroded, kernel, cv::Point(-1, -1), 1, cv::BORDER_CONSTANT, cv::Scalar(255));
    return eroded(cv::Rect(radius, radius, mask01.cols, mask01.rows)).clone();
}

cv::Mat fill_holes_4(const cv::Mat& mask01) {
    check_mask(mask01, "fill holes");
    // Pad with one background pixel so a single flood fill from the corner reaches every
    // background pixel connected to the border.
    cv::Mat padded;
    cv::copyMakeBorder(mask01, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(0));
    cv::Mat reach = (padded != 0) / 255;  // 0 background, 1 foreground
    cv::floodFill(reach, cv::Point(0, 0), cv::Scalar(2), nullptr, cv::Scalar(0), cv::Scalar(0), 4);
    cv::Mat out = (reach(cv::Rect(1, 1, mask01.cols, mask01.rows)) != 2) / 255;
    return out;
}

cv::Mat remove_small_objects(const cv::Mat& mask01, int min_size, int connectivity) {
    check_mask(mask01, "remove small objects");
    if (min_size <= 1) return (mask01 != 0) / 255;
    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(mask01, labels, stats, centroids, connectivity, CV_32S);
    std::vector<std::uint8_t> keep(static_cast<std::size_t>(n), 0);
    for (int i = 1; i < n; ++i) keep[i] = stats.at<int>(i, cv::CC_STAT_AREA) >= min_size;
    cv::Mat out(mask01.size(), CV_8U);
    for (int y = 0; y < labels.rows; ++y) {
        const int* l = labels.ptr<int>(y);
        std::uint8_t* o = out.ptr<std::uint8_t>(y);
        for (int x = 0; x < labels.cols; ++x) o[x] = keep[static_cast<std::size_t>(l[x])];
    }
    return out;
}

cv::Mat remove_border_objects(const cv::Mat& mask01) {
    check_mask(mask01, "clear border");
    cv::Mat labels;
    const int n = cv::connectedComponents(mask01, labels, 4, CV_32S);
    std::vector<std::uint8_t> touches(static_cast<std::size_t>(n), 0);
    const int h = labels.rows, w = labels.cols;
    for (int x = 0; x < w; ++x) touches[labels.at<int>(0, x)] = touches[labels.at<int>(h - 1, x)] = 1;
    for (int y = 0; y < h; ++y) touches[labels.at<int>(y, 0)] = touches[labels.at<int>(y, w - 1)] = 1;
    cv::Mat out(mask01.size(), CV_8U);
    for (int y = 0; y < h; ++y) {
        const int* l = labels.ptr<int>(y);
        std::uint8_t* o = out.ptr<std::uint8_t>(y);
        for (int x = 0; x < w; ++x) o[x] = l[x] != 0 && !touches[static_cast<std::size_t>(l[x])];
    }
    return out;
}

cv::Mat cleanup_mask(const cv::Mat& mask01, const CleanupParams& p) {
    check_mask(mask01, "clean-up");
    cv::Mat m = (mask01 != 0) / 255;
    if (p.closing_radius > 0) m = close_safe_border(m, p.closing_radius);
    if (p.fill_holes) m = fill_holes_4(m);
    if (p.cleanup_min_size > 0) m = remove_small_objects(m, p.cleanup_min_size, 4);
    if (p.clear_border) m = remove_border_objects(m);
    return m;
}

}  // namespace nativeseg
