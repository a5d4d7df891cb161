#include "sim_render.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace nativeseg::sim {

namespace {

// Camera and sample constants, in camera units (ADU). They give a 16-bit fluorescence
// image with a background around 200 and nuclei around 1000-2500, like a cooled camera.
constexpr float kOffset = 100.0f;        // camera bias
constexpr float kAutofluor = 100.0f;     // background light above the bias
constexpr float kFluoContrast = 1500.0f; // nucleus signal at brightness 1
constexpr float kGain = 2.0f;            // ADU per photo-electron: shot-noise variance = gain * signal
constexpr float kReadNoise = 6.0f;       // ADU
// Phase contrast: grey background, dark cells with a bright halo.
constexpr float kPhaseBackground = 1400.0f;
constexpr float kPhaseHalo = 1600.0f;
constexpr float kPhaseDark = 500.0f;

constexpr float kTextureAmplitude = 0.18f;  // relative std of the nucleus texture
constexpr float kRimDimming = 0.15f;        // nuclei are a little dimmer at the rim (thinner)

// Bilinear sample of a texture patch at normalised cell coordinates (u, v) in about [-1.25, 1.25].
float sample_texture(const std::vector<float>& tex, double u, double v) {
    constexpr double scale = (kTextureSize - 1) / 2.5;
    const double fx = std::clamp((u + 1.25) * scale, 0.0, kTextureSize - 1.001);
    const double fy = std::clamp((v + 1.25) * scale, 0.0, kTextureSize - 1.001);
    const int ix = static_cast<int>(fx), iy = static_cast<int>(fy);
    const float ax = static_cast<float>(fx - ix), ay = static_cast<float>(fy - iy);
    const float* row0 = tex.data() + iy * kTextureSize + ix;
    const float* row1 = row0 + kTextureSize;
    return (row0[0] * (1 - ax) + row0[1] * ax) * (1 - ay) + (row1[0] * (1 - ax) + row1[1] * ax) * ay;
}

void blur(const cv::Mat& src, cv::Mat& dst, double sigma) {
    if (sigma < 0.1) {
        src.copyTo(dst);
        return;
    }
    cv::GaussianBlur(src, dst, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT);
}

}  // namespace

std::vector<float> make_texture(Rng& rng) {
    cv::Mat noise(kTextureSize, kTextureSize, CV_32F);
    for (int i = 0; i < kTextureSize * kTextureSize; ++i) noise.at<float>(i) = static_cast<float>(rng.normal());
    cv::Mat smooth;
    cv::GaussianBlur(noise, smooth, cv::Size(0, 0), 2.0, 2.0, cv::BORDER_REFLECT);
    cv::Scalar mean, stddev;
    cv::meanStdDev(smooth, mean, stddev);
    smooth = (smooth - mean[0]) / std::max(stddev[0], 1e-6);
    return std::vector<float>(smooth.begin<float>(), smooth.end<float>());
}

cv::Mat illumination_field(int width, int height, Rng& rng) {
    const double direction = rng.uniform(0.0, 6.283185307179586);
    const double gradient = rng.uniform(0.08, 0.15);   // relative change across half the field
    const double vignetting = rng.uniform(0.05, 0.12);
    const double cx = (width - 1) * rng.uniform(0.35, 0.65);
    const double cy = (height - 1) * rng.uniform(0.35, 0.65);
    const double half = std::max(width, height) / 2.0;
    cv::Mat field(height, width, CV_32F);
    for (int y = 0; y < height; ++y) {
        float* row = field.ptr<float>(y);
        for (int x = 0; x < width; ++x) {
            const double xn = (x - cx) / half, yn = (y - cy) / half;
            row[x] = static_cast<float>(1.0 + gradient * (xn * std::cos(direction) + yn * std::sin(direction)) -
                                        vignetting * (xn * xn + yn * yn));
        }
    }
    return field;
}

FrameRenderer::FrameRenderer(const SimulationParams& params, cv::Mat illumination)
    : params_(params), width_(params.width), height_(params.height), illumination_(std::move(illumination)),
      nearest_(height_, width_, CV_32F), signal_(height_, width_, CV_32F), weight_(height_, width_, CV_32F),
      counts_(65536, 0) {}

