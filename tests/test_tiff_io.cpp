// TIFF reading and writing: exact round trips for every pixel type, compression and byte
// order; hyperstack axes and calibration (ImageJ metadata); tiles, BigTIFF; atomic output.
#include <gtest/gtest.h>
#include <tiffio.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <tuple>

#include "nativeseg/error.h"
#include "nativeseg/tiff_io.h"

namespace fs = std::filesystem;
using namespace nativeseg;

namespace {

std::string fresh_dir(const std::string& name) {
    const fs::path dir = fs::path(NATIVESEG_TEST_TMP) / "tiff_io" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir.string();
}

std::string test_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "_" + info->name();
    for (char& ch : name)
        if (ch == '/') ch = '_';
    return fresh_dir(name);
}

/// Random bytes in the first plane (every bit pattern, NaNs included), ramps in the others.
Image test_image(Shape shape, DType dtype, unsigned seed = 1) {
    Image img(shape, dtype);
    std::mt19937 rng(seed);
    for (std::size_t i = 0; i < img.plane_bytes(); ++i) img.bytes()[i] = static_cast<std::uint8_t>(rng());
    for (std::int64_t p = 1; p < shape.planes(); ++p) {
        std::uint8_t* b = img.plane_bytes(p);
        for (std::size_t i = 0; i < img.plane_bytes(); ++i) b[i] = static_cast<std::uint8_t>((i / 7 + p * 3) & 0xFF);
    }
    return img;
}

bool same_pixels(const Image& a, const Image& b) {
    return a.shape() == b.shape() && a.dtype() == b.dtype() && a.byte_size() == b.byte_size() &&
           std::memcmp(a.bytes(), b.bytes(), a.byte_size()) == 0;
}

bool host_big_endian() {
    const std::uint16_t one = 1;
    std::uint8_t first;
    std::memcpy(&first, &one, 1);
    return first == 0;
}

