// open_video(): one TIFF, one PNG, or a folder of frames, behind one VideoReader.
#include "nativeseg/video_io.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <new>

#include "nativeseg/error.h"
#include "video_readers.h"

namespace fs = std::filesystem;

namespace nativeseg {

Image VideoReader::read_frame(std::int64_t t) {
    const Shape& s = shape();
    if (t < 0 || t >= s.t)
        throw Error("frame " + std::to_string(t) + " is out of range (the video has " + std::to_string(s.t) +
                    " frames, numbered from 0)");
    Shape fs = s;
    fs.t = 1;
    Image frame(fs, dtype());
    frame.calibration() = calibration();
    const std::int64_t per_frame = fs.planes();
    for (std::int64_t i = 0; i < per_frame; ++i) frame.set_plane(i, read_plane(t * per_frame + i));
    return frame;
}

Image VideoReader::read_all() {
    Image video;
    try {
        video = Image(shape(), dtype());
    } catch (const std::bad_alloc&) {
        throw Error("not enough memory to read a video of " + shape().str() + " " + dtype_name(dtype()) + " pixels");
    }
    video.calibration() = calibration();
    for (std::int64_t p = 0; p < shape().planes(); ++p) video.set_plane(p, read_plane(p));
    return video;
}

namespace {

class TiffVideo : public VideoReader {
public:
    explicit TiffVideo(const std::string& path) : reader_(path) {}
    const Shape& shape() const override { return reader_.info().shape; }
    DType dtype() const override { return reader_.info().dtype; }
    const Calibration& calibration() const override { return reader_.info().calibration; }
    Image read_plane(std::int64_t index) override { return reader_.read_page(index); }

private:
    TiffReader reader_;
};

/// A single PNG: one plane, read at open (OpenCV has no header-only read).
class PngVideo : public VideoReader {
public:
    explicit PngVideo(const std::string& path) : path_(path), plane_(read_png(path)) {}
    const Shape& shape() const override { return plane_.shape(); }
    DType dtype() const override { return plane_.dtype(); }
    const Calibration& calibration() const override { return plane_.calibration(); }
    Image read_plane(std::int64_t index) override {
        if (index != 0) throw Error("'" + path_ + "': plane " + std::to_string(index) + " is out of range (a PNG has one)");
        return plane_.plane_copy(0);
    }

private:
    std::string path_;
    Image plane_;
};

std::string lower_extension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return ext;
}

}  // namespace

std::unique_ptr<VideoReader> open_video(const std::string& path) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw Error("'" + path + "': no such file or folder");
    if (fs::is_directory(status)) return detail::open_frame_folder(path);
    const std::string ext = lower_extension(path);
    if (ext == ".tif" || ext == ".tiff") return std::make_unique<TiffVideo>(path);
    if (ext == ".png") return std::make_unique<PngVideo>(path);
    throw Error("'" + path + "': unsupported file type '" + ext +
                "' (expected a .tif/.tiff file, a .png file, or a folder of frames)");
}

}  // namespace nativeseg
