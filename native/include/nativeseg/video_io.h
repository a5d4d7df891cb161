#pragma once
// A video (or stack) as a sequence of planes, whatever it is stored as: one TIFF
// (ImageJ hyperstack or plain multi-page), a folder of single-frame TIFFs in the Cell
// Tracking Challenge layout (t000.tif, t001.tif, ...), or 8/16-bit PNG slices.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nativeseg/image.h"
#include "nativeseg/tiff_io.h"

namespace nativeseg {

class VideoReader {
public:
    virtual ~VideoReader() = default;
    /// Shape of the whole video (T frames, each Z x C x Y x X).
    virtual const Shape& shape() const = 0;
    virtual DType dtype() const = 0;
    virtual const Calibration& calibration() const = 0;
    /// Plane `index` in TZC order, as a 1-plane image. Only that plane is read.
    virtual Image read_plane(std::int64_t index) = 0;
    /// One frame t (all its Z and C planes).
    Image read_frame(std::int64_t t);
    /// The whole video in memory.
    Image read_all();
};

/// Opens a .tif/.tiff file, a folder of frames, or a .png file / folder of .png slices.
std::unique_ptr<VideoReader> open_video(const std::string& path);

/// The frame files of a folder in CTC layout, sorted by frame number. Accepted names:
/// a common prefix (letters, may be empty or end in '_') followed by the frame number
/// and .tif/.tiff/.png. Error naming the folder when numbers are missing or duplicated,
/// or the folder holds no frames.
std::vector<std::string> list_frame_files(const std::string& dir);

/// Writes a video as a folder of single-frame TIFFs `<prefix>NNN.tif` (digits: 3, or 4
/// when there are more than 1000 frames), each written atomically.
void write_frame_folder(const std::string& dir, const Image& video, const std::string& prefix = "t",
                        const TiffWriteOptions& options = {});

/// PNG slices (8/16-bit grey) through OpenCV.
Image read_png(const std::string& path);
void write_png(const std::string& path, const Image& plane);

}  // namespace nativeseg
