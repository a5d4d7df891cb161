// Random patches with geometric and intensity augmentation (augment.h).
#include "nativeseg/augment.h"

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "nativeseg/tiling.h"

namespace nativeseg {

namespace {

constexpr double kPi = 3.14159265358979323846;

double uniform(std::mt19937_64& rng, double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); }

// The patch centre: a random foreground pixel (with probability p) or any pixel.
cv::Point2d pick_centre(const TrainingItem& item, double p, std::mt19937_64& rng) {
    std::uniform_int_distribution<int> xs(0, item.image.cols - 1), ys(0, item.image.rows - 1);
    if (uniform(rng, 0, 1) < p)
        for (int tries = 0; tries < 200; ++tries) {
            const int x = xs(rng), y = ys(rng);
            if (item.target.at<std::uint8_t>(y, x) > 0 && item.weight.at<float>(y, x) > 0) return {double(x), double(y)};
        }
    return {double(xs(rng)), double(ys(rng))};
}

// Intensity: gamma on the [0, 1] range, then gain/offset, blur and noise; one draw for all
// the planes (the frames of a window, the slices of a stack; noise: its strength), so they stay comparable.
void change_intensity(std::vector<cv::Mat>& planes, const AugmentOptions& o, std::mt19937_64& rng) {
    const int p = o.patch;
    if (o.gamma > 0) {
        const double g = std::exp(uniform(rng, -o.gamma, o.gamma));
        for (cv::Mat& m : planes) {
            cv::Mat clipped = cv::max(m, 0.0f);
            cv::pow(clipped, g, m);
        }
    }
    if (o.intensity > 0) {
        const double gain = uniform(rng, 1 - o.intensity, 1 + o.intensity), offset = uniform(rng, -o.intensity, o.intensity);
        for (cv::Mat& m : planes) m = m * gain + offset;
    }
    if (o.blur_sigma > 0) {
        const double s = uniform(rng, 0, o.blur_sigma);
        if (s > 0.3)
            for (cv::Mat& m : planes) cv::GaussianBlur(m, m, {0, 0}, s);
    }
    if (o.noise_sigma > 0) {
        const double s = uniform(rng, 0, o.noise_sigma);
        std::normal_distribution<float> n(0.0f, static_cast<float>(s));
        for (cv::Mat& m : planes)
            for (int i = 0; i < p * p; ++i) m.at<float>(i / p, i % p) += n(rng);
    }
}

}  // namespace