void FrameRenderer::draw_cells(const std::vector<SimCell>& cells, std::uint16_t* labels) {
    std::fill(labels, labels + static_cast<std::size_t>(width_) * height_, 0);
    nearest_.setTo(std::numeric_limits<float>::infinity());
    signal_.setTo(0);
    weight_.setTo(0);
    for (const SimCell& c : cells) draw_cell(c, labels);
    keep_one_pixel_each(cells, labels);
}

void FrameRenderer::draw_cell(const SimCell& c, std::uint16_t* labels) {
    const double a = c.semi_major(), b = c.semi_minor();
    const double* d = c.deform;
    const double max_rho = 1.0 + std::fabs(d[0]) + std::fabs(d[1]) + std::fabs(d[2]) + std::fabs(d[3]);
    const double ext = c.extent() + 1.0;
    const long x0 = std::max(0L, static_cast<long>(std::floor(c.x - ext)));
    const long x1 = std::min<long>(width_ - 1, static_cast<long>(std::ceil(c.x + ext)));
    const long y0 = std::max(0L, static_cast<long>(std::floor(c.y - ext)));
    const long y1 = std::min<long>(height_ - 1, static_cast<long>(std::ceil(c.y + ext)));
    const double ca = std::cos(c.angle), sa = std::sin(c.angle);
    const float contrast = static_cast<float>(c.contrast());
    const float level = static_cast<float>(c.brightness) * contrast;

    for (long y = y0; y <= y1; ++y) {
        float* nearest = nearest_.ptr<float>(static_cast<int>(y));
        float* signal = signal_.ptr<float>(static_cast<int>(y));
        float* weight = weight_.ptr<float>(static_cast<int>(y));
        std::uint16_t* lab = labels + y * width_;
        const double dy = y - c.y;
        for (long x = x0; x <= x1; ++x) {
            const double dx = x - c.x;
            // Coordinates in the cell's frame, normalised by the semi-axes: the ellipse is rho = 1.
            const double u = (dx * ca + dy * sa) / a;
            const double v = (-dx * sa + dy * ca) / b;
            const double rho2 = u * u + v * v;
            if (rho2 > max_rho * max_rho) continue;
            const double rho = std::sqrt(rho2);
            // The boundary is the ellipse deformed by a few angular harmonics (no atan2 needed:
            // cos and sin of the angle are u/rho and v/rho).
            double boundary = 1.0;
            if (rho > 1e-12) {
                const double cs = u / rho, sn = v / rho;
                boundary += d[0] * (cs * cs - sn * sn) + d[1] * 2.0 * cs * sn + d[2] * cs * (4.0 * cs * cs - 3.0) +
                            d[3] * sn * (3.0 - 4.0 * sn * sn);
            }
            const double n = rho / boundary;
            if (n > 1.0 || n >= nearest[x]) continue;
            nearest[x] = static_cast<float>(n);
            lab[x] = static_cast<std::uint16_t>(c.label);
            const float tex = sample_texture(c.texture, u, v);
            signal[x] = std::max(0.0f, level * (1.0f + kTextureAmplitude * tex) *
                                           (1.0f - kRimDimming * static_cast<float>(n * n)));
            weight[x] = contrast;
        }
    }
}

