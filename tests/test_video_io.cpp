// Videos as one TIFF, one PNG, or a folder of numbered frames (CTC layout): the same
// pixels whatever the storage, lazy frame reading, and clear errors for broken folders.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "nativeseg/error.h"
#include "nativeseg/video_io.h"

namespace fs = std::filesystem;
using namespace nativeseg;

namespace {

std::string fresh_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const fs::path dir = fs::path(NATIVESEG_TEST_TMP) / "video_io" / info->name();
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir.string();
}

Image ramp(Shape shape, DType dtype) {
    Image img(shape, dtype);
    for (std::size_t i = 0; i < img.byte_size(); ++i) img.bytes()[i] = static_cast<std::uint8_t>((i * 13 + i / 97) & 0xFF);
    return img;
}

bool same_pixels(const Image& a, const Image& b) {
    return a.shape() == b.shape() && a.dtype() == b.dtype() && std::memcmp(a.bytes(), b.bytes(), a.byte_size()) == 0;
}

Shape video_shape(std::int64_t t, std::int64_t y, std::int64_t x, std::int64_t z = 1) {
    Shape s;
    s.t = t;
    s.z = z;
    s.y = y;
    s.x = x;
    return s;
}

/// The Error message of `f()`, failing the test when it does not throw one.
template <typename F>
std::string error_of(F f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "wrong exception type: " << e.what();
        return "";
    }
    ADD_FAILURE() << "no Error thrown";
    return "";
}

void expect_contains(const std::string& message, const std::string& part) {
    EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
}

}  // namespace

TEST(VideoIo, FrameFolderRoundTrip) {
    const std::string dir = fresh_dir() + "/01";
    Image video = ramp(video_shape(5, 30, 40), DType::U16);
    video.calibration().unit = "micron";
    video.calibration().pixel_width = video.calibration().pixel_height = 0.25;
    video.calibration().frame_interval = 10;
    write_frame_folder(dir, video);  // creates the folder

    const std::vector<std::string> files = list_frame_files(dir);
    ASSERT_EQ(files.size(), 5u);
    EXPECT_EQ(fs::path(files[0]).filename(), "t000.tif");
    EXPECT_EQ(fs::path(files[4]).filename(), "t004.tif");

    const auto reader = open_video(dir);
    EXPECT_EQ(reader->shape(), video.shape());
    EXPECT_EQ(reader->dtype(), DType::U16);
    EXPECT_EQ(reader->calibration(), video.calibration());
    EXPECT_TRUE(same_pixels(reader->read_all(), video));
    EXPECT_TRUE(same_pixels(reader->read_frame(3), video.plane_copy(3)));
    EXPECT_TRUE(same_pixels(reader->read_plane(2), video.plane_copy(2)));
    EXPECT_THROW(reader->read_plane(5), Error);
    EXPECT_THROW(reader->read_frame(-1), Error);
}

TEST(VideoIo, FolderOf3DFrames) {
    const std::string dir = fresh_dir();
    const Image video = ramp(video_shape(3, 12, 16, 4), DType::F32);
    // Plain multi-page TIFFs (no ImageJ axes) are 3-D frames too.
    for (bool imagej : {true, false}) {
        const std::string sub = dir + (imagej ? "/imagej" : "/plain");
        TiffWriteOptions opt;
        opt.imagej_metadata = imagej;
        opt.compression = Compression::Deflate;
        write_frame_folder(sub, video, "mask", opt);
        EXPECT_TRUE(fs::exists(sub + "/mask002.tif"));
        const auto reader = open_video(sub);
        EXPECT_EQ(reader->shape(), video.shape()) << sub;
        EXPECT_TRUE(same_pixels(reader->read_all(), video)) << sub;
        Shape frame = video.shape();
        frame.t = 1;
        const Image f1 = reader->read_frame(1);
        EXPECT_EQ(f1.shape(), frame);
        EXPECT_EQ(std::memcmp(f1.bytes(), video.plane_bytes(4), f1.byte_size()), 0);
    }
}

