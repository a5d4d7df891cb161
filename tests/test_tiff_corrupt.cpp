// Damaged and unsupported TIFF files: every read either succeeds or throws
// nativeseg::Error with a message naming the file; nothing crashes, nothing else is
// thrown, and libtiff prints nothing.
#include <gtest/gtest.h>
#include <tiffio.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include "nativeseg/error.h"
#include "nativeseg/tiff_io.h"

namespace fs = std::filesystem;
using namespace nativeseg;

namespace {

std::string fresh_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const fs::path dir = fs::path(NATIVESEG_TEST_TMP) / "tiff_corrupt" / info->name();
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir.string();
}

std::vector<char> load(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(f), {});
}

void save(const std::string& path, const std::vector<char>& bytes, std::size_t size) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(size));
}

enum class Outcome { Read, Error };

/// Opens and reads the whole file; fails the test on any exception but Error.
Outcome try_read(const std::string& path, std::string* message = nullptr) {
    try {
        TiffReader reader(path);
        Image all = reader.read_all();
        // Random access too, from the end backwards.
        for (std::int64_t p = reader.info().shape.planes() - 1; p >= 0; --p) reader.read_page(p);
        return Outcome::Read;
    } catch (const Error& e) {
        if (message) *message = e.what();
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << "message does not name the file: " << e.what();
        return Outcome::Error;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "unexpected exception type for " << path << ": " << e.what();
    } catch (...) {
        ADD_FAILURE() << "unexpected non-std exception for " << path;
    }
    return Outcome::Error;
}

std::string error_of(const std::string& path) {
    std::string message;
    EXPECT_EQ(try_read(path, &message), Outcome::Error) << path << " was read without error";
    return message;
}

/// The end of the last pixel byte (strip data) over all pages: a file cut before it
/// lacks pixels and must not read.
std::uint64_t end_of_pixel_data(const std::string& path) {
    TIFF* t = TIFFOpen(path.c_str(), "r");
    std::uint64_t end = 0;
    do {
        const std::uint32_t n = TIFFIsTiled(t) ? TIFFNumberOfTiles(t) : TIFFNumberOfStrips(t);
        for (std::uint32_t s = 0; s < n; ++s)
            end = std::max(end, TIFFGetStrileOffset(t, s) + TIFFGetStrileByteCount(t, s));
    } while (TIFFReadDirectory(t));
    TIFFClose(t);
    return end;
}

Image sample(Shape shape, DType dtype) {
    Image img(shape, dtype);
    for (std::size_t i = 0; i < img.byte_size(); ++i) img.bytes()[i] = static_cast<std::uint8_t>((i * 37) / 5);
    return img;
}

/// Writes one page with libtiff directly, with whatever tags the caller sets.
template <typename SetTags>
void write_raw_tiff(const std::string& path, const char* mode, std::uint32_t w, std::uint32_t h, std::size_t bytes,
                    SetTags set_tags) {
    TIFF* t = TIFFOpen(path.c_str(), mode);
    ASSERT_NE(t, nullptr);
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, w);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, h);
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, h);
    set_tags(t);
    std::vector<std::uint8_t> data(bytes, 7);
    TIFFWriteEncodedStrip(t, 0, data.data(), static_cast<tmsize_t>(data.size()));
    TIFFWriteDirectory(t);
    TIFFClose(t);
}

void expect_contains(const std::string& message, const std::string& part) {
    EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
}

struct Fixture {
    std::string name;
    TiffWriteOptions options;
    DType dtype;
};

}  // namespace

