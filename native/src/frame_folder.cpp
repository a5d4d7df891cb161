// A video stored as a folder of numbered frame files (Cell Tracking Challenge layout:
// t000.tif, t001.tif, ...; mask000.tif; man_seg000.tif; or PNG slices): listing,
// lazy reading (one file per frame), and writing.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>

#include "nativeseg/atomic_file.h"
#include "nativeseg/error.h"
#include "nativeseg/video_io.h"
#include "video_readers.h"

namespace fs = std::filesystem;

namespace nativeseg {

namespace {

bool prefix_char(char ch) { return std::isalpha(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-'; }

struct FrameName {
    std::string series;  // prefix + extension kind: all frames of a folder must share it
    long long number = 0;
};

/// Parses "<prefix><digits>.<tif|tiff|png>"; false for any other name.
bool parse_frame_name(const std::string& name, FrameName& out) {
    const auto dot = name.rfind('.');
    if (dot == std::string::npos || name[0] == '.') return false;  // hidden, e.g. our temporary files
    std::string ext = name.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (ext != "tif" && ext != "tiff" && ext != "png") return false;
    std::size_t digits = 0;
    while (digits < dot && prefix_char(name[digits])) ++digits;
    const std::string prefix = name.substr(0, digits);
    const std::string number = name.substr(digits, dot - digits);
    if (number.empty() || number.size() > 9 ||
        !std::all_of(number.begin(), number.end(), [](unsigned char ch) { return std::isdigit(ch) != 0; }))
        return false;
    out.series = prefix + (ext == "png" ? " (.png)" : " (.tif)");
    out.number = std::stoll(number);
    return true;
}

/// The shape of one frame file, as Z x C planes: a plain multi-page TIFF (no ImageJ
/// axes) holds the Z slices of a 3-D frame.
Shape frame_shape(const TiffInfo& info) {
    Shape s = info.shape;
    if (s.t > 1 && s.z == 1 && s.c == 1) std::swap(s.t, s.z);
    if (s.t > 1)
        throw Error("'" + info.path + "' holds " + std::to_string(s.t) + " time points (" + info.shape.str() +
                    "); a frame folder needs one time point per file");
    return s;
}

std::string describe(const Shape& s, DType t) {
    std::string d = std::to_string(s.x) + "x" + std::to_string(s.y);
    if (s.z > 1) d += "x" + std::to_string(s.z) + " (Z)";
    if (s.c > 1) d += ", " + std::to_string(s.c) + " channels";
    return d + " " + dtype_name(t);
}

class FolderVideo : public VideoReader {
public:
    explicit FolderVideo(const std::string& dir) : dir_(dir), files_(list_frame_files(dir)) {
        std::string ext = fs::path(files_[0]).extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        png_ = ext == ".png";
        if (png_) {
            const Image first = read_png(files_[0]);
            frame_ = first.shape();
            dtype_ = first.dtype();
            // PNG frames are checked as they are read: OpenCV cannot read a header alone.
        } else {
            const TiffInfo first = read_tiff_info(files_[0]);
            frame_ = frame_shape(first);
            dtype_ = first.dtype;
            calibration_ = first.calibration;
            // TIFF headers are cheap to read: a mismatch is reported now, not hours into a job.
            for (std::size_t i = 1; i < files_.size(); ++i) {
                const TiffInfo info = read_tiff_info(files_[i]);
                check(files_[i], frame_shape(info), info.dtype);
            }
        }
        shape_ = frame_;
        shape_.t = static_cast<std::int64_t>(files_.size());
    }

    const Shape& shape() const override { return shape_; }
    DType dtype() const override { return dtype_; }
    const Calibration& calibration() const override { return calibration_; }

    Image read_plane(std::int64_t index) override {
        if (index < 0 || index >= shape_.planes())
            throw Error("'" + dir_ + "': plane " + std::to_string(index) + " is out of range (the folder has " +
                        std::to_string(shape_.planes()) + " planes)");
        const std::int64_t per_frame = frame_.planes();
        const std::size_t t = static_cast<std::size_t>(index / per_frame);
        Image plane;
        if (png_) {
            plane = read_png(files_[t]);
            check(files_[t], plane.shape(), plane.dtype());
        } else {
            if (open_frame_ != t) {
                reader_.reset();
                reader_ = std::make_unique<TiffReader>(files_[t]);
                open_frame_ = t;
                check(files_[t], frame_shape(reader_->info()), reader_->info().dtype);
            }
            plane = reader_->read_page(index % per_frame);
        }
        plane.calibration() = calibration_;
        return plane;
    }

private:
    void check(const std::string& file, const Shape& s, DType t) const {
        if (s != frame_ || t != dtype_)
            throw Error("'" + file + "' is " + describe(s, t) + " but '" + files_[0] + "' is " +
                        describe(frame_, dtype_) + "; all frames in '" + dir_ +
                        "' must have the same size and pixel type");
    }

    std::string dir_;
    std::vector<std::string> files_;
    bool png_ = false;
    Shape frame_, shape_;
    DType dtype_ = DType::U8;
    Calibration calibration_;
    std::unique_ptr<TiffReader> reader_;  // the frame file being read
    std::size_t open_frame_ = static_cast<std::size_t>(-1);
};

}  // namespace

std::vector<std::string> list_frame_files(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw Error("'" + dir + "' is not a folder");
    std::map<std::string, std::map<long long, std::string>> series;  // series -> number -> file name
    try {
        for (const auto& entry : fs::directory_iterator(dir)) {
            FrameName f;
            const std::string name = entry.path().filename().string();
            if (!parse_frame_name(name, f) || entry.is_directory()) continue;
            auto& frames = series[f.series];
            auto [it, inserted] = frames.emplace(f.number, name);
            if (!inserted)
                throw Error("folder '" + dir + "': frame " + std::to_string(f.number) + " appears twice ('" +
                            it->second + "' and '" + name + "')");
        }
    } catch (const fs::filesystem_error& e) {
        throw Error("folder '" + dir + "': cannot list it: " + e.code().message());
    }
    if (series.empty())
        throw Error("folder '" + dir + "' holds no frame files (expected numbered names such as t000.tif, "
                    "mask000.tif or 000.png)");
    if (series.size() > 1) {
        std::string names;
        for (const auto& [key, frames] : series)
            names += (names.empty() ? "" : ", ") + ("'" + frames.begin()->second + "'");
        throw Error("folder '" + dir + "' holds more than one series of frames (" + names +
                    "); put each series in its own folder");
    }
    const auto& frames = series.begin()->second;
    std::vector<std::string> files;
    long long expected = frames.begin()->first;
    for (const auto& [number, name] : frames) {
        if (number != expected)
            throw Error("folder '" + dir + "': frame " + std::to_string(expected) + " is missing (found frames " +
                        std::to_string(frames.begin()->first) + " to " + std::to_string(frames.rbegin()->first) +
                        ", next after " + std::to_string(expected - 1) + " is " + std::to_string(number) + ")");
        files.push_back((fs::path(dir) / name).string());
        ++expected;
    }
    return files;
}

void write_frame_folder(const std::string& dir, const Image& video, const std::string& prefix,
                        const TiffWriteOptions& options) {
    if (video.empty()) throw Error("'" + dir + "': cannot write an empty video");
    if (!std::all_of(prefix.begin(), prefix.end(), prefix_char))
        throw Error("frame file prefix '" + prefix + "' is not valid (letters, '_' and '-' only)");
    ensure_writable_dir(dir);
    const Shape& s = video.shape();
    // CTC names: t000..t999, four digits from 1001 frames on (more if ever needed).
    const std::size_t digits = std::max<std::size_t>(3, std::to_string(s.t - 1).size());
    Shape frame = s;
    frame.t = 1;
    const std::int64_t per_frame = frame.planes();
    for (std::int64_t t = 0; t < s.t; ++t) {
        std::string number = std::to_string(t);
        number.insert(0, digits - number.size(), '0');
        const std::string path = (fs::path(dir) / (prefix + number + ".tif")).string();
        TiffWriter writer(path, frame, video.dtype(), video.calibration(), options);
        for (std::int64_t p = 0; p < per_frame; ++p) writer.write_page(video.plane_bytes(t * per_frame + p));
        writer.close();
    }
}

namespace detail {
std::unique_ptr<VideoReader> open_frame_folder(const std::string& dir) { return std::make_unique<FolderVideo>(dir); }
}  // namespace detail

}  // namespace nativeseg