TEST(VideoIo, FrameNamesAndDigits) {
    const std::string dir = fresh_dir();
    // More than 1000 frames: four digits (CTC); exactly 1000: three.
    write_frame_folder(dir + "/many", Image(video_shape(1001, 2, 2), DType::U8));
    EXPECT_TRUE(fs::exists(dir + "/many/t0000.tif"));
    EXPECT_TRUE(fs::exists(dir + "/many/t1000.tif"));
    EXPECT_EQ(list_frame_files(dir + "/many").size(), 1001u);
    write_frame_folder(dir + "/thousand", Image(video_shape(1000, 2, 2), DType::U8));
    EXPECT_TRUE(fs::exists(dir + "/thousand/t999.tif"));

    // Ground-truth style names, other files beside them, numbering from 1.
    write_frame_folder(dir + "/gt", ramp(video_shape(3, 4, 4), DType::U16), "man_seg");
    std::ofstream(dir + "/gt/man_track.txt") << "1 0 2 0\n";
    std::ofstream(dir + "/gt/notes.tif.txt") << "x";
    std::ofstream(dir + "/gt/.hidden007.tif") << "x";
    fs::create_directory(dir + "/gt/sub123.tif");
    EXPECT_EQ(list_frame_files(dir + "/gt").size(), 3u);
    EXPECT_EQ(open_video(dir + "/gt")->shape().t, 3);

    write_frame_folder(dir + "/from1", ramp(video_shape(3, 4, 4), DType::U8));
    fs::rename(dir + "/from1/t000.tif", dir + "/from1/t003.tif");
    const auto files = list_frame_files(dir + "/from1");
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(fs::path(files[0]).filename(), "t001.tif");
    EXPECT_EQ(fs::path(files[2]).filename(), "t003.tif");

    expect_contains(error_of([&] { write_frame_folder(dir + "/bad", Image(video_shape(1, 2, 2), DType::U8), "t/../x"); }),
                    "prefix");
}

TEST(VideoIo, MissingFrameNamesTheNumber) {
    const std::string dir = fresh_dir();
    write_frame_folder(dir, ramp(video_shape(6, 8, 8), DType::U8));
    fs::remove(dir + "/t003.tif");
    const std::string msg = error_of([&] { open_video(dir); });
    expect_contains(msg, "frame 3 is missing");
    expect_contains(msg, dir);
}

TEST(VideoIo, DuplicateAndMixedNames) {
    const std::string dir = fresh_dir();
    write_frame_folder(dir + "/dup", ramp(video_shape(3, 8, 8), DType::U8));
    fs::copy_file(dir + "/dup/t001.tif", dir + "/dup/t1.tif");
    expect_contains(error_of([&] { list_frame_files(dir + "/dup"); }), "frame 1 appears twice");

    write_frame_folder(dir + "/mixed", ramp(video_shape(2, 8, 8), DType::U8));
    write_frame_folder(dir + "/mixed", ramp(video_shape(2, 8, 8), DType::U8), "mask");
    expect_contains(error_of([&] { list_frame_files(dir + "/mixed"); }), "more than one series");

    fs::create_directory(dir + "/empty");
    std::ofstream(dir + "/empty/readme.txt") << "nothing";
    expect_contains(error_of([&] { open_video(dir + "/empty"); }), "holds no frame files");
}

TEST(VideoIo, MismatchedFrameNamesTheFile) {
    const std::string dir = fresh_dir();
    write_frame_folder(dir + "/size", ramp(video_shape(5, 8, 8), DType::U16));
    write_tiff(dir + "/size/t002.tif", ramp(video_shape(1, 8, 9), DType::U16));
    write_tiff(dir + "/size/t004.tif", ramp(video_shape(1, 7, 8), DType::U16));
    const std::string msg = error_of([&] { open_video(dir + "/size"); });
    expect_contains(msg, "'" + dir + "/size/t002.tif' is 9x8 uint16");  // the first mismatching file
    expect_contains(msg, "same size and pixel type");

    write_frame_folder(dir + "/type", ramp(video_shape(3, 8, 8), DType::U16));
    write_tiff(dir + "/type/t001.tif", ramp(video_shape(1, 8, 8), DType::U8));
    expect_contains(error_of([&] { open_video(dir + "/type"); }), "t001.tif' is 8x8 uint8 but");
}

TEST(VideoIo, FolderReadingIsLazy) {
    // Only the file of the frame asked for is read: a file removed after opening fails
    // when (and only when) its frame is read.
    const std::string dir = fresh_dir();
    const Image video = ramp(video_shape(4, 8, 8), DType::U8);
    write_frame_folder(dir, video);
    const auto reader = open_video(dir);
    fs::remove(dir + "/t003.tif");
    EXPECT_TRUE(same_pixels(reader->read_frame(0), video.plane_copy(0)));
    EXPECT_TRUE(same_pixels(reader->read_frame(2), video.plane_copy(2)));
    expect_contains(error_of([&] { reader->read_frame(3); }), dir + "/t003.tif");
}

