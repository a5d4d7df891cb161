#pragma once
// Random numbers for the simulator. std::mt19937_64's output is fixed by the standard but
// std::normal_distribution and friends are implementation-defined, so every distribution
// here is a fixed algorithm over the raw engine: a seed gives the same video with any
// standard library.
#include <cmath>
#include <cstdint>
#include <random>

namespace nativeseg::sim {

/// SplitMix64 finaliser: derives independent engine seeds from (seed, stream).
inline std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

class Rng {
public:
    explicit Rng(std::uint64_t seed) : engine_(seed) {}

    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// Integer in [0, n) (n small, so the bias of scaling is negligible).
    int below(int n) { return static_cast<int>(uniform() * n); }
    bool chance(double p) { return uniform() < p; }

    /// Standard normal by the Box-Muller transform; the second value is kept for the next call.
    double normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double a = 6.283185307179586 * u2;  // 2 pi
        spare_ = r * std::sin(a);
        has_spare_ = true;
        return r * std::cos(a);
    }

    /// Poisson count for a small mean (Knuth's product of uniforms).
    int poisson(double mean) {
        if (mean <= 0) return 0;
        const double limit = std::exp(-mean);
        int k = 0;
        double prod = uniform();
        while (prod > limit && k < 1000) {
            ++k;
            prod *= uniform();
        }
        return k;
    }

private:
    std::mt19937_64 engine_;
    bool has_spare_ = false;
    double spare_ = 0;
};

/// A fast, approximately standard normal value for pixel noise: the Irwin-Hall sum of the
/// four 16-bit parts of one 64-bit draw, scaled to unit variance (tails end at 3.46 sigma,
/// which is invisible in image noise and ten times cheaper than Box-Muller).
inline float pixel_normal(std::mt19937_64& engine) {
    const std::uint64_t r = engine();
    const auto sum = static_cast<std::int64_t>((r & 0xFFFF) + ((r >> 16) & 0xFFFF) + ((r >> 32) & 0xFFFF) + (r >> 48));
    // Mean 4 * 65535 / 2; standard deviation sqrt(4 * (65536^2 - 1) / 12).
    return static_cast<float>(sum - 131070) * (1.0f / 37837.23f);
}

}  // namespace nativeseg::sim