template <typename T>
void put(Image& img, std::initializer_list<T> values) {
    std::size_t i = 0;
    for (T v : values) img.data<T>()[i++] = v;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Round trip of every pixel type x compression x byte order.

using RoundTripParam = std::tuple<DType, Compression, ByteOrder>;

class TiffRoundTrip : public ::testing::TestWithParam<RoundTripParam> {};

std::string round_trip_name(const ::testing::TestParamInfo<RoundTripParam>& p) {
    static const char* const order[] = {"native", "little", "big"};
    return std::string(dtype_name(std::get<0>(p.param))) + "_" + compression_name(std::get<1>(p.param)) + "_" +
           order[static_cast<int>(std::get<2>(p.param))];
}

TEST_P(TiffRoundTrip, PixelsAndInfoSurvive) {
    const auto [dtype, compression, order] = GetParam();
    const std::string dir = test_dir();
    // 600 px rows make several ~64 KB strips (the last one partial) for the wider types.
    Shape shape;
    shape.t = 3;
    shape.y = 150;
    shape.x = 600;
    const Image image = test_image(shape, dtype);
    TiffWriteOptions opt;
    opt.compression = compression;
    opt.byte_order = order;
    const std::string path = dir + "/image.tif";
    write_tiff(path, image, opt);

    const TiffInfo info = read_tiff_info(path);
    EXPECT_EQ(info.path, path);
    EXPECT_EQ(info.shape, shape);
    EXPECT_EQ(info.dtype, dtype);
    EXPECT_EQ(info.pages, 3);
    EXPECT_EQ(info.compression, compression);
    EXPECT_FALSE(info.tiled);
    EXPECT_FALSE(info.bigtiff);
    EXPECT_TRUE(info.imagej);
    const bool big = order == ByteOrder::Big || (order == ByteOrder::Native && host_big_endian());
    EXPECT_EQ(info.big_endian, big);

    const Image back = read_tiff(path);
    EXPECT_TRUE(same_pixels(image, back)) << "pixels differ for " << dtype_name(dtype) << " "
                                          << compression_name(compression);
}

INSTANTIATE_TEST_SUITE_P(
    AllTypes, TiffRoundTrip,
    ::testing::Combine(::testing::Values(DType::U8, DType::U16, DType::U32, DType::I8, DType::I16, DType::I32,
                                         DType::F32),
                       ::testing::Values(Compression::None, Compression::LZW, Compression::Deflate,
                                         Compression::PackBits),
                       ::testing::Values(ByteOrder::Native, ByteOrder::Little, ByteOrder::Big)),
    round_trip_name);

// ---------------------------------------------------------------------------------------

TEST(TiffIo, ExtremeValuesSurviveExactly) {
    const std::string dir = test_dir();
    Shape s;
    s.y = 4;
    s.x = 8;
    std::vector<Image> images;
    Image u8(s, DType::U8), u16(s, DType::U16), u32(s, DType::U32), i8(s, DType::I8), i16(s, DType::I16),
        i32(s, DType::I32), f32(s, DType::F32);
    put<std::uint8_t>(u8, {0, 1, 127, 128, 254, 255});
    put<std::uint16_t>(u16, {0, 1, 255, 256, 32767, 32768, 65534, 65535});
    put<std::uint32_t>(u32, {0, 1, 65535, 65536, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFEu, 0xFFFFFFFFu});
    put<std::int8_t>(i8, {0, 1, -1, 127, -128, -127});
    put<std::int16_t>(i16, {0, 1, -1, 32767, -32768, -32767, 255, -256});
    put<std::int32_t>(i32, {0, 1, -1, std::numeric_limits<std::int32_t>::max(), std::numeric_limits<std::int32_t>::min(),
                            -65536, 65536});
    using F = std::numeric_limits<float>;
    put<float>(f32, {0.0f, -0.0f, 1.0f, -1.5f, F::max(), F::lowest(), F::min(), F::denorm_min(), -F::denorm_min(),
                     F::infinity(), -F::infinity(), F::quiet_NaN(), -F::quiet_NaN(), F::epsilon(), 3.14159265f,
                     -2.5e-38f});
    images = {u8, u16, u32, i8, i16, i32, f32};
    for (Compression c : {Compression::None, Compression::LZW, Compression::Deflate, Compression::PackBits}) {
        for (ByteOrder o : {ByteOrder::Little, ByteOrder::Big}) {
            for (const Image& img : images) {
                TiffWriteOptions opt;
                opt.compression = c;
                opt.byte_order = o;
                const std::string path = dir + "/" + dtype_name(img.dtype()) + "_" + compression_name(c) + ".tif";
                write_tiff(path, img, opt);
                const Image back = read_tiff(path);
                EXPECT_TRUE(same_pixels(img, back)) << path;
            }
        }
    }
    // The float plane in particular: NaN stays NaN, infinities and the sign of zero stay.
    write_tiff(dir + "/f.tif", f32, {});
    const Image back = read_tiff(dir + "/f.tif");
    const float* v = back.data<float>();
    EXPECT_TRUE(std::signbit(v[1]) && v[1] == 0.0f);
    EXPECT_TRUE(std::isinf(v[9]) && v[9] > 0);
    EXPECT_TRUE(std::isinf(v[10]) && v[10] < 0);
    EXPECT_TRUE(std::isnan(v[11]));
    EXPECT_EQ(v[7], F::denorm_min());
}

TEST(TiffIo, HyperstackShapeRoundTrip) {
    const std::string dir = test_dir();
    Shape s;
    s.t = 3;
    s.z = 4;
    s.c = 2;
    s.y = 20;
    s.x = 30;
    const Image image = test_image(s, DType::U16);
    write_tiff(dir + "/hs.tif", image, {});
    const TiffInfo info = read_tiff_info(dir + "/hs.tif");
    EXPECT_TRUE(info.imagej);
    EXPECT_EQ(info.pages, 24);
    EXPECT_EQ(info.shape, s);
    const Image back = read_tiff(dir + "/hs.tif");
    EXPECT_TRUE(same_pixels(image, back));

    const std::string text = imagej_description(s, Calibration{}, DType::U16);
    EXPECT_EQ(text.rfind("ImageJ=", 0), 0u);
    EXPECT_NE(text.find("\nimages=24\nchannels=2\nslices=4\nframes=3\nhyperstack=true\n"), std::string::npos) << text;
    EXPECT_NE(text.find("loop=false\n"), std::string::npos);
    EXPECT_EQ(text.find("unit="), std::string::npos) << "uncalibrated: no unit";
}

TEST(TiffIo, VideoIsFramesAndSingleImageHasNoStackKeys) {
    Shape video;
    video.t = 60;
    video.y = video.x = 8;
    const std::string text = imagej_description(video, Calibration{}, DType::U8);
    EXPECT_NE(text.find("images=60\nframes=60\nhyperstack=true\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("slices="), std::string::npos);

    Shape single;
    single.y = single.x = 8;
    EXPECT_EQ(imagej_description(single, Calibration{}, DType::U8), "ImageJ=1.11a\n");
}

TEST(TiffIo, ImagesKeyOnlyWhereImageJCanUseIt) {
    // ImageJ reads an uncompressed file with "images=" as one contiguous block of planes,
    // which libtiff's page-by-page layout is not: the key is written for compressed files only.
    const std::string dir = test_dir();
    Shape s;
    s.t = 4;
    s.y = s.x = 8;
    const Image image = test_image(s, DType::U8);
    for (Compression c : {Compression::None, Compression::LZW}) {
        TiffWriteOptions opt;
        opt.compression = c;
        const std::string path = dir + "/" + compression_name(c) + ".tif";
        write_tiff(path, image, opt);
        TIFF* t = TIFFOpen(path.c_str(), "r");
        ASSERT_NE(t, nullptr);
        char* text = nullptr;
        ASSERT_TRUE(TIFFGetField(t, TIFFTAG_IMAGEDESCRIPTION, &text));
        const std::string description = text;
        TIFFClose(t);
        EXPECT_EQ(description.find("images=4") != std::string::npos, c != Compression::None) << description;
        EXPECT_NE(description.find("frames=4\nhyperstack=true\n"), std::string::npos) << description;
        EXPECT_EQ(read_tiff_info(path).shape, s);
    }
}

TEST(TiffIo, PlainMultiPageWithoutImageJIsTime) {
    const std::string dir = test_dir();
    Shape s;
    s.z = 5;
    s.y = 6;
    s.x = 7;
    TiffWriteOptions opt;
    opt.imagej_metadata = false;
    write_tiff(dir + "/plain.tif", test_image(s, DType::U8), opt);
    const TiffInfo info = read_tiff_info(dir + "/plain.tif");
    EXPECT_FALSE(info.imagej);
    Shape expect = s;
    expect.z = 1;
    expect.t = 5;
    EXPECT_EQ(info.shape, expect);
}

TEST(TiffIo, CalibrationRoundTrip) {
    const std::string dir = test_dir();
    Shape s;
    s.t = 4;
    s.z = 3;
    s.y = 10;
    s.x = 12;
    Image image = test_image(s, DType::F32);
    Calibration cal;
    cal.pixel_width = 0.1625;
    cal.pixel_height = 0.2;
    cal.voxel_depth = 0.5;
    cal.unit = "micron";
    cal.frame_interval = 2.5;
    cal.time_unit = "min";
    image.calibration() = cal;
    write_tiff(dir + "/cal.tif", image, {});
    const TiffInfo info = read_tiff_info(dir + "/cal.tif");
    EXPECT_EQ(info.calibration, cal) << info.calibration.pixel_width << " " << info.calibration.pixel_height << " "
                                     << info.calibration.voxel_depth << " " << info.calibration.unit << " "
                                     << info.calibration.frame_interval << " " << info.calibration.time_unit;
    EXPECT_EQ(read_tiff(dir + "/cal.tif").calibration(), cal);
    TiffReader reader(dir + "/cal.tif");
    EXPECT_EQ(reader.read_page(5).calibration(), cal);

    // Other spellings of the micrometre are written as ImageJ writes them.
    image.calibration().unit = "\xC2\xB5m";  // "µm"
    write_tiff(dir + "/mu.tif", image, {});
    EXPECT_EQ(read_tiff_info(dir + "/mu.tif").calibration.unit, "micron");
    image.calibration().unit = "um";
    write_tiff(dir + "/um.tif", image, {});
    EXPECT_EQ(read_tiff_info(dir + "/um.tif").calibration, cal);

    // Seconds (ImageJ's default time unit) and an integral interval.
    image.calibration() = cal;
    image.calibration().frame_interval = 1.0;
    image.calibration().time_unit = "sec";
    write_tiff(dir + "/sec.tif", image, {});
    EXPECT_EQ(read_tiff_info(dir + "/sec.tif").calibration, image.calibration());

    // Uncalibrated stays uncalibrated.
    Image plain = test_image(s, DType::U8);
    write_tiff(dir + "/plain.tif", plain, {});
    EXPECT_EQ(read_tiff_info(dir + "/plain.tif").calibration, Calibration{});
}

TEST(TiffIo, CalibrationWithoutImageJMetadataUsesCentimetreTags) {
    // Without a description the unit can only live in ResolutionUnit: written in cm,
    // read back in microns (as ImageJ converts small cm sizes).
    const std::string dir = test_dir();
    Shape s;
    s.y = s.x = 16;
    Image image = test_image(s, DType::U16);
    image.calibration().pixel_width = 0.1625;
    image.calibration().pixel_height = 0.325;
    image.calibration().unit = "micron";
    TiffWriteOptions opt;
    opt.imagej_metadata = false;
    write_tiff(dir + "/cm.tif", image, opt);
    const TiffInfo info = read_tiff_info(dir + "/cm.tif");
    EXPECT_FALSE(info.imagej);
    EXPECT_EQ(info.calibration.unit, "micron");
    EXPECT_DOUBLE_EQ(info.calibration.pixel_width, 0.1625);
    EXPECT_DOUBLE_EQ(info.calibration.pixel_height, 0.325);

    // Inch and cm are kept as they are.
    image.calibration().unit = "inch";
    image.calibration().pixel_width = image.calibration().pixel_height = 0.5;
    write_tiff(dir + "/inch.tif", image, opt);
    EXPECT_EQ(read_tiff_info(dir + "/inch.tif").calibration.unit, "inch");
    EXPECT_DOUBLE_EQ(read_tiff_info(dir + "/inch.tif").calibration.pixel_width, 0.5);
}

TEST(TiffIo, ReadsImageJWrittenDescriptionAndResolution) {
    // A file laid out as ImageJ 1.53 writes a calibrated hyperstack: big-endian, unit in
    // the description (escaped as ImageJ escapes it), XResolution as pixels per micron.
    const std::string dir = test_dir();
    const std::string path = dir + "/imagej.tif";
    TIFF* t = TIFFOpen(path.c_str(), "wb");
    ASSERT_NE(t, nullptr);
    const char* desc =
        "ImageJ=1.53t\nimages=6\nchannels=1\nslices=2\nframes=3\nhyperstack=true\nunit=\\u00B5m\n"
        "finterval=0.75\ntunit=min\nspacing=1.5\nloop=false\nmin=0.0\nmax=65535.0\n";
    for (int page = 0; page < 6; ++page) {
        TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 5);
        TIFFSetField(t, TIFFTAG_IMAGELENGTH, 4);
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 16);
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 4);
        if (page == 0) TIFFSetField(t, TIFFTAG_IMAGEDESCRIPTION, desc);
        TIFFSetField(t, TIFFTAG_XRESOLUTION, 6.153846);
        TIFFSetField(t, TIFFTAG_YRESOLUTION, 6.153846);
        TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_NONE);
        std::uint16_t px[20];
        for (int i = 0; i < 20; ++i) px[i] = static_cast<std::uint16_t>(page * 100 + i);
        TIFFWriteEncodedStrip(t, 0, px, sizeof px);
        TIFFWriteDirectory(t);
    }
    TIFFClose(t);

    const TiffInfo info = read_tiff_info(path);
    EXPECT_TRUE(info.imagej);
    EXPECT_TRUE(info.big_endian);
    EXPECT_EQ(info.shape.t, 3);
    EXPECT_EQ(info.shape.z, 2);
    EXPECT_EQ(info.shape.c, 1);
    EXPECT_EQ(info.calibration.unit, "micron");
    EXPECT_DOUBLE_EQ(info.calibration.pixel_width, 0.1625);
    EXPECT_DOUBLE_EQ(info.calibration.voxel_depth, 1.5);
    EXPECT_DOUBLE_EQ(info.calibration.frame_interval, 0.75);
    EXPECT_EQ(info.calibration.time_unit, "min");
    const Image img = read_tiff(path);
    EXPECT_EQ(img.plane<std::uint16_t>(4)[7], 407);
}

