#include "nativeseg/normalize.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "nativeseg/error.h"

namespace nativeseg {

const char* normalize_mode_name(NormalizeMode m) {
    switch (m) {
    case NormalizeMode::None: return "none";
    case NormalizeMode::Percentile: return "percentile";
    case NormalizeMode::Mean: return "mean";
    case NormalizeMode::Median: return "median";
    case NormalizeMode::HE: return "he";
    }
    return "none";
}

NormalizeMode normalize_mode_from_name(const std::string& name, const std::string& what) {
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), ::tolower);
    for (auto m : {NormalizeMode::None, NormalizeMode::Percentile, NormalizeMode::Mean, NormalizeMode::Median,
                   NormalizeMode::HE})
        if (n == normalize_mode_name(m)) return m;
    throw Error(what + ": expected one of none, percentile, mean, median, he, got '" + name + "'");
}

bool needs_statistics(NormalizeMode m) {
    return m == NormalizeMode::Percentile || m == NormalizeMode::Mean || m == NormalizeMode::Median;
}

double reference_scale(DType t) { return t == DType::U16 ? 65535.0 : 255.0; }

namespace {

// Order-preserving 32-bit keys: sorting keys sorts values.
std::uint32_t float_key(float v) {
    std::uint32_t b;
    std::memcpy(&b, &v, 4);
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}

float key_float(std::uint32_t k) {
    const std::uint32_t b = (k & 0x80000000u) ? (k & 0x7fffffffu) : ~k;
    float v;
    std::memcpy(&v, &b, 4);
    return v;
}

bool is_small(DType t) { return t == DType::U8 || t == DType::U16 || t == DType::I8 || t == DType::I16; }

// Small types: a direct histogram of value - type_min (65536 bins).
std::int64_t small_offset(DType t) { return t == DType::I8 ? 128 : t == DType::I16 ? 32768 : 0; }

// 32-bit types: the key of value i of a plane.
template <typename F>
void for_each_key(const Image& p, F&& f) {
    const std::int64_t n = p.shape().pixels();
    switch (p.dtype()) {
    case DType::U32: {
        const auto* d = p.data<std::uint32_t>();
        for (std::int64_t i = 0; i < n; ++i) f(d[i]);
        break;
    }
    case DType::I32: {
        const auto* d = p.data<std::int32_t>();
        for (std::int64_t i = 0; i < n; ++i) f(static_cast<std::uint32_t>(d[i]) ^ 0x80000000u);
        break;
    }
    case DType::F32: {
        const auto* d = p.data<float>();
        for (std::int64_t i = 0; i < n; ++i) f(float_key(std::isfinite(d[i]) ? d[i] : 0.0f));
        break;
    }
    default: throw Error("statistics: unexpected pixel type");
    }
}

double key_value(std::uint32_t k, DType t) {
    switch (t) {
    case DType::U32: return static_cast<double>(k);
    case DType::I32: return static_cast<double>(static_cast<std::int32_t>(k ^ 0x80000000u));
    default: return static_cast<double>(key_float(k));
    }
}

template <typename T>
void count_small(const Image& p, std::vector<std::int64_t>& hist, long double& sum, std::int64_t offset) {
    const T* d = p.data<T>();
    const std::int64_t n = p.shape().pixels();
    long double s = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        hist[static_cast<std::size_t>(static_cast<std::int64_t>(d[i]) + offset)]++;
        s += d[i];
    }
    sum += s;
}

// The value at each wanted rank from a histogram whose bin b holds value b + base.
std::map<std::int64_t, double> select_from_hist(const std::vector<std::int64_t>& hist, const std::set<std::int64_t>& ranks,
                                                double base) {
    std::map<std::int64_t, double> out;
    std::int64_t cum = 0;
    auto it = ranks.begin();
    for (std::size_t b = 0; b < hist.size() && it != ranks.end(); ++b) {
        cum += hist[b];
        while (it != ranks.end() && *it < cum) out[*it++] = static_cast<double>(b) + base;
    }
    return out;
}

double interpolate(const std::map<std::int64_t, double>& v, std::int64_t n, double q) {
    const double pos = (static_cast<double>(n) - 1.0) * q / 100.0;
    const std::int64_t lo = static_cast<std::int64_t>(std::floor(pos));
    const std::int64_t hi = std::min(lo + 1, n - 1);
    const double a = v.at(lo), b = v.at(hi);
    return a + (b - a) * (pos - static_cast<double>(lo));
}

