#pragma once
// TIFF reading and writing with libtiff, including ImageJ hyperstack metadata so that
// videos we write open in Fiji with frames as T and their calibration, and hyperstacks
// saved by ImageJ are read with the right axes. Pages are read and written one at a time:
// the video pipeline streams frames and never needs a whole file in memory.
#include <cstdint>
#include <memory>
#include <string>

#include "nativeseg/image.h"

namespace nativeseg {

enum class Compression { None, LZW, Deflate, PackBits };
enum class ByteOrder { Native, Little, Big };

/// "none", "lzw", "deflate", "packbits" (and the inverse; Error naming `what` if unknown).
const char* compression_name(Compression c);
Compression compression_from_name(const std::string& name, const std::string& what = "compression");

struct TiffWriteOptions {
    Compression compression = Compression::None;
    ByteOrder byte_order = ByteOrder::Native;
    /// Tile edge in pixels (multiple of 16); 0 writes strips.
    int tile_size = 0;
    /// BigTIFF: forced on, or chosen automatically when the data would pass 4 GB.
    bool bigtiff = false;
    /// Write the ImageJ description (ImageJ=, images=, channels=, slices=, frames=, ...).
    bool imagej_metadata = true;
};

/// What a TIFF file holds, read from its first page(s) and ImageJ description.
struct TiffInfo {
    std::string path;
    Shape shape;          // from the ImageJ description when present, else T = number of pages
    DType dtype = DType::U8;
    Calibration calibration;
    std::int64_t pages = 0;
    bool imagej = false;  // had an ImageJ description
    bool big_endian = false;
    bool bigtiff = false;
    bool tiled = false;
    Compression compression = Compression::None;
};

/// Streaming reader. Every page must have the size and pixel type of the first.
/// Errors (missing, truncated, corrupt file, RGB/palette/64-bit pixels) are Error
/// exceptions that name the file and what was wrong.
class TiffReader {
public:
    explicit TiffReader(const std::string& path);
    ~TiffReader();
    TiffReader(const TiffReader&) = delete;
    TiffReader& operator=(const TiffReader&) = delete;

    const TiffInfo& info() const;
    /// Reads page `index` (TZC order) into `dst`, which holds Y*X pixels of info().dtype.
    void read_page(std::int64_t index, void* dst);
    /// Reads page `index` as a 1-plane image carrying the file's calibration.
    Image read_page(std::int64_t index);
    /// Reads the whole file.
    Image read_all();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Streaming writer: pages are appended in TZC order; close() checks that all
/// shape.planes() pages were written, finishes the file and renames it into place.
/// Destroying a writer that was not closed removes the partial file.
class TiffWriter {
public:
    TiffWriter(const std::string& path, const Shape& shape, DType dtype, const Calibration& calibration,
               const TiffWriteOptions& options = {});
    ~TiffWriter();
    TiffWriter(const TiffWriter&) = delete;
    TiffWriter& operator=(const TiffWriter&) = delete;

    void write_page(const void* pixels);
    void write_page(const Image& plane);
    std::int64_t pages_written() const;
    void close();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Convenience wrappers over the reader and writer.
Image read_tiff(const std::string& path);
TiffInfo read_tiff_info(const std::string& path);
void write_tiff(const std::string& path, const Image& image, const TiffWriteOptions& options = {});

/// The ImageJ ImageDescription text for a shape and calibration (exposed for tests).
std::string imagej_description(const Shape& shape, const Calibration& calibration, DType dtype);

}  // namespace nativeseg