TEST(TiffIo, ImageJDimensionsThatDoNotFitArePages) {
    // ImageJ ignores channels/slices/frames whose product is not the page count; so do we.
    const std::string dir = test_dir();
    const std::string path = dir + "/bad_dims.tif";
    TIFF* t = TIFFOpen(path.c_str(), "w");
    ASSERT_NE(t, nullptr);
    for (int page = 0; page < 4; ++page) {
        TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 3);
        TIFFSetField(t, TIFFTAG_IMAGELENGTH, 2);
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        if (page == 0) TIFFSetField(t, TIFFTAG_IMAGEDESCRIPTION, "ImageJ=1.53t\nimages=4\nslices=3\nframes=7\n");
        std::uint8_t px[6] = {1, 2, 3, 4, 5, 6};
        TIFFWriteEncodedStrip(t, 0, px, 6);
        TIFFWriteDirectory(t);
    }
    TIFFClose(t);
    const TiffInfo info = read_tiff_info(path);
    EXPECT_EQ(info.shape.t, 4);
    EXPECT_EQ(info.shape.z, 1);
}

TEST(TiffIo, ImageJLargeStackLayoutWithOneIfd) {
    // ImageJ saves stacks over 4 GB with only the first IFD; images= gives the plane
    // count and the planes follow each other. Same layout, small.
    const std::string dir = test_dir();
    const std::string path = dir + "/one_ifd.tif";
    const int w = 6, h = 5, n = 4;
    std::vector<std::uint16_t> planes(std::size_t(w) * h * n);
    for (std::size_t i = 0; i < planes.size(); ++i) planes[i] = static_cast<std::uint16_t>(1000 + i);
    TIFF* t = TIFFOpen(path.c_str(), "wb");
    ASSERT_NE(t, nullptr);
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, w);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, h);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 16);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, h);
    TIFFSetField(t, TIFFTAG_IMAGEDESCRIPTION, "ImageJ=1.53t\nimages=4\nframes=4\n");
    // Raw big-endian data of all planes as the one strip.
    std::vector<std::uint16_t> swapped = planes;
    if (!host_big_endian()) TIFFSwabArrayOfShort(swapped.data(), static_cast<tmsize_t>(swapped.size()));
    TIFFWriteRawStrip(t, 0, swapped.data(), static_cast<tmsize_t>(swapped.size() * 2));
    TIFFWriteDirectory(t);
    TIFFClose(t);

    const Image img = read_tiff(path);
    EXPECT_EQ(img.shape().t, n);
    ASSERT_EQ(img.byte_size(), planes.size() * 2);
    EXPECT_EQ(std::memcmp(img.bytes(), planes.data(), img.byte_size()), 0);

    // Cut the file inside the planes: an Error, not a short read.
    fs::resize_file(path, fs::file_size(path) - 200);
    try {
        read_tiff(path);
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

TEST(TiffIo, TiledRoundTrip) {
    const std::string dir = test_dir();
    Shape s;
    s.t = 2;
    s.y = 70;   // not a multiple of the tile: padded edge tiles
    s.x = 100;
    for (DType d : {DType::U8, DType::U16, DType::F32}) {
        for (Compression c : {Compression::None, Compression::LZW, Compression::Deflate, Compression::PackBits}) {
            const Image image = test_image(s, d);
            TiffWriteOptions opt;
            opt.tile_size = 32;
            opt.compression = c;
            opt.byte_order = ByteOrder::Big;
            const std::string path = dir + "/tiled_" + dtype_name(d) + compression_name(c) + ".tif";
            write_tiff(path, image, opt);
            const TiffInfo info = read_tiff_info(path);
            EXPECT_TRUE(info.tiled);
            EXPECT_EQ(info.compression, c);
            EXPECT_TRUE(same_pixels(image, read_tiff(path))) << path;
        }
    }
    TiffWriteOptions bad;
    bad.tile_size = 20;
    try {
        write_tiff(dir + "/bad.tif", test_image(s, DType::U8), bad);
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("multiple of 16"), std::string::npos) << e.what();
    }
}

