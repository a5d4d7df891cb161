#include "nativeseg/metrics_semantic.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include <opencv2/imgproc.hpp>
#include <opencv2/ximgproc.hpp>

#include "nativeseg/error.h"

namespace nativeseg {

namespace {

// a/b, or `empty` when b is 0.
double ratio(double a, double b, double empty) { return b > 0 ? a / b : empty; }

template <typename T>
void mask_int(const T* p, std::uint8_t* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = p[i] != 0 ? 1 : 0;
}

}  // namespace

cv::Mat foreground_mask(const Image& image, std::int64_t plane, double cutoff) {
    const Shape& s = image.shape();
    cv::Mat out(static_cast<int>(s.y), static_cast<int>(s.x), CV_8U);
    const auto n = static_cast<std::size_t>(s.plane_pixels());
    auto* o = out.ptr<std::uint8_t>();
    switch (image.dtype()) {
        case DType::U8: mask_int(image.plane<std::uint8_t>(plane), o, n); break;
        case DType::U16: mask_int(image.plane<std::uint16_t>(plane), o, n); break;
        case DType::U32: mask_int(image.plane<std::uint32_t>(plane), o, n); break;
        case DType::I8: mask_int(image.plane<std::int8_t>(plane), o, n); break;
        case DType::I16: mask_int(image.plane<std::int16_t>(plane), o, n); break;
        case DType::I32: mask_int(image.plane<std::int32_t>(plane), o, n); break;
        case DType::F32: {
            const float* p = image.plane<float>(plane);
            for (std::size_t i = 0; i < n; ++i) o[i] = p[i] > cutoff ? 1 : 0;  // NaN is background
            break;
        }
    }
    return out;
}

PixelCounts& PixelCounts::operator+=(const PixelCounts& o) {
    tp += o.tp;
    fp += o.fp;
    fn += o.fn;
    tn += o.tn;
    return *this;
}

PixelCounts pixel_counts(const cv::Mat& gt_fg, const cv::Mat& pred_fg) {
    if (gt_fg.size() != pred_fg.size() || gt_fg.type() != CV_8U || pred_fg.type() != CV_8U)
        throw Error("pixel_counts: masks of different size or type");
    PixelCounts c;
    for (int y = 0; y < gt_fg.rows; ++y) {
        const auto* g = gt_fg.ptr<std::uint8_t>(y);
        const auto* p = pred_fg.ptr<std::uint8_t>(y);
        std::int64_t tp = 0, fp = 0, fn = 0;
        for (int x = 0; x < gt_fg.cols; ++x) {
            const bool a = g[x] != 0, b = p[x] != 0;
            tp += a && b;
            fp += !a && b;
            fn += a && !b;
        }
        c.tp += tp;
        c.fp += fp;
        c.fn += fn;
        c.tn += gt_fg.cols - tp - fp - fn;
    }
    return c;
}

PixelScores pixel_scores(const PixelCounts& c) {
    const auto tp = static_cast<double>(c.tp), fp = static_cast<double>(c.fp), fn = static_cast<double>(c.fn),
               tn = static_cast<double>(c.tn);
    // Empty denominators: a perfect score only if neither image has foreground.
    const double empty = (c.tp + c.fp + c.fn) == 0 ? 1.0 : 0.0;
    PixelScores s;
    s.accuracy = ratio(tp + tn, tp + tn + fp + fn, 1.0);
    s.precision = ratio(tp, tp + fp, empty);
    s.recall = ratio(tp, tp + fn, empty);
    s.iou = ratio(tp, tp + fp + fn, empty);
    s.dice = ratio(2 * tp, 2 * tp + fp + fn, empty);
    return s;
}

DistanceErrors distance_errors(const cv::Mat& gt_fg, const cv::Mat& pred_fg, double tolerance) {
    DistanceErrors e;
    if (tolerance <= 0) {
        const PixelCounts c = pixel_counts(gt_fg, pred_fg);
        e.fp_pixels = c.fp;
        e.fn_pixels = c.fn;
        return e;
    }
    // Distance of every pixel to the nearest foreground pixel of `mask` (+inf if none).
    auto distance_to = [](const cv::Mat& mask) {
        cv::Mat dist;
        if (cv::countNonZero(mask) == 0) return cv::Mat(mask.size(), CV_32F, cv::Scalar(INFINITY));
        cv::Mat zeros_at_fg = (mask == 0);
        cv::distanceTransform(zeros_at_fg, dist, cv::DIST_L2, cv::DIST_MASK_PRECISE);
        return dist;
    };
    const cv::Mat to_gt = distance_to(gt_fg), to_pred = distance_to(pred_fg);
    e.fp_pixels = cv::countNonZero((pred_fg != 0) & (to_gt > tolerance));
    e.fn_pixels = cv::countNonZero((gt_fg != 0) & (to_pred > tolerance));
    return e;
}

RandInfoSums& RandInfoSums::operator+=(const RandInfoSums& o) {
    sum_nij2 += o.sum_nij2;
    sum_ai2 += o.sum_ai2;
    sum_bj2 += o.sum_bj2;
    info_sum += o.info_sum;
    info_planes += o.info_planes;
    foreground_pixels += o.foreground_pixels;
    return *this;
}

std::optional<double> RandInfoSums::v_rand() const {
    if (foreground_pixels == 0) return std::nullopt;
    return 2.0 * sum_nij2 / (sum_ai2 + sum_bj2);
}

std::optional<double> RandInfoSums::rand_precision() const {
    if (foreground_pixels == 0) return std::nullopt;
    return sum_nij2 / sum_bj2;
}

std::optional<double> RandInfoSums::rand_recall() const {
    if (foreground_pixels == 0) return std::nullopt;
    return sum_nij2 / sum_ai2;
}

std::optional<double> RandInfoSums::v_info() const {
    if (info_planes == 0) return std::nullopt;
    return info_sum / static_cast<double>(info_planes);
}

cv::Mat ground_truth_regions(const Image& gt, std::int64_t plane) {
    const Shape& s = gt.shape();
    if (!dtype_is_integer(gt.dtype())) {
        const cv::Mat fg = foreground_mask(gt, plane, 0.5);
        cv::Mat labels;
        cv::connectedComponents(fg, labels, 4, CV_32S);
        return labels;
    }
    // Labels as int32; a mask with a single non-zero value is split into its components.
    cv::Mat labels(static_cast<int>(s.y), static_cast<int>(s.x), CV_32S);
    const Image one = gt.plane_copy(plane).converted(DType::I32);
    std::memcpy(labels.ptr<std::int32_t>(), one.data<std::int32_t>(),
                static_cast<std::size_t>(s.plane_pixels()) * sizeof(std::int32_t));
    std::int32_t first = 0;
    bool several = false;
    for (auto it = labels.begin<std::int32_t>(); it != labels.end<std::int32_t>(); ++it) {
        if (*it < 0) throw Error("ground truth holds negative values; expected a mask or label image");
        if (*it == 0) continue;
        if (first == 0) first = *it;
        else if (*it != first) {
            several = true;
            break;
        }
    }
    if (several) return labels;
    cv::Mat fg = labels != 0, components;
    cv::connectedComponents(fg, components, 4, CV_32S);
    return components;
}

cv::Mat thinned_regions(const cv::Mat& pred_fg) {
    // OpenCV's thinning leaves the outermost rows and columns alone; a one-pixel replicated
    // margin lets boundaries that reach the image edge thin like the rest (and continue across it).
    cv::Mat boundary;
    cv::copyMakeBorder(pred_fg == 0, boundary, 1, 1, 1, 1, cv::BORDER_REPLICATE);  // 255 on the boundary
    cv::Mat thinned;
    cv::ximgproc::thinning(boundary, thinned, cv::ximgproc::THINNING_ZHANGSUEN);
    const cv::Mat skeleton = thinned(cv::Rect(1, 1, pred_fg.cols, pred_fg.rows));
    cv::Mat regions;
    cv::connectedComponents(skeleton == 0, regions, 4, CV_32S);
    return regions;
}

RandInfoSums rand_info_sums(const cv::Mat& gt_regions, const cv::Mat& pred_regions) {
    if (gt_regions.size() != pred_regions.size() || gt_regions.type() != CV_32S || pred_regions.type() != CV_32S)
        throw Error("rand_info_sums: region images of different size or type");
    std::unordered_map<std::uint64_t, std::int64_t> nij;
    std::unordered_map<std::int32_t, std::int64_t> ai, bj;
    std::int64_t n = 0, singletons = 0;
    for (int y = 0; y < gt_regions.rows; ++y) {
        const auto* g = gt_regions.ptr<std::int32_t>(y);
        const auto* p = pred_regions.ptr<std::int32_t>(y);
        for (int x = 0; x < gt_regions.cols; ++x) {
            if (g[x] == 0) continue;  // only pixels inside ground-truth regions count
            ++n;
            ++ai[g[x]];
            if (p[x] == 0) {
                ++singletons;  // a predicted boundary pixel is a region of its own
                continue;
            }
            ++bj[p[x]];
            ++nij[(static_cast<std::uint64_t>(static_cast<std::uint32_t>(g[x])) << 32) |
                  static_cast<std::uint32_t>(p[x])];
        }
    }
    RandInfoSums s;
    s.foreground_pixels = n;
    if (n == 0) return s;
    const auto N = static_cast<double>(n);
    const auto ones = static_cast<double>(singletons);
    // Entropy terms Σ q log q with q = count/N; each singleton contributes (1/N) log(1/N).
    auto plogp = [N](std::int64_t c) {
        const double q = static_cast<double>(c) / N;
        return q * std::log(q);
    };
    const double singleton_plogp = ones * (1.0 / N) * std::log(1.0 / N);
    double h_t = 0, h_s = -singleton_plogp, h_st = -singleton_plogp;
    auto add = [&plogp](const auto& counts, double& sum_sq, double& entropy) {
        for (const auto& entry : counts) {
            const auto c = static_cast<double>(entry.second);
            sum_sq += c * c;
            entropy -= plogp(entry.second);
        }
    };
    add(nij, s.sum_nij2, h_st);
    add(ai, s.sum_ai2, h_t);
    add(bj, s.sum_bj2, h_s);
    s.sum_nij2 += ones;
    s.sum_bj2 += ones;
    // Mutual information; a zero entropy means one region, which cannot be wrongly split or merged.
    const double mi = std::max(0.0, h_s + h_t - h_st);
    const double p_info = h_s > 0 ? mi / h_s : 1.0;
    const double r_info = h_t > 0 ? mi / h_t : 1.0;
    s.info_sum = p_info + r_info > 0 ? 2.0 * p_info * r_info / (p_info + r_info) : 0.0;
    s.info_planes = 1;
    return s;
}

}  // namespace nativeseg