Patch sample_patch(const TrainingItem& item, const cv::Mat& map_x, const cv::Mat& map_y) {
    Patch out;
    cv::remap(item.image, out.image, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
    for (std::size_t i = 0; i < item.frames.size(); ++i) {
        if (static_cast<int>(i) == item.frame_index) {
            out.frames.push_back(out.image);
            continue;
        }
        cv::Mat f;
        cv::remap(item.frames[i], f, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
        out.frames.push_back(f);
    }
    cv::remap(item.target, out.target, map_x, map_y, cv::INTER_NEAREST, cv::BORDER_REFLECT_101);
    cv::remap(item.weight, out.weight, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
    // Pixels sampled from outside the image are mirrored: keep them out of the loss.
    for (int y = 0; y < map_x.rows; ++y)
        for (int x = 0; x < map_x.cols; ++x) {
            const float sx = map_x.at<float>(y, x), sy = map_y.at<float>(y, x);
            if (sx < 0 || sy < 0 || sx > item.image.cols - 1 || sy > item.image.rows - 1) out.weight.at<float>(y, x) = 0;
        }
    return out;
}

// A 3-D patch: a crop around a (foreground) voxel through random flips and quarter turns in
// y-x; voxels taken from outside the stack are mirrored and get weight 0.
Patch augment_volume(const TrainingItem& item, const AugmentOptions& o, std::mt19937_64& rng) {
    const int p = o.patch, pz = o.patch_z, Z = item.slices, H = item.height(), W = item.image.cols;
    const cv::Point2d c = pick_centre(item, o.foreground_sampling, rng);  // on the stacked rows
    const int cz = static_cast<int>(c.y) / H, cy = static_cast<int>(c.y) % H, cx = static_cast<int>(c.x);
    const bool fx = o.flip && uniform(rng, 0, 1) < 0.5, fy = o.flip && uniform(rng, 0, 1) < 0.5,
               fz = o.flip && uniform(rng, 0, 1) < 0.5;
    const int q = o.rotate90 ? std::uniform_int_distribution<int>(0, 3)(rng) : 0;
    Patch out;
    out.image.create(pz * p, p, CV_32F);
    out.target.create(pz * p, p, CV_8U);
    out.weight.create(pz * p, p, CV_32F);
    for (int z = 0; z < pz; ++z)
        for (int y = 0; y < p; ++y)
            for (int x = 0; x < p; ++x) {
                int u = fx ? p - 1 - x : x, v = fy ? p - 1 - y : y;
                for (int i = 0; i < q; ++i) std::swap(u, v), u = p - 1 - u;  // quarter turn of the square
                const int sz = cz - pz / 2 + (fz ? pz - 1 - z : z), sy = cy - p / 2 + v, sx = cx - p / 2 + u;
                const bool inside = sz >= 0 && sz < Z && sy >= 0 && sy < H && sx >= 0 && sx < W;
                const int row = static_cast<int>(mirror_index(sz, Z) * H + mirror_index(sy, H));
                const int col = static_cast<int>(mirror_index(sx, W));
                out.image.at<float>(z * p + y, x) = item.image.at<float>(row, col);
                out.target.at<std::uint8_t>(z * p + y, x) = item.target.at<std::uint8_t>(row, col);
                out.weight.at<float>(z * p + y, x) = inside ? item.weight.at<float>(row, col) : 0.0f;
            }
    std::vector<cv::Mat> planes;
    for (int z = 0; z < pz; ++z) planes.push_back(out.image.rowRange(z * p, (z + 1) * p));
    const std::vector<cv::Mat> slices = planes;
    change_intensity(planes, o, rng);
    for (int z = 0; z < pz; ++z)
        if (planes[z].data != slices[z].data) planes[z].copyTo(out.image.rowRange(z * p, (z + 1) * p));
    return out;
}

Patch augment_patch(const TrainingItem& item, const AugmentOptions& o, std::mt19937_64& rng) {
    if (o.patch_z > 0) return augment_volume(item, o, rng);
    const int p = o.patch;
    const cv::Point2d c = pick_centre(item, o.foreground_sampling, rng);
    // Linear part: flip, quarter turns, rotation, shear, scale (output offsets → input offsets).
    cv::Matx22d a(1, 0, 0, 1);
    if (o.flip && uniform(rng, 0, 1) < 0.5) a = cv::Matx22d(-1, 0, 0, 1) * a;
    if (o.rotate90) {
        const int q = std::uniform_int_distribution<int>(0, 3)(rng);
        for (int i = 0; i < q; ++i) a = cv::Matx22d(0, -1, 1, 0) * a;
    }
    if (o.rotation > 0) {
        const double t = uniform(rng, -o.rotation, o.rotation) * kPi / 180;
        a = cv::Matx22d(std::cos(t), -std::sin(t), std::sin(t), std::cos(t)) * a;
    }
    if (o.shear > 0) a = cv::Matx22d(1, std::tan(uniform(rng, -o.shear, o.shear) * kPi / 180), 0, 1) * a;
    if (o.scale > 0) a = (1.0 / uniform(rng, 1 - o.scale, 1 + o.scale)) * a;
    cv::Point2d shift(0, 0);
    if (o.shift > 0) shift = {uniform(rng, -o.shift, o.shift) * p, uniform(rng, -o.shift, o.shift) * p};

    cv::Mat dx, dy;
    if (o.elastic > 0) {
        // Smooth random field: white noise blurred, scaled to the wanted amplitude.
        dx.create(p, p, CV_32F);
        dy.create(p, p, CV_32F);
        std::uniform_real_distribution<float> u(-1, 1);
        for (int i = 0; i < p * p; ++i) { dx.at<float>(i) = u(rng); dy.at<float>(i) = u(rng); }
        cv::GaussianBlur(dx, dx, {0, 0}, o.elastic_sigma);
        cv::GaussianBlur(dy, dy, {0, 0}, o.elastic_sigma);
        double mx = 0, my = 0;
        cv::minMaxLoc(cv::abs(dx), nullptr, &mx);
        cv::minMaxLoc(cv::abs(dy), nullptr, &my);
        dx *= o.elastic / std::max(mx, 1e-9);
        dy *= o.elastic / std::max(my, 1e-9);
    }
    cv::Mat map_x(p, p, CV_32F), map_y(p, p, CV_32F);
    const double h = (p - 1) / 2.0;
    for (int y = 0; y < p; ++y)
        for (int x = 0; x < p; ++x) {
            double u = x - h, v = y - h;
            if (!dx.empty()) { u += dx.at<float>(y, x); v += dy.at<float>(y, x); }
            map_x.at<float>(y, x) = static_cast<float>(c.x + shift.x + a(0, 0) * u + a(0, 1) * v);
            map_y.at<float>(y, x) = static_cast<float>(c.y + shift.y + a(1, 0) * u + a(1, 1) * v);
        }
    Patch out = sample_patch(item, map_x, map_y);

    std::vector<cv::Mat> planes = out.frames.empty() ? std::vector<cv::Mat>{out.image} : out.frames;
    change_intensity(planes, o, rng);
    if (out.frames.empty()) {
        out.image = planes[0];
    } else {
        out.frames = planes;
        out.image = planes[static_cast<std::size_t>(item.frame_index)];
    }
    return out;
}

}  // namespace nativeseg