TEST(TiffIo, ForcedBigTiff) {
    const std::string dir = test_dir();
    Shape s;
    s.t = 3;
    s.y = 9;
    s.x = 11;
    const Image image = test_image(s, DType::I16);
    TiffWriteOptions opt;
    opt.bigtiff = true;
    opt.compression = Compression::LZW;
    write_tiff(dir + "/big.tif", image, opt);
    const TiffInfo info = read_tiff_info(dir + "/big.tif");
    EXPECT_TRUE(info.bigtiff);
    EXPECT_TRUE(same_pixels(image, read_tiff(dir + "/big.tif")));
    // BigTIFF version number 43 in the header.
    std::ifstream f(dir + "/big.tif", std::ios::binary);
    char header[4];
    f.read(header, 4);
    EXPECT_EQ(header[host_big_endian() ? 3 : 2], 43);

    write_tiff(dir + "/classic.tif", image, {});
    EXPECT_FALSE(read_tiff_info(dir + "/classic.tif").bigtiff) << "small files stay classic TIFF";
}

TEST(TiffIo, RandomAccessPages) {
    const std::string dir = test_dir();
    Shape s;
    s.t = 10;
    s.y = 3;
    s.x = 4;
    Image image(s, DType::U16);
    for (std::int64_t p = 0; p < s.planes(); ++p)
        for (std::int64_t i = 0; i < s.plane_pixels(); ++i) image.plane<std::uint16_t>(p)[i] = std::uint16_t(p * 10 + i);
    TiffWriteOptions opt;
    opt.compression = Compression::Deflate;
    write_tiff(dir + "/pages.tif", image, opt);

    TiffReader reader(dir + "/pages.tif");
    for (std::int64_t p : {7, 2, 9, 0, 0, 5, 1, 9, 8, 3, 4, 6}) {
        const Image page = reader.read_page(p);
        EXPECT_EQ(page.shape().planes(), 1);
        EXPECT_EQ(page.data<std::uint16_t>()[0], p * 10) << "page " << p;
        EXPECT_EQ(page.data<std::uint16_t>()[11], p * 10 + 11) << "page " << p;
    }
    std::vector<std::uint16_t> buf(12);
    reader.read_page(4, buf.data());
    EXPECT_EQ(buf[3], 43);
    EXPECT_THROW(reader.read_page(10), Error);
    EXPECT_THROW(reader.read_page(-1), Error);
}

