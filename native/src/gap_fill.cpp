#include "nativeseg/gap_fill.h"

#include <cmath>

#include "nativeseg/error.h"

namespace nativeseg {

namespace {
// scipy.ndimage's _gaussian_kernel1d(2, 0, 8), normalised, as C-library-exp doubles
// (reference-pipeline.md §3.2; numpy's AVX-512 exp differs by 1 ulp at k = 1, 4, 6,
// which changes no thresholded voxel).
const double kReferenceWeights[9] = {
    0x1.98862a07ae7b4p-3, 0x1.68856f9ab1983p-3, 0x1.ef9093fc46e5ap-4, 0x1.0941b71ceef37p-4,
    0x1.ba4d4125ffd2ap-6, 0x1.1f30504e20207p-7, 0x1.227362b5fc92dp-9, 0x1.c98b8c5d0dda5p-12,
    0x1.18aad19e4159bp-14,
};
constexpr int kReferenceRadius = 8;

}  // namespace

const double* reference_gaussian_weights() { return kReferenceWeights; }

std::int64_t reflect_index(std::int64_t i, std::int64_t n) {
    if (n == 1) return 0;
    const std::int64_t period = 2 * n;
    std::int64_t m = i % period;
    if (m < 0) m += period;
    return m < n ? m : period - 1 - m;
}

GapFiller::GapFiller(const GapFillParams& params, std::int64_t frames) : params_(params), frames_(frames) {
    if (frames < 1) throw Error("gap filling: the video has no frames");
    switch (params.mode) {
        case GapFillMode::Off: radius_ = 0; break;
        case GapFillMode::Reference: radius_ = kReferenceRadius; break;
        case GapFillMode::Temporal: {
            if (!(params.sigma > 0)) throw Error("gap_sigma: expected a positive number of frames");
            if (!(params.level > 0 && params.level <= 1)) throw Error("gap_level: expected a value in (0, 1]");
            // scipy's gaussian_filter1d radius: int(truncate * sigma + 0.5) with truncate 4.
            radius_ = static_cast<int>(4.0 * params.sigma + 0.5);
            weights_.resize(static_cast<std::size_t>(radius_) + 1);
            double sum = 0;
            for (int k = 0; k <= radius_; ++k) {
                weights_[k] = std::exp(-0.5 * k * k / (params.sigma * params.sigma));
                sum += k == 0 ? weights_[k] : 2 * weights_[k];
            }
            for (double& w : weights_) w /= sum;
            break;
        }
    }
}

void GapFiller::push(const cv::Mat& mask01) {
    if (pushed_ >= frames_) throw Error("gap filling: more frames pushed than the video has");
    if (mask01.type() != CV_8UC1) throw Error("gap filling: expected 8-bit 0/1 masks");
    if (!window_.empty() && mask01.size() != window_.front().size())
        throw Error("gap filling: frame " + std::to_string(pushed_) + " differs in size from the first");
    window_.push_back((mask01 != 0) / 255);
    ++pushed_;
}

bool GapFiller::ready() const {
    if (next_out_ >= frames_) return false;
    const std::int64_t needed = std::min(frames_ - 1, next_out_ + radius_);
    return pushed_ > needed;
}

const cv::Mat& GapFiller::frame(std::int64_t t) const {
    const std::int64_t i = reflect_index(t, frames_) - first_;
    if (i < 0 || i >= static_cast<std::int64_t>(window_.size()))
        throw Error("gap filling: internal window error at frame " + std::to_string(t));
    return window_[static_cast<std::size_t>(i)];
}

cv::Mat GapFiller::pop() {
    if (!ready()) throw Error("gap filling: frame " + std::to_string(next_out_) + " is not ready yet");
    const std::int64_t t = next_out_;
    cv::Mat out;
    switch (params_.mode) {
        case GapFillMode::Off: out = frame(t).clone(); smoothed_.release(); break;
        case GapFillMode::Reference: out = fill_reference(t); break;
        case GapFillMode::Temporal: out = fill_temporal(t); break;
    }
    ++next_out_;
    // Frames before next_out_ - radius are no longer needed by any later output.
    while (first_ < next_out_ - radius_ && !window_.empty()) {
        window_.pop_front();
        ++first_;
    }
    return out;
}

cv::Mat GapFiller::fill_reference(std::int64_t t) {
    const int h = frame(t).rows, w = frame(t).cols;
    const double* wt = kReferenceWeights;
    // Each pass accumulates a whole row at a time, tap by tap (centre first, then the pairs
    // from the outermost inwards): every pixel sees exactly scipy's sequence of operations,
    // and the inner loops over x vectorise.
    std::vector<double> acc(static_cast<std::size_t>(w));
    auto truncate_into = [&](std::uint8_t* out) {
        for (int x = 0; x < w; ++x) out[x] = static_cast<std::uint8_t>(acc[static_cast<std::size_t>(x)]);
    };
    // Pass 1, along time (shared by both branches): 255 * mask, weighted, truncated.
    cv::Mat time_pass(h, w, CV_8U);
    const std::uint8_t* rows[2 * kReferenceRadius + 1];
    for (int y = 0; y < h; ++y) {
        for (int k = -kReferenceRadius; k <= kReferenceRadius; ++k)
            rows[k + kReferenceRadius] = frame(t + k).ptr<std::uint8_t>(y);
        const std::uint8_t* c = rows[kReferenceRadius];
        for (int x = 0; x < w; ++x) acc[static_cast<std::size_t>(x)] = (255.0 * c[x]) * wt[0];
        for (int k = kReferenceRadius; k >= 1; --k) {
            const std::uint8_t* a = rows[kReferenceRadius - k];
            const std::uint8_t* b = rows[kReferenceRadius + k];
            for (int x = 0; x < w; ++x)
                acc[static_cast<std::size_t>(x)] += (255.0 * a[x] + 255.0 * b[x]) * wt[k];
        }
        truncate_into(time_pass.ptr<std::uint8_t>(y));
    }
    // Pass 2: the column branch smooths along y, the row branch along x, each reflected at
    // the frame border; the result is the floor of their mean.
    cv::Mat col(h, w, CV_8U), row(h, w, CV_8U);
    const std::uint8_t* col_rows[2 * kReferenceRadius + 1];
    for (int y = 0; y < h; ++y) {
        for (int k = -kReferenceRadius; k <= kReferenceRadius; ++k)
            col_rows[k + kReferenceRadius] = time_pass.ptr<std::uint8_t>(static_cast<int>(reflect_index(y + k, h)));
        const std::uint8_t* c = col_rows[kReferenceRadius];
        for (int x = 0; x < w; ++x) acc[static_cast<std::size_t>(x)] = static_cast<double>(c[x]) * wt[0];
        for (int k = kReferenceRadius; k >= 1; --k) {
            const std::uint8_t* a = col_rows[kReferenceRadius - k];
            const std::uint8_t* b = col_rows[kReferenceRadius + k];
            for (int x = 0; x < w; ++x)
                acc[static_cast<std::size_t>(x)] += (static_cast<double>(a[x]) + static_cast<double>(b[x])) * wt[k];
        }
        truncate_into(col.ptr<std::uint8_t>(y));
    }
    std::vector<double> padded(static_cast<std::size_t>(w + 2 * kReferenceRadius));
    for (int y = 0; y < h; ++y) {
        const std::uint8_t* src = time_pass.ptr<std::uint8_t>(y);
        for (int i = 0; i < w + 2 * kReferenceRadius; ++i)
            padded[static_cast<std::size_t>(i)] = src[reflect_index(i - kReferenceRadius, w)];
        const double* p = padded.data() + kReferenceRadius;
        for (int x = 0; x < w; ++x) acc[static_cast<std::size_t>(x)] = p[x] * wt[0];
        for (int k = kReferenceRadius; k >= 1; --k)
            for (int x = 0; x < w; ++x) acc[static_cast<std::size_t>(x)] += (p[x - k] + p[x + k]) * wt[k];
        truncate_into(row.ptr<std::uint8_t>(y));
    }
    smoothed_.create(h, w, CV_8U);
    cv::Mat result(h, w, CV_8U);
    for (int y = 0; y < h; ++y) {
        const std::uint8_t* a = col.ptr<std::uint8_t>(y);
        const std::uint8_t* b = row.ptr<std::uint8_t>(y);
        std::uint8_t* s = smoothed_.ptr<std::uint8_t>(y);
        std::uint8_t* r = result.ptr<std::uint8_t>(y);
        for (int x = 0; x < w; ++x) {
            s[x] = static_cast<std::uint8_t>((a[x] + b[x]) / 2);
            r[x] = s[x] > 0;
        }
    }
    return result;
}

cv::Mat GapFiller::fill_temporal(std::int64_t t) {
    const cv::Mat& centre = frame(t);
    const int h = centre.rows, w = centre.cols;
    smoothed_.create(h, w, CV_64F);
    cv::Mat result(h, w, CV_8U);
    std::vector<const std::uint8_t*> rows(2 * static_cast<std::size_t>(radius_) + 1);
    for (int y = 0; y < h; ++y) {
        for (int k = -radius_; k <= radius_; ++k) rows[static_cast<std::size_t>(k + radius_)] = frame(t + k).ptr<std::uint8_t>(y);
        double* s = smoothed_.ptr<double>(y);
        std::uint8_t* r = result.ptr<std::uint8_t>(y);
        const std::uint8_t* c = centre.ptr<std::uint8_t>(y);
        for (int x = 0; x < w; ++x) {
            double acc = weights_[0] * c[x];
            for (int k = 1; k <= radius_; ++k)
                acc += weights_[static_cast<std::size_t>(k)] *
                       (rows[static_cast<std::size_t>(radius_ - k)][x] + rows[static_cast<std::size_t>(radius_ + k)][x]);
            s[x] = acc;
            // OR with the input: nothing that was segmented is lost.
            r[x] = c[x] || acc >= params_.level;
        }
    }
    return result;
}

}  // namespace nativeseg