void add_ranks(std::set<std::int64_t>& ranks, std::int64_t n, double q) {
    const double pos = (static_cast<double>(n) - 1.0) * q / 100.0;
    const std::int64_t lo = static_cast<std::int64_t>(std::floor(pos));
    ranks.insert(lo);
    ranks.insert(std::min(lo + 1, n - 1));
}

}  // namespace

IntensityStats video_statistics(const PlaneSource& source, std::int64_t planes, const NormalizeOptions& o,
                                Progress* progress) {
    IntensityStats s;
    if (planes < 1) throw Error("statistics: the video has no planes");
    std::vector<std::int64_t> hist(65536, 0);
    long double sum = 0;
    DType dtype = DType::U8;
    const bool want_quantiles = o.mode == NormalizeMode::Percentile || o.mode == NormalizeMode::Median;
    // Pass 1: counts, sum, histogram (of values for small types, of the upper key half otherwise).
    for (std::int64_t i = 0; i < planes; ++i) {
        check_cancel(progress);
        const Image p = source(i);
        if (i == 0) dtype = p.dtype();
        else if (p.dtype() != dtype) throw Error("statistics: planes of different pixel types");
        const std::int64_t n = p.shape().pixels();
        s.count += n;
        switch (p.dtype()) {
        case DType::U8: count_small<std::uint8_t>(p, hist, sum, 0); break;
        case DType::U16: count_small<std::uint16_t>(p, hist, sum, 0); break;
        case DType::I8: count_small<std::int8_t>(p, hist, sum, 128); break;
        case DType::I16: count_small<std::int16_t>(p, hist, sum, 32768); break;
        default: {
            long double ps = 0;
            const DType t = p.dtype();
            for_each_key(p, [&](std::uint32_t k) {
                hist[k >> 16]++;
                ps += key_value(k, t);
            });
            sum += ps;
        }
        }
        report(progress, "statistics", i + 1, planes * ((want_quantiles && !is_small(dtype)) ? 2 : 1));
    }
    s.mean = static_cast<double>(sum / static_cast<long double>(s.count));
    if (!want_quantiles) return s;

    std::set<std::int64_t> ranks;
    if (o.mode == NormalizeMode::Percentile) {
        add_ranks(ranks, s.count, o.low_percentile);
        add_ranks(ranks, s.count, o.high_percentile);
    } else {
        add_ranks(ranks, s.count, 50.0);
    }
    std::map<std::int64_t, double> values;
    if (is_small(dtype)) {
        values = select_from_hist(hist, ranks, -static_cast<double>(small_offset(dtype)));
    } else {
        // Which upper-half bin holds each rank, and the rank within it.
        std::map<std::uint32_t, std::vector<std::pair<std::int64_t, std::int64_t>>> wanted;  // bin -> (rank, rank in bin)
        std::int64_t cum = 0;
        auto it = ranks.begin();
        for (std::uint32_t b = 0; b < 65536 && it != ranks.end(); ++b) {
            while (it != ranks.end() && *it < cum + hist[b]) {
                wanted[b].push_back({*it, *it - cum});
                ++it;
            }
            cum += hist[b];
        }
        // Pass 2: histograms of the lower key half, only inside the wanted bins.
        std::map<std::uint32_t, std::vector<std::int64_t>> low;
        for (const auto& w : wanted) low[w.first].assign(65536, 0);
        for (std::int64_t i = 0; i < planes; ++i) {
            check_cancel(progress);
            const Image p = source(i);
            for_each_key(p, [&](std::uint32_t k) {
                const auto f = low.find(k >> 16);
                if (f != low.end()) f->second[k & 0xffffu]++;
            });
            report(progress, "statistics", planes + i + 1, 2 * planes);
        }
        for (const auto& w : wanted) {
            const auto& h = low[w.first];
            for (const auto& [rank, in_bin] : w.second) {
                std::int64_t c = 0;
                for (std::uint32_t lb = 0; lb < 65536; ++lb) {
                    c += h[lb];
                    if (in_bin < c) {
                        values[rank] = key_value((w.first << 16) | lb, dtype);
                        break;
                    }
                }
            }
        }
    }
    if (o.mode == NormalizeMode::Percentile) {
        s.low = interpolate(values, s.count, o.low_percentile);
        s.high = interpolate(values, s.count, o.high_percentile);
    } else {
        s.median = interpolate(values, s.count, 50.0);
    }
    return s;
}

std::int64_t replace_nonfinite(Image& image) {
    if (image.dtype() != DType::F32) return 0;
    float* d = image.data<float>();
    const std::int64_t n = image.shape().pixels();
    std::int64_t bad = 0;
    for (std::int64_t i = 0; i < n; ++i)
        if (!std::isfinite(d[i])) {
            d[i] = 0.0f;
            ++bad;
        }
    return bad;
}