TEST(TiffIo, ManyPagesSequential) {
    // Long videos: every page of a 3000-page file, in order (the reader keeps the IFD
    // offsets from one pass, so this stays linear).
    const std::string dir = test_dir();
    Shape s;
    s.t = 3000;
    s.y = 4;
    s.x = 4;
    TiffWriter writer(dir + "/long.tif", s, DType::U16, Calibration{}, {});
    for (std::int64_t p = 0; p < s.t; ++p) {
        std::uint16_t px[16];
        for (auto& v : px) v = static_cast<std::uint16_t>(p);
        writer.write_page(px);
    }
    writer.close();
    TiffReader reader(dir + "/long.tif");
    ASSERT_EQ(reader.info().shape.t, 3000);
    std::uint16_t px[16];
    for (std::int64_t p = 0; p < s.t; ++p) {
        reader.read_page(p, px);
        ASSERT_EQ(px[15], p);
    }
}

TEST(TiffIo, WriterChecksPageCountAndTypes) {
    const std::string dir = test_dir();
    Shape s;
    s.t = 2;
    s.y = s.x = 4;
    TiffWriter writer(dir + "/w.tif", s, DType::U8, Calibration{}, {});
    Shape plane_shape = s;
    plane_shape.t = 1;
    EXPECT_THROW(writer.write_page(Image(plane_shape, DType::U16)), Error);  // wrong type
    writer.write_page(Image(plane_shape, DType::U8));
    try {
        writer.close();
        FAIL() << "close() with a missing page must throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("only 1 of 2 pages"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(dir + "/w.tif"));
    writer.write_page(Image(plane_shape, DType::U8));
    EXPECT_EQ(writer.pages_written(), 2);
    EXPECT_THROW(writer.write_page(Image(plane_shape, DType::U8)), Error);  // one too many
    writer.close();
    EXPECT_TRUE(fs::exists(dir + "/w.tif"));
}

TEST(TiffIo, UnclosedWriterLeavesNoFile) {
    const std::string dir = test_dir();
    Shape s;
    s.t = 3;
    s.y = s.x = 8;
    const Image image = test_image(s, DType::U16);
    {
        TiffWriter writer(dir + "/partial.tif", s, DType::U16, Calibration{}, {});
        writer.write_page(image.plane_bytes(0));
        EXPECT_EQ(writer.pages_written(), 1);
    }
    {
        // All pages written, but close() never called (e.g. the job was cancelled).
        TiffWriter writer(dir + "/unclosed.tif", s, DType::U16, Calibration{}, {});
        for (int p = 0; p < 3; ++p) writer.write_page(image.plane_bytes(p));
    }
    EXPECT_TRUE(fs::is_empty(dir)) << "neither the final nor a temporary file may remain";

    // An older file under the final name survives a failed rewrite.
    write_tiff(dir + "/keep.tif", image, {});
    {
        TiffWriter writer(dir + "/keep.tif", s, DType::U16, Calibration{}, {});
        writer.write_page(image.plane_bytes(0));
    }
    EXPECT_TRUE(same_pixels(read_tiff(dir + "/keep.tif"), image));
}

TEST(TiffIo, UnwritableDestinationNamesIt) {
    const std::string dir = test_dir();
    Shape s;
    s.y = s.x = 4;
    const Image image(s, DType::U8);
    const std::string missing = dir + "/no/such/folder";
    try {
        write_tiff(missing + "/x.tif", image, {});
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
    }
    // A file where the folder should be.
    std::ofstream(dir + "/afile") << "x";
    EXPECT_THROW(write_tiff(dir + "/afile/x.tif", image, {}), Error);
    // A folder under the file name.
    fs::create_directory(dir + "/taken.tif");
    EXPECT_THROW(write_tiff(dir + "/taken.tif", image, {}), Error);
}

TEST(TiffIo, ReadOnlyFolderNamesIt) {
    if (::geteuid() == 0) GTEST_SKIP() << "running as root: folder permissions are not enforced";
    const std::string dir = test_dir();
    Shape s;
    s.y = s.x = 4;
    const Image image(s, DType::U8);
    const std::string locked = dir + "/locked";
    fs::create_directory(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    try {
        write_tiff(locked + "/x.tif", image, {});
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(locked), std::string::npos) << e.what();
    }
    fs::permissions(locked, fs::perms::owner_all);
}

TEST(TiffIo, CompressionNames) {
    for (Compression c : {Compression::None, Compression::LZW, Compression::Deflate, Compression::PackBits})
        EXPECT_EQ(compression_from_name(compression_name(c)), c);
    EXPECT_EQ(compression_from_name("LZW"), Compression::LZW);
    EXPECT_EQ(compression_from_name("zlib"), Compression::Deflate);
    try {
        compression_from_name("jpeg", "--compression");
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("--compression"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("'jpeg'"), std::string::npos);
    }
}

TEST(TiffIo, ReadsClassicDeflateCode) {
    // COMPRESSION_DEFLATE (32946, the old code) is read like Adobe Deflate (8).
    const std::string dir = test_dir();
    const std::string path = dir + "/old_deflate.tif";
    TIFF* t = TIFFOpen(path.c_str(), "w");
    ASSERT_NE(t, nullptr);
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 4);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, 2);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
    TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_DEFLATE);
    std::uint8_t px[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    TIFFWriteEncodedStrip(t, 0, px, 8);
    TIFFWriteDirectory(t);
    TIFFClose(t);
    const Image img = read_tiff(path);
    EXPECT_EQ(read_tiff_info(path).compression, Compression::Deflate);
    EXPECT_EQ(img.data<std::uint8_t>()[7], 2);
}