TEST(TiffCorrupt, TruncatedAndFlippedFiles) {
    const std::string dir = fresh_dir();
    Shape shape;
    shape.t = 3;
    shape.z = 2;
    shape.y = 24;
    shape.x = 40;
    TiffWriteOptions lzw;
    lzw.compression = Compression::LZW;
    TiffWriteOptions none_big;
    none_big.byte_order = ByteOrder::Big;
    TiffWriteOptions tiled_deflate;
    tiled_deflate.compression = Compression::Deflate;
    tiled_deflate.tile_size = 16;
    TiffWriteOptions big_packbits;
    big_packbits.compression = Compression::PackBits;
    big_packbits.bigtiff = true;
    const std::vector<Fixture> fixtures = {{"lzw_u16", lzw, DType::U16},
                                           {"none_big_u8", none_big, DType::U8},
                                           {"tiled_deflate_f32", tiled_deflate, DType::F32},
                                           {"bigtiff_packbits_i16", big_packbits, DType::I16}};
    std::mt19937 rng(20240611);
    int variants = 0, errors = 0;
    ::testing::internal::CaptureStderr();
    for (const Fixture& fx : fixtures) {
        Image image = sample(shape, fx.dtype);
        image.calibration().unit = "micron";
        image.calibration().pixel_width = image.calibration().pixel_height = 0.5;
        const std::string good = dir + "/" + fx.name + ".tif";
        write_tiff(good, image, fx.options);
        ASSERT_EQ(try_read(good), Outcome::Read);
        const std::vector<char> bytes = load(good);
        const std::uint64_t pixels_end = end_of_pixel_data(good);
        const std::string bad = dir + "/" + fx.name + "_bad.tif";

        // Every byte through the header and first IFD region, then every 7th byte.
        for (std::size_t cut = 0; cut < bytes.size(); cut += (cut < 64 ? 1 : 7)) {
            save(bad, bytes, cut);
            const Outcome o = try_read(bad);
            ++variants;
            errors += o == Outcome::Error;
            if (cut < pixels_end) {
                EXPECT_EQ(o, Outcome::Error) << fx.name << " cut at " << cut << " was read";
            }
        }
        // Flipped bytes: 1 to 4 random bytes set to random values.
        for (int v = 0; v < 150; ++v) {
            std::vector<char> copy = bytes;
            const int n = 1 + static_cast<int>(rng() % 4);
            for (int k = 0; k < n; ++k) copy[rng() % copy.size()] = static_cast<char>(rng());
            save(bad, copy, copy.size());
            errors += try_read(bad) == Outcome::Error;
            ++variants;
        }
        // Flipped bytes in the header and the IFDs only (the tag values that matter).
        for (int v = 0; v < 150; ++v) {
            std::vector<char> copy = bytes;
            const std::size_t span = std::min<std::size_t>(copy.size(), 16);
            const std::size_t at = v % 3 == 0 ? rng() % span : pixels_end / 3 + rng() % (copy.size() - pixels_end / 3);
            copy[at] = static_cast<char>(copy[at] ^ (1 << (rng() % 8)));
            save(bad, copy, copy.size());
            errors += try_read(bad) == Outcome::Error;
            ++variants;
        }
    }
    const std::string printed = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(printed, "") << "libtiff must not print";
    EXPECT_GT(variants, 1000);
    EXPECT_GT(errors, variants / 4) << "most damage must be detected";
    std::cout << variants << " damaged files, " << errors << " rejected with an Error\n";
}

TEST(TiffCorrupt, MissingEmptyFolderAndText) {
    const std::string dir = fresh_dir();
    expect_contains(error_of(dir + "/missing.tif"), "no such file");

    std::ofstream(dir + "/empty.tif").close();
    expect_contains(error_of(dir + "/empty.tif"), "empty");

    std::ofstream(dir + "/text.tif") << "This is a text file, not an image.\n";
    const std::string text = error_of(dir + "/text.tif");
    expect_contains(text, "not a readable TIFF");

    fs::create_directory(dir + "/folder.tif");
    expect_contains(error_of(dir + "/folder.tif"), "is a folder");

    // A valid TIFF header followed by nothing.
    std::ofstream(dir + "/header_only.tif", std::ios::binary).write("II*\0\x08\0\0\0", 8);
    error_of(dir + "/header_only.tif");
}