TEST(VideoIo, PngRoundTrip) {
    const std::string dir = fresh_dir();
    for (DType d : {DType::U8, DType::U16}) {
        const Image plane = ramp(video_shape(1, 33, 47), d);
        const std::string path = dir + "/" + dtype_name(d) + ".png";
        write_png(path, plane);
        EXPECT_TRUE(same_pixels(read_png(path), plane)) << path;
        const auto reader = open_video(path);
        EXPECT_EQ(reader->shape(), plane.shape());
        EXPECT_EQ(reader->dtype(), d);
        EXPECT_TRUE(same_pixels(reader->read_all(), plane));
        EXPECT_THROW(reader->read_plane(1), Error);
    }
    expect_contains(error_of([&] { write_png(dir + "/f.png", Image(video_shape(1, 4, 4), DType::F32)); }),
                    "8- or 16-bit unsigned");
    expect_contains(error_of([&] { write_png(dir + "/s.png", Image(video_shape(2, 4, 4), DType::U8)); }), "one plane");
    EXPECT_FALSE(fs::exists(dir + "/f.png"));
}

TEST(VideoIo, ColourAndBrokenPngRejected) {
    const std::string dir = fresh_dir();
    cv::Mat colour(10, 12, CV_8UC3, cv::Scalar(10, 20, 30));
    ASSERT_TRUE(cv::imwrite(dir + "/colour.png", colour));
    const std::string msg = error_of([&] { read_png(dir + "/colour.png"); });
    expect_contains(msg, dir + "/colour.png");
    expect_contains(msg, "colour PNG images (3 channels) are not supported");
    expect_contains(error_of([&] { open_video(dir + "/colour.png"); }), "colour");

    std::ofstream(dir + "/text.png") << "not an image";
    expect_contains(error_of([&] { read_png(dir + "/text.png"); }), "not a readable image");
    std::ofstream(dir + "/empty.png").close();
    expect_contains(error_of([&] { read_png(dir + "/empty.png"); }), "empty");
    expect_contains(error_of([&] { read_png(dir + "/missing.png"); }), "no such file");
}

TEST(VideoIo, PngFolder) {
    const std::string dir = fresh_dir();
    const Image video = ramp(video_shape(3, 9, 11), DType::U16);
    for (int t = 0; t < 3; ++t) write_png(dir + "/" + std::to_string(10 + t) + ".png", video.plane_copy(t));
    const auto reader = open_video(dir);
    EXPECT_EQ(reader->shape(), video.shape());
    EXPECT_TRUE(same_pixels(reader->read_all(), video));

    // A PNG of another size is reported when its frame is read (PNG headers are not read ahead).
    write_png(dir + "/11.png", ramp(video_shape(1, 9, 12), DType::U16));
    const auto again = open_video(dir);
    expect_contains(error_of([&] { again->read_all(); }), "11.png' is 12x9 uint16 but");
}

TEST(VideoIo, OpenVideoDispatch) {
    const std::string dir = fresh_dir();
    Image video = ramp(video_shape(4, 6, 7), DType::I16);
    write_tiff(dir + "/video.tif", video);
    fs::copy_file(dir + "/video.tif", dir + "/VIDEO.TIFF");
    for (const char* name : {"/video.tif", "/VIDEO.TIFF"}) {
        const auto reader = open_video(dir + name);
        EXPECT_EQ(reader->shape(), video.shape());
        EXPECT_TRUE(same_pixels(reader->read_all(), video));
        EXPECT_TRUE(same_pixels(reader->read_plane(3), video.plane_copy(3)));
    }
    expect_contains(error_of([&] { open_video(dir + "/missing.tif"); }), "no such file or folder");
    std::ofstream(dir + "/movie.avi") << "x";
    expect_contains(error_of([&] { open_video(dir + "/movie.avi"); }), "unsupported file type '.avi'");
    std::ofstream(dir + "/broken.tif") << "x";
    expect_contains(error_of([&] { open_video(dir + "/broken.tif"); }), dir + "/broken.tif");
}

TEST(VideoIo, UnwritableFolder) {
    const std::string dir = fresh_dir();
    std::ofstream(dir + "/file") << "x";
    expect_contains(error_of([&] { write_frame_folder(dir + "/file", Image(video_shape(2, 2, 2), DType::U8)); }),
                    dir + "/file");
    expect_contains(error_of([&] { write_frame_folder(dir + "/file/sub", Image(video_shape(2, 2, 2), DType::U8)); }),
                    dir + "/file/sub");
}