// The nearest-centre rule already leaves every cell its centre pixel unless two centres
// share a pixel (the model keeps them apart). This makes it a guarantee: a cell without a
// pixel takes the closest one that no other cell needs, so the ground truth is CTC-valid.
void FrameRenderer::keep_one_pixel_each(const std::vector<SimCell>& cells, std::uint16_t* labels) {
    for (const SimCell& c : cells) counts_[c.label] = 0;
    for (const SimCell& c : cells) {
        const double ext = c.extent() + 1.0;
        const long x0 = std::max(0L, static_cast<long>(std::floor(c.x - ext)));
        const long x1 = std::min<long>(width_ - 1, static_cast<long>(std::ceil(c.x + ext)));
        const long y0 = std::max(0L, static_cast<long>(std::floor(c.y - ext)));
        const long y1 = std::min<long>(height_ - 1, static_cast<long>(std::ceil(c.y + ext)));
        int n = 0;
        for (long y = y0; y <= y1; ++y)
            for (long x = x0; x <= x1; ++x) n += labels[y * width_ + x] == c.label;
        counts_[c.label] = n;
    }
    for (const SimCell& c : cells) {
        if (counts_[c.label] > 0) continue;
        const long cx = std::clamp(pixel_of(c.x), 0L, static_cast<long>(width_ - 1));
        const long cy = std::clamp(pixel_of(c.y), 0L, static_cast<long>(height_ - 1));
        const long max_ring = std::max(width_, height_);
        for (long r = 0; r < max_ring && counts_[c.label] == 0; ++r) {
            for (long y = cy - r; y <= cy + r && counts_[c.label] == 0; ++y) {
                for (long x = cx - r; x <= cx + r; ++x) {
                    if (std::max(std::labs(x - cx), std::labs(y - cy)) != r) continue;  // the ring only
                    if (x < 0 || y < 0 || x >= width_ || y >= height_) continue;
                    std::uint16_t& owner = labels[y * width_ + x];
                    if (owner != 0 && counts_[owner] <= 1) continue;
                    if (owner != 0) --counts_[owner];
                    owner = static_cast<std::uint16_t>(c.label);
                    counts_[c.label] = 1;
                    signal_.at<float>(static_cast<int>(y), static_cast<int>(x)) =
                        static_cast<float>(c.brightness * c.contrast());
                    weight_.at<float>(static_cast<int>(y), static_cast<int>(x)) = static_cast<float>(c.contrast());
                    break;
                }
            }
        }
    }
}

void FrameRenderer::render_raw(std::int64_t frame, std::uint16_t* raw) {
    // Expected camera value per pixel (before noise), into scratch_[0].
    cv::Mat& expected = scratch_[0];
    if (params_.modality == Modality::Fluorescence) {
        blur(signal_, scratch_[1], params_.blur);
        expected.create(height_, width_, CV_32F);
        for (int y = 0; y < height_; ++y) {
            const float* s = scratch_[1].ptr<float>(y);
            const float* il = illumination_.ptr<float>(y);
            float* e = expected.ptr<float>(y);
            for (int x = 0; x < width_; ++x) e[x] = kOffset + il[x] * (kAutofluor + kFluoContrast * s[x]);
        }
    } else {
        // Phase contrast: the halo is a difference of Gaussians of the cell masks (positive just
        // outside a cell, negative at its inner rim); the body is dark with texture.
        const double fine = std::max(params_.blur, 0.8);
        const double coarse = std::max(3.0, 2.5 * fine);
        blur(weight_, scratch_[1], fine);
        blur(weight_, scratch_[2], coarse);
        cv::Mat body;
        blur(signal_, body, fine);
        expected.create(height_, width_, CV_32F);
        for (int y = 0; y < height_; ++y) {
            const float* wf = scratch_[1].ptr<float>(y);
            const float* wc = scratch_[2].ptr<float>(y);
            const float* s = body.ptr<float>(y);
            const float* il = illumination_.ptr<float>(y);
            float* e = expected.ptr<float>(y);
            for (int x = 0; x < width_; ++x)
                e[x] = kOffset + il[x] * (kPhaseBackground + kPhaseHalo * (wc[x] - wf[x]) - kPhaseDark * s[x]);
        }
    }

    // Shot noise (variance proportional to the light) plus read noise, both scaled by `noise`.
    std::mt19937_64 engine(mix_seed(params_.seed, 1000 + static_cast<std::uint64_t>(frame)));
    const float strength = static_cast<float>(params_.noise);
    const bool noisy = strength > 0;
    for (int y = 0; y < height_; ++y) {
        const float* e = expected.ptr<float>(y);
        std::uint16_t* out = raw + static_cast<std::size_t>(y) * width_;
        for (int x = 0; x < width_; ++x) {
            float v = e[x];
            if (noisy) {
                const float variance = kGain * std::max(v - kOffset, 0.0f) + kReadNoise * kReadNoise;
                v += strength * std::sqrt(variance) * pixel_normal(engine);
            }
            out[x] = static_cast<std::uint16_t>(std::clamp(std::floor(v + 0.5f), 0.0f, 65535.0f));
        }
    }
}

}  // namespace nativeseg::sim