namespace {

cv::Mat plane_as_float(const Image& plane) {
    if (plane.shape().planes() != 1) throw Error("normalize: expected one plane");
    cv::Mat f(static_cast<int>(plane.shape().y), static_cast<int>(plane.shape().x), CV_32F);
    const std::int64_t n = plane.shape().plane_pixels();
    float* o = f.ptr<float>();
    auto copy = [&](const auto* d) {
        for (std::int64_t i = 0; i < n; ++i) o[i] = static_cast<float>(d[i]);
    };
    switch (plane.dtype()) {
    case DType::U8: copy(plane.data<std::uint8_t>()); break;
    case DType::U16: copy(plane.data<std::uint16_t>()); break;
    case DType::U32: copy(plane.data<std::uint32_t>()); break;
    case DType::I8: copy(plane.data<std::int8_t>()); break;
    case DType::I16: copy(plane.data<std::int16_t>()); break;
    case DType::I32: copy(plane.data<std::int32_t>()); break;
    case DType::F32: copy(plane.data<float>()); break;
    }
    return f;
}

Image float_image(const cv::Mat& f, const Image& like) {
    Shape s = like.shape();
    Image out(s, DType::F32);
    out.calibration() = like.calibration();
    std::memcpy(out.bytes(), f.ptr<float>(), out.byte_size());
    return out;
}

}  // namespace

Image correct_illumination(const Image& plane) {
    const cv::Mat x = plane_as_float(plane);
    cv::Mat blur;
    // The reference's fixed 501×501 kernel, sigma derived by OpenCV from the size.
    cv::GaussianBlur(x, blur, cv::Size(501, 501), 0, 0, cv::BORDER_REFLECT_101);
    const double mean = cv::mean(x)[0];
    cv::Mat y = x - blur + mean;
    if (plane.dtype() == DType::F32) return float_image(y, plane);
    Image out(plane.shape(), plane.dtype());
    out.calibration() = plane.calibration();
    cv::Mat dst = out.plane_mat(0);  // OpenCV rounds and saturates to the dtype's range
    if (plane.dtype() == DType::U32) {
        auto* d = out.data<std::uint32_t>();
        const float* s = y.ptr<float>();
        for (std::int64_t i = 0; i < plane.shape().plane_pixels(); ++i)
            d[i] = static_cast<std::uint32_t>(std::clamp<double>(std::nearbyint(s[i]), 0.0, 4294967295.0));
        return out;
    }
    y.convertTo(dst, dst.type());
    return out;
}

Image normalize_plane(const Image& plane, const NormalizeOptions& o, const IntensityStats& s) {
    cv::Mat x = plane_as_float(plane);
    const double scale = reference_scale(plane.dtype());
    switch (o.mode) {
    case NormalizeMode::None: break;
    case NormalizeMode::Percentile: {
        const double range = s.high - s.low;
        if (range <= 0) {
            x.setTo(0.0f);  // a constant video: 0, not the reference's NaN
        } else {
            // Same formula as the reference on values scaled to [0, 1]; the scale cancels out.
            float* d = x.ptr<float>();
            for (std::int64_t i = 0; i < plane.shape().plane_pixels(); ++i)
                d[i] = static_cast<float>(std::clamp((static_cast<double>(d[i]) - s.low) / range, 0.0, 1.0));
        }
        break;
    }
    case NormalizeMode::Mean:
    case NormalizeMode::Median: {
        const double centre = (o.mode == NormalizeMode::Mean ? s.mean : s.median) / scale;
        float* d = x.ptr<float>();
        for (std::int64_t i = 0; i < plane.shape().plane_pixels(); ++i)
            d[i] = static_cast<float>(std::clamp(static_cast<double>(d[i]) / scale + (0.5 - centre), 0.0, 1.0));
        break;
    }
    case NormalizeMode::HE: {
        double lo = 0, hi = 0;
        cv::minMaxLoc(x, &lo, &hi);
        cv::Mat q(x.size(), CV_8U, cv::Scalar(0));
        if (hi > lo) x.convertTo(q, CV_8U, 255.0 / (hi - lo), -lo * 255.0 / (hi - lo));
        cv::Mat eq;
        cv::equalizeHist(q, eq);
        eq.convertTo(x, CV_32F, 1.0 / 255.0);
        break;
    }
    }
    return float_image(x, plane);
}

}  // namespace nativeseg
