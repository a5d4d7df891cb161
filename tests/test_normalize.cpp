// The torch-free parts of inference: .npy files, tile planning, temporal windows, the
// reference normalisation modes with exact whole-video statistics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>

#include "nativeseg/error.h"
#include "nativeseg/normalize.h"
#include "nativeseg/npy.h"
#include "nativeseg/temporal_window.h"
#include "nativeseg/tiling.h"

using namespace nativeseg;

// ---------------------------------------------------------------------------------------------
// .npy

TEST(Npy, RoundTripFloat) {
    const std::string path = std::string(NATIVESEG_TEST_TMP) + "/roundtrip.npy";
    const NpyArray a = make_npy_f32({2, 3, 4}, [] {
        std::vector<float> v(24);
        for (int i = 0; i < 24; ++i) v[i] = 0.5f * static_cast<float>(i) - 3.0f;
        return v;
    }());
    write_npy(path, a);
    const NpyArray b = read_npy(path);
    EXPECT_EQ(b.shape, a.shape);
    EXPECT_EQ(b.descr(), "<f4");
    EXPECT_EQ(b.data, a.data);
    // The header is padded to a multiple of 64 bytes and ends in a newline, as NumPy writes it.
    std::ifstream f(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    const std::size_t header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    EXPECT_EQ((10 + header_len) % 64, 0u);
    EXPECT_EQ(bytes[10 + header_len - 1], '\n');
    EXPECT_NE(bytes.find("'shape': (2, 3, 4)"), std::string::npos);
}

TEST(Npy, OneDimensionalAndScalarShapesKeepPythonSyntax) {
    NpyArray a = make_npy_f32({3}, {1, 2, 3});
    EXPECT_NE(npy_bytes(a).find("'shape': (3,)"), std::string::npos);
    NpyArray s = make_npy_f32({}, {7});
    const std::string b = npy_bytes(s);
    EXPECT_NE(b.find("'shape': ()"), std::string::npos);
    EXPECT_EQ(parse_npy(b, "s").value(0), 7.0);
}

namespace {
// .npy bytes written by hand: version 1.0 header + data.
std::string npy_file(const std::string& dict, const std::string& data, int major = 1) {
    std::string header = dict;
    const std::size_t pre = major == 1 ? 10 : 12;
    while ((pre + header.size() + 1) % 64) header += ' ';
    header += '\n';
    std::string out("\x93NUMPY", 6);
    out += static_cast<char>(major);
    out += '\0';
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
    if (major != 1) out += std::string(2, '\0');
    return out + header + data;
}
}  // namespace

TEST(Npy, ReadsBigEndianFortranAndOtherTypes) {
    // int16 big-endian, shape (2, 3), Fortran order: memory holds columns.
    // C-order matrix [[1, 2, 3], [4, 5, 6]] in Fortran order is 1 4 2 5 3 6.
    std::string data;
    for (int v : {1, 4, 2, 5, 3, 6}) {
        data += static_cast<char>(0);
        data += static_cast<char>(v);
    }
    const NpyArray a = parse_npy(npy_file("{'descr': '>i2', 'fortran_order': True, 'shape': (2, 3), }", data), "f");
    ASSERT_EQ(a.shape, (std::vector<std::int64_t>{2, 3}));
    for (int i = 0; i < 6; ++i) EXPECT_EQ(a.value(i), i + 1);
    // uint8, version 2.0 header, double quotes.
    const NpyArray b = parse_npy(npy_file("{\"descr\": \"|u1\", \"fortran_order\": False, \"shape\": (2,)}",
                                          std::string("\x05\xff", 2), 2),
                                 "b");
    EXPECT_EQ(b.value(1), 255);
    // float64 little-endian
    double d = -2.5;
    const NpyArray c = parse_npy(npy_file("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
                                          std::string(reinterpret_cast<char*>(&d), 8)),
                                 "c");
    EXPECT_EQ(c.value(0), -2.5);
}

TEST(Npy, BadFilesAreNamed) {
    auto error = [](const std::string& bytes) {
        try {
            parse_npy(bytes, "x.npy");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(error("PK\x03\x04 not numpy").find("x.npy: not a .npy file"), std::string::npos);
    EXPECT_NE(error(npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", "abc")).find("truncated"),
              std::string::npos);
    EXPECT_NE(error(npy_file("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", std::string(8, '\0')))
                  .find("unsupported .npy dtype '<c8'"),
              std::string::npos);
    EXPECT_NE(error(npy_file("{'descr': '<f4', 'shape': (1,), }", std::string(4, '\0'))).find("no 'fortran_order'"),
              std::string::npos);
    EXPECT_THROW(read_npy("/no/such/file.npy"), Error);
}

// ---------------------------------------------------------------------------------------------
// Tiling

namespace {
// Every image pixel is written by exactly one tile, from inside that tile's core.
void expect_covers(const AxisPlan& p) {
    std::vector<int> writes(static_cast<std::size_t>(p.size), 0);
    for (const auto& t : p.tiles) {
        EXPECT_GE(t.write_start - t.read_start, p.halo);
        EXPECT_LE(t.write_end - t.read_start, p.tile - p.halo);
        for (auto i = t.write_start; i < t.write_end; ++i) writes[static_cast<std::size_t>(i)]++;
    }
    for (int w : writes) EXPECT_EQ(w, 1);
}
}  // namespace

TEST(Tiling, SingleTileWhenItFits) {
    const AxisPlan p = plan_axis(100, AxisSize::parameterized(64, 16), 10, 0, "x");
    EXPECT_EQ(p.tile, 128);  // 100 + 2*10 = 120 → 128
    ASSERT_EQ(p.tiles.size(), 1u);
    EXPECT_EQ(p.tiles[0].read_start, -14);  // (128 - 100) / 2, one offset for padding and cropping
    EXPECT_FALSE(p.padded_to_minimum);
    expect_covers(p);
}

TEST(Tiling, BalancedTilesRespectValidSizes) {
    const AxisSize rule = AxisSize::parameterized(32, 16);
    for (std::int64_t size : {100, 257, 1000, 1023}) {
        for (std::int64_t max_tile : {64, 100, 256}) {
            const AxisPlan p = plan_axis(size, rule, 8, max_tile, "x");
            EXPECT_TRUE(rule.valid(p.tile)) << size << " " << max_tile;
            EXPECT_LE(p.tile, std::max<std::int64_t>(max_tile, 32));
            expect_covers(p);
        }
    }
    // 1000 px with tiles of at most 256 and halo 8: 5 tiles of 224 (core 208), not 256.
    const AxisPlan p = plan_axis(1000, rule, 8, 256, "x");
    EXPECT_EQ(p.tiles.size(), 5u);
    EXPECT_EQ(p.tile, 224);
}

TEST(Tiling, FixedSizesAndSmallImages) {
    const AxisPlan f = plan_axis(300, AxisSize::of(128), 16, 0, "y");
    EXPECT_EQ(f.tile, 128);
    EXPECT_EQ(f.tiles.size(), 4u);  // core 96
    expect_covers(f);
    const AxisPlan s = plan_axis(10, AxisSize::parameterized(64, 16), 4, 0, "x");
    EXPECT_EQ(s.tile, 64);
    EXPECT_TRUE(s.padded_to_minimum);
    expect_covers(s);
    EXPECT_THROW(plan_axis(300, AxisSize::of(32), 16, 0, "y"), Error);  // no core left
}

TEST(Tiling, MirrorIndexRepeatsForTinyImages) {
    // n = 3: … 2 1 0 | 0 1 2 | 2 1 0 | 0 1 2 …
    const std::vector<std::int64_t> want = {0, 1, 2, 2, 1, 0, 0, 1, 2, 2, 1, 0};
    for (int i = -6; i < 6; ++i) EXPECT_EQ(mirror_index(i, 3), want[static_cast<std::size_t>(i + 6)]) << i;
    EXPECT_EQ(mirror_index(-5, 1), 0);
}

// ---------------------------------------------------------------------------------------------
// Temporal windows

TEST(TemporalWindow, CausalReplicateIsTheReference) {
    // REF: window 5, left-padded with 4 copies of frame 0.
    using V = std::vector<std::int64_t>;
    EXPECT_EQ(temporal_window(0, 10, 5, TemporalMode::Causal, TemporalPadding::Replicate), (V{0, 0, 0, 0, 0}));
    EXPECT_EQ(temporal_window(2, 10, 5, TemporalMode::Causal, TemporalPadding::Replicate), (V{0, 0, 0, 1, 2}));
    EXPECT_EQ(temporal_window(9, 10, 5, TemporalMode::Causal, TemporalPadding::Replicate), (V{5, 6, 7, 8, 9}));
    EXPECT_EQ(temporal_window(1, 10, 5, TemporalMode::Causal, TemporalPadding::Reflect), (V{2, 1, 0, 0, 1}));
}

TEST(TemporalWindow, CenteredAtBothEnds) {
    using V = std::vector<std::int64_t>;
    EXPECT_EQ(temporal_window(0, 6, 5, TemporalMode::Centered, TemporalPadding::Replicate), (V{0, 0, 0, 1, 2}));
    EXPECT_EQ(temporal_window(5, 6, 5, TemporalMode::Centered, TemporalPadding::Replicate), (V{3, 4, 5, 5, 5}));
    EXPECT_EQ(temporal_window(0, 6, 5, TemporalMode::Centered, TemporalPadding::Reflect), (V{1, 0, 0, 1, 2}));
    EXPECT_EQ(temporal_window(5, 6, 5, TemporalMode::Centered, TemporalPadding::Reflect), (V{3, 4, 5, 5, 4}));
    EXPECT_EQ(temporal_window(0, 1, 3, TemporalMode::Centered, TemporalPadding::Reflect), (V{0, 0, 0}));
    EXPECT_THROW(temporal_window(6, 6, 5, TemporalMode::Centered, TemporalPadding::Reflect), Error);
}

// ---------------------------------------------------------------------------------------------
// Normalisation

namespace {

template <typename T>
std::vector<Image> random_planes(DType dt, int planes, int w, int h, double lo, double hi, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    std::vector<Image> out;
    for (int p = 0; p < planes; ++p) {
        Shape s;
        s.y = h;
        s.x = w;
        Image img(s, dt);
        T* d = img.data<T>();
        for (int i = 0; i < w * h; ++i) d[i] = static_cast<T>(u(rng));
        out.push_back(img);
    }
    return out;
}

// numpy.percentile(values, q) with the default "linear" method, by sorting.
template <typename T>
double numpy_percentile(const std::vector<Image>& planes, double q) {
    std::vector<double> v;
    for (const auto& p : planes)
        for (std::int64_t i = 0; i < p.shape().pixels(); ++i) v.push_back(static_cast<double>(p.data<T>()[i]));
    std::sort(v.begin(), v.end());
    const double pos = (static_cast<double>(v.size()) - 1) * q / 100;
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

template <typename T>
void check_exact(DType dt, double lo, double hi) {
    const auto planes = random_planes<T>(dt, 3, 37, 23, lo, hi, 11);
    NormalizeOptions o;
    o.mode = NormalizeMode::Percentile;
    const IntensityStats s = video_statistics([&](std::int64_t i) { return planes[static_cast<std::size_t>(i)]; }, 3, o);
    EXPECT_EQ(s.count, 3 * 37 * 23);
    EXPECT_DOUBLE_EQ(s.low, numpy_percentile<T>(planes, 0.1)) << dtype_name(dt);
    EXPECT_DOUBLE_EQ(s.high, numpy_percentile<T>(planes, 99.1)) << dtype_name(dt);
    o.mode = NormalizeMode::Median;
    const IntensityStats m = video_statistics([&](std::int64_t i) { return planes[static_cast<std::size_t>(i)]; }, 3, o);
    EXPECT_DOUBLE_EQ(m.median, numpy_percentile<T>(planes, 50)) << dtype_name(dt);
}

}  // namespace

TEST(Normalize, PercentilesAreExactForEveryPixelType) {
    check_exact<std::uint8_t>(DType::U8, 0, 255);
    check_exact<std::uint16_t>(DType::U16, 100, 60000);
    check_exact<std::int8_t>(DType::I8, -128, 127);
    check_exact<std::int16_t>(DType::I16, -30000, 30000);
    check_exact<std::int32_t>(DType::I32, -2e9, 2e9);
    check_exact<std::uint32_t>(DType::U32, 0, 4e9);
    check_exact<float>(DType::F32, -1e3, 1e5);
    check_exact<float>(DType::F32, 0, 1e-3);
}

TEST(Normalize, PercentileModeMatchesTheReferenceFormula) {
    auto planes = random_planes<std::uint16_t>(DType::U16, 2, 16, 8, 0, 5000, 4);
    NormalizeOptions o;
    o.mode = NormalizeMode::Percentile;
    const IntensityStats s = video_statistics([&](std::int64_t i) { return planes[static_cast<std::size_t>(i)]; }, 2, o);
    const Image y = normalize_plane(planes[1], o, s);
    ASSERT_EQ(y.dtype(), DType::F32);
    for (int i = 0; i < 128; ++i) {
        // REF: x scaled by 1/65535, then clip((x - p_lo) / (p_hi - p_lo + 1e-50), 0, 1)
        const double x = planes[1].data<std::uint16_t>()[i] / 65535.0;
        const double want = std::clamp((x - s.low / 65535.0) / (s.high / 65535.0 - s.low / 65535.0 + 1e-50), 0.0, 1.0);
        EXPECT_NEAR(y.data<float>()[i], want, 1e-6);
    }
}

TEST(Normalize, ConstantVideoGivesZeroNotNaN) {
    Shape s;
    s.y = 4;
    s.x = 4;
    Image img(s, DType::U16);
    std::fill_n(img.data<std::uint16_t>(), 16, 700);
    NormalizeOptions o;
    o.mode = NormalizeMode::Percentile;
    const IntensityStats st = video_statistics([&](std::int64_t) { return img; }, 5, o);
    const Image y = normalize_plane(img, o, st);
    for (int i = 0; i < 16; ++i) EXPECT_EQ(y.data<float>()[i], 0.0f);
}

TEST(Normalize, MeanAndMedianShiftToOneHalf) {
    Shape s;
    s.y = 1;
    s.x = 4;
    Image img(s, DType::U8);
    const std::uint8_t v[4] = {10, 20, 30, 100};
    std::memcpy(img.bytes(), v, 4);
    NormalizeOptions o;
    o.mode = NormalizeMode::Mean;
    IntensityStats st = video_statistics([&](std::int64_t) { return img; }, 1, o);
    EXPECT_DOUBLE_EQ(st.mean, 40.0);
    Image y = normalize_plane(img, o, st);
    EXPECT_NEAR(y.data<float>()[0], 10 / 255.0 + 0.5 - 40 / 255.0, 1e-6);
    o.mode = NormalizeMode::Median;
    st = video_statistics([&](std::int64_t) { return img; }, 1, o);
    EXPECT_DOUBLE_EQ(st.median, 25.0);
    y = normalize_plane(img, o, st);
    EXPECT_NEAR(y.data<float>()[3], std::min(1.0, 100 / 255.0 + 0.5 - 25 / 255.0), 1e-6);
}

TEST(Normalize, HistogramEqualisationSpreadsToTheFullRange) {
    Shape s;
    s.y = 8;
    s.x = 8;
    Image img(s, DType::U16);
    for (int i = 0; i < 64; ++i) img.data<std::uint16_t>()[i] = static_cast<std::uint16_t>(1000 + (i % 4));
    NormalizeOptions o;
    o.mode = NormalizeMode::HE;
    const Image y = normalize_plane(img, o, {});
    float mn = 1, mx = 0;
    for (int i = 0; i < 64; ++i) {
        mn = std::min(mn, y.data<float>()[i]);
        mx = std::max(mx, y.data<float>()[i]);
    }
    EXPECT_FLOAT_EQ(mx, 1.0f);  // equalised: the top value maps to 255
    EXPECT_LT(mn, 0.3f);
    std::fill_n(img.data<std::uint16_t>(), 64, 5);  // constant: 0
    const Image z = normalize_plane(img, o, {});
    EXPECT_EQ(z.data<float>()[10], 0.0f);
}

TEST(Normalize, NonFiniteValuesAreReplacedAndCountAsZero) {
    Shape s;
    s.y = 1;
    s.x = 5;
    Image img(s, DType::F32);
    const float v[5] = {1, NAN, INFINITY, -INFINITY, 3};
    std::memcpy(img.bytes(), v, sizeof v);
    Image copy = img;
    EXPECT_EQ(replace_nonfinite(copy), 3);
    EXPECT_EQ(copy.data<float>()[1], 0.0f);
    NormalizeOptions o;
    o.mode = NormalizeMode::Median;
    const IntensityStats st = video_statistics([&](std::int64_t) { return img; }, 1, o);
    EXPECT_DOUBLE_EQ(st.median, 0.0);  // values 1, 0, 0, 0, 3
}

TEST(Normalize, IlluminationCorrectionRemovesSlowShading) {
    // Shading with a 1024 px period: the 501 x 501 Gaussian (sigma 75.5) keeps about 90% of
    // it, so the corrected plane keeps about 10%; the mean is unchanged.
    Shape s;
    s.y = 8;
    s.x = 1024;
    Image img(s, DType::U16);
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 1024; ++x)
            img.data<std::uint16_t>()[y * 1024 + x] =
                static_cast<std::uint16_t>(std::lround(1000 + 300 * std::sin(2 * M_PI * x / 1024.0)));
    const Image c = correct_illumination(img);
    ASSERT_EQ(c.dtype(), DType::U16);
    auto range = [](const Image& im) {
        int lo = 1 << 20, hi = 0;
        for (int x = 256; x < 768; ++x) {
            lo = std::min<int>(lo, im.data<std::uint16_t>()[4 * 1024 + x]);
            hi = std::max<int>(hi, im.data<std::uint16_t>()[4 * 1024 + x]);
        }
        return hi - lo;
    };
    EXPECT_LT(range(c), range(img) / 3);
    double mean = 0;
    for (int i = 0; i < 8 * 1024; ++i) mean += c.data<std::uint16_t>()[i];
    EXPECT_NEAR(mean / (8 * 1024), 1000, 5);
    // A constant plane stays constant.
    std::fill_n(img.data<std::uint16_t>(), 8 * 1024, 1234);
    EXPECT_EQ(correct_illumination(img).data<std::uint16_t>()[100], 1234);
}

TEST(Normalize, ModeNames) {
    EXPECT_EQ(normalize_mode_from_name("PERCENTILE"), NormalizeMode::Percentile);
    EXPECT_THROW(normalize_mode_from_name("zscore"), Error);
}