TEST(TiffCorrupt, UnsupportedPixelTypes) {
    const std::string dir = fresh_dir();
    ::testing::internal::CaptureStderr();

    write_raw_tiff(dir + "/rgb.tif", "w", 8, 4, 8 * 4 * 3, [](TIFF* t) {
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 3);
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
        TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    });
    const std::string rgb = error_of(dir + "/rgb.tif");
    expect_contains(rgb, "'" + dir + "/rgb.tif': RGB images (3 samples per pixel) are not supported");
    expect_contains(rgb, "one grey channel");

    write_raw_tiff(dir + "/f64.tif", "w", 8, 4, 8 * 4 * 8, [](TIFF* t) {
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 64);
        TIFFSetField(t, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_IEEEFP);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
    });
    expect_contains(error_of(dir + "/f64.tif"), "64-bit floating-point pixels are not supported");

    write_raw_tiff(dir + "/u64.tif", "w", 8, 4, 8 * 4 * 8, [](TIFF* t) {
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 64);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
    });
    expect_contains(error_of(dir + "/u64.tif"), "64-bit unsigned integer pixels are not supported");

    write_raw_tiff(dir + "/palette.tif", "w", 8, 4, 8 * 4, [](TIFF* t) {
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_PALETTE);
        static std::uint16_t map[256];
        TIFFSetField(t, TIFFTAG_COLORMAP, map, map, map);
    });
    expect_contains(error_of(dir + "/palette.tif"), "palette (indexed colour) images are not supported");

    write_raw_tiff(dir + "/bilevel.tif", "w", 16, 4, 2 * 4, [](TIFF* t) {
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
    });
    expect_contains(error_of(dir + "/bilevel.tif"), "1-bit (bilevel) images are not supported");

    write_raw_tiff(dir + "/grey_alpha.tif", "w", 8, 4, 8 * 4 * 2, [](TIFF* t) {
        TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 2);
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        std::uint16_t extra = EXTRASAMPLE_UNASSALPHA;
        TIFFSetField(t, TIFFTAG_EXTRASAMPLES, 1, &extra);
    });
    expect_contains(error_of(dir + "/grey_alpha.tif"), "2 samples per pixel");

    write_raw_tiff(dir + "/half.tif", "w", 8, 4, 8 * 4 * 2, [](TIFF* t) {
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 16);
        TIFFSetField(t, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_IEEEFP);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
    });
    expect_contains(error_of(dir + "/half.tif"), "16-bit floating-point");

    if (TIFFIsCODECConfigured(COMPRESSION_ZSTD)) {
        write_raw_tiff(dir + "/zstd.tif", "w", 8, 4, 8 * 4, [](TIFF* t) {
            TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
            TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
            TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_ZSTD);
        });
        expect_contains(error_of(dir + "/zstd.tif"), "compression ZSTD (50000) is not supported");
    }
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST(TiffCorrupt, PagesThatDifferFromTheFirst) {
    const std::string dir = fresh_dir();
    const std::string path = dir + "/mixed.tif";
    TIFF* t = TIFFOpen(path.c_str(), "w");
    ASSERT_NE(t, nullptr);
    const std::uint32_t sizes[3][2] = {{8, 4}, {8, 4}, {6, 4}};
    for (const auto& s : sizes) {
        TIFFSetField(t, TIFFTAG_IMAGEWIDTH, s[0]);
        TIFFSetField(t, TIFFTAG_IMAGELENGTH, s[1]);
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        std::vector<std::uint8_t> px(s[0] * s[1], 1);
        TIFFWriteEncodedStrip(t, 0, px.data(), static_cast<tmsize_t>(px.size()));
        TIFFWriteDirectory(t);
    }
    TIFFClose(t);
    const std::string size_msg = error_of(path);
    expect_contains(size_msg, "page 3");
    expect_contains(size_msg, "6x4 uint8 but page 1 is 8x4 uint8");

    const std::string types = dir + "/types.tif";
    t = TIFFOpen(types.c_str(), "w");
    ASSERT_NE(t, nullptr);
    for (int bits : {16, 8}) {
        TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 4);
        TIFFSetField(t, TIFFTAG_IMAGELENGTH, 4);
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, bits);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        std::vector<std::uint8_t> px(32, 1);
        TIFFWriteEncodedStrip(t, 0, px.data(), bits * 2);
        TIFFWriteDirectory(t);
    }
    TIFFClose(t);
    expect_contains(error_of(types), "page 2: is 4x4 uint8 but page 1 is 4x4 uint16");
}

TEST(TiffCorrupt, ImplausibleSizeIsAnErrorNotAnAllocation) {
    // A header claiming a 100000 x 100000 image over a few bytes of data.
    const std::string dir = fresh_dir();
    for (int compression : {COMPRESSION_NONE, COMPRESSION_LZW}) {
        const std::string path = dir + "/huge" + std::to_string(compression) + ".tif";
        TIFF* t = TIFFOpen(path.c_str(), "w");
        ASSERT_NE(t, nullptr);
        TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 100000);
        TIFFSetField(t, TIFFTAG_IMAGELENGTH, 100000);
        TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 100000);
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 16);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        TIFFSetField(t, TIFFTAG_COMPRESSION, compression);
        std::uint8_t few[64] = {};
        TIFFWriteRawStrip(t, 0, few, sizeof few);
        TIFFWriteDirectory(t);
        TIFFClose(t);
        expect_contains(error_of(path), "truncated or corrupt");
    }
}

TEST(TiffCorrupt, ImageJDescriptionPromisingMorePages) {
    const std::string dir = fresh_dir();
    const std::string path = dir + "/short.tif";
    Shape s;
    s.t = 2;
    s.y = s.x = 8;
    TiffWriteOptions opt;
    opt.compression = Compression::LZW;
    opt.imagej_metadata = false;
    Image img = sample(s, DType::U8);
    // Two LZW pages whose description claims five: not ImageJ's one-IFD layout.
    TIFF* t = TIFFOpen(path.c_str(), "w");
    ASSERT_NE(t, nullptr);
    for (int p = 0; p < 2; ++p) {
        TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 8);
        TIFFSetField(t, TIFFTAG_IMAGELENGTH, 8);
        TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
        TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
        if (p == 0) TIFFSetField(t, TIFFTAG_IMAGEDESCRIPTION, "ImageJ=1.53t\nimages=5\nframes=5\n");
        TIFFWriteEncodedStrip(t, 0, img.plane_bytes(p), 64);
        TIFFWriteDirectory(t);
    }
    TIFFClose(t);
    expect_contains(error_of(path), "images=5 but the file has 2 page(s)");
}
