// TiffWriter: pages are encoded and their directory written one at a time into a
// temporary file, which close() renames into place (AtomicOutput).
#include <tiffio.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "nativeseg/atomic_file.h"
#include "nativeseg/error.h"
#include "nativeseg/tiff_io.h"
#include "tiff_handle.h"
#include "tiff_metadata.h"
#include "tiff_types.h"

namespace nativeseg {

namespace {

// Strips of about this size: small enough to stream, large enough to compress well.
constexpr std::size_t kStripBytes = 64 * 1024;
// Classic TIFF offsets are 32-bit; past this estimate the file is written as BigTIFF.
constexpr double kClassicLimit = 4.0e9;

bool needs_bigtiff(const Shape& shape, DType dtype, const TiffWriteOptions& o) {
    if (o.bigtiff) return true;
    double bytes = double(shape.pixels()) * double(dtype_size(dtype));
    if (o.compression != Compression::None) bytes *= 1.1;  // incompressible data grows a little
    bytes += double(shape.planes()) * 4096.0;               // directories and strip tables
    return bytes > kClassicLimit;
}

std::string open_mode(const TiffWriteOptions& o, bool bigtiff) {
    std::string mode = "w";
    if (o.byte_order == ByteOrder::Little) mode += 'l';
    if (o.byte_order == ByteOrder::Big) mode += 'b';
    if (bigtiff) mode += '8';
    return mode;
}

}  // namespace

struct TiffWriter::Impl {
    std::string path;
    Shape shape;
    DType dtype = DType::U8;
    TiffWriteOptions options;
    std::string description;
    detail::ResolutionTags resolution;
    // Declared before the handle: the temporary file is removed after libtiff closed it.
    std::unique_ptr<AtomicOutput> output;
    std::unique_ptr<detail::TiffHandle> tif;
    std::int64_t written = 0;
    bool closed = false;
    bool broken = false;  // a libtiff write failed
    // libtiff byte-swaps and applies the predictor in place, so pages go through a copy.
    std::vector<std::uint8_t> work;

    void set_tags();
    void write_strips(const std::uint8_t* src);
    void write_tiles(const std::uint8_t* src);
    std::size_t row_bytes() const { return std::size_t(shape.x) * dtype_size(dtype); }
    [[noreturn]] void fail(const std::string& what) const { tif->fail(what, "libtiff gave no reason"); }
};

TiffWriter::TiffWriter(const std::string& path, const Shape& shape, DType dtype, const Calibration& calibration,
                       const TiffWriteOptions& options)
    : impl_(std::make_unique<Impl>()) {
    Impl& d = *impl_;
    d.path = path;
    d.shape = shape;
    d.dtype = dtype;
    d.options = options;
    const std::int64_t max_side = 0x7FFFFFFF;
    if (shape.t < 1 || shape.z < 1 || shape.c < 1 || shape.y < 1 || shape.x < 1 || shape.y > max_side ||
        shape.x > max_side)
        throw Error("'" + path + "': cannot write an image of shape " + shape.str());
    if (options.tile_size < 0 || options.tile_size % 16 != 0)
        throw Error("'" + path + "': tile size " + std::to_string(options.tile_size) +
                    " is not valid (expected 0 for strips, or a positive multiple of 16)");
    // ImageJ reads an uncompressed file with "images=" as one block of planes from the
    // first page on; libtiff puts each page's directory between the planes, so there the
    // key is left out and ImageJ reads the pages one by one.
    if (options.imagej_metadata)
        d.description = detail::imagej_description(shape, calibration, options.compression != Compression::None);
    d.resolution = detail::resolution_for(calibration, options.imagej_metadata);

    d.output = std::make_unique<AtomicOutput>(path);
    const std::string mode = open_mode(options, needs_bigtiff(shape, dtype, options));
    d.tif = std::make_unique<detail::TiffHandle>(d.output->temp_path(), mode.c_str(), path, "cannot create TIFF file");
}

TiffWriter::~TiffWriter() = default;

void TiffWriter::Impl::set_tags() {
    TIFF* t = tif->get();
    bool ok = TIFFSetField(t, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(shape.x)) &&
              TIFFSetField(t, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(shape.y)) &&
              TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, detail::tiff_bits(dtype)) &&
              TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1) &&
              TIFFSetField(t, TIFFTAG_SAMPLEFORMAT, detail::tiff_sample_format(dtype)) &&
              TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK) &&
              TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) &&
              TIFFSetField(t, TIFFTAG_COMPRESSION, detail::tiff_compression(options.compression)) &&
              TIFFSetField(t, TIFFTAG_SOFTWARE, "NativeSeg");
    // Horizontal differencing makes smooth images compress better (lossless). Only with LZW
    // and 8- or 16-bit pixels, as our files must open in ImageJ: 1.53 undoes differencing
    // after LZW but not after Deflate, and cannot decode the floating-point predictor
    // ("unsupported predictor value of 3"; libtiff 4.5 also writes that one wrongly in
    // byte-swapped files).
    if (ok && options.compression == Compression::LZW && detail::tiff_bits(dtype) <= 16)
        ok = TIFFSetField(t, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
    // ImageJ reads its description from the first page only.
    if (ok && written == 0 && !description.empty()) ok = TIFFSetField(t, TIFFTAG_IMAGEDESCRIPTION, description.c_str());
    if (ok && resolution.unit != 0)
        ok = TIFFSetField(t, TIFFTAG_XRESOLUTION, resolution.x) && TIFFSetField(t, TIFFTAG_YRESOLUTION, resolution.y) &&
             TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, resolution.unit);
    if (ok && options.tile_size > 0) {
        ok = TIFFSetField(t, TIFFTAG_TILEWIDTH, static_cast<std::uint32_t>(options.tile_size)) &&
             TIFFSetField(t, TIFFTAG_TILELENGTH, static_cast<std::uint32_t>(options.tile_size));
    } else if (ok) {
        const std::size_t rows = std::clamp<std::size_t>(kStripBytes / row_bytes(), 1, std::size_t(shape.y));
        ok = TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, static_cast<std::uint32_t>(rows));
    }
    if (!ok) fail("cannot set the TIFF tags of page " + std::to_string(written + 1));
}

void TiffWriter::Impl::write_strips(const std::uint8_t* src) {
    TIFF* t = tif->get();
    std::uint32_t rps = 0;
    TIFFGetField(t, TIFFTAG_ROWSPERSTRIP, &rps);
    const std::uint32_t height = static_cast<std::uint32_t>(shape.y);
    for (std::uint32_t s = 0, row = 0; row < height; ++s, row += rps) {
        const std::size_t bytes = std::size_t(std::min(rps, height - row)) * row_bytes();
        work.assign(src + row * row_bytes(), src + row * row_bytes() + bytes);
        if (TIFFWriteEncodedStrip(t, s, work.data(), static_cast<tmsize_t>(bytes)) < 0)
            fail("cannot write page " + std::to_string(written + 1));
    }
}

void TiffWriter::Impl::write_tiles(const std::uint8_t* src) {
    TIFF* t = tif->get();
    const std::size_t px = dtype_size(dtype);
    const std::uint32_t tile = static_cast<std::uint32_t>(options.tile_size);
    const std::uint32_t width = static_cast<std::uint32_t>(shape.x), height = static_cast<std::uint32_t>(shape.y);
    for (std::uint32_t y = 0; y < height; y += tile) {
        for (std::uint32_t x = 0; x < width; x += tile) {
            // Edge tiles are padded with zeros.
            work.assign(std::size_t(tile) * tile * px, 0);
            const std::uint32_t rows = std::min(tile, height - y), cols = std::min(tile, width - x);
            for (std::uint32_t r = 0; r < rows; ++r)
                std::memcpy(work.data() + std::size_t(r) * tile * px, src + ((std::size_t(y) + r) * width + x) * px,
                            cols * px);
            if (TIFFWriteEncodedTile(t, TIFFComputeTile(t, x, y, 0, 0), work.data(),
                                     static_cast<tmsize_t>(work.size())) < 0)
                fail("cannot write page " + std::to_string(written + 1));
        }
    }
}

void TiffWriter::write_page(const void* pixels) {
    Impl& d = *impl_;
    if (d.closed || d.written >= d.shape.planes())
        throw Error("'" + d.path + "': all " + std::to_string(d.shape.planes()) +
                    " pages were already written (shape " + d.shape.str() + ")");
    if (d.broken) throw Error("'" + d.path + "': an earlier page could not be written; the file is not saved");
    try {
        d.tif->clear_errors();
        d.set_tags();
        const auto* src = static_cast<const std::uint8_t*>(pixels);
        if (d.options.tile_size > 0) d.write_tiles(src);
        else d.write_strips(src);
        if (!TIFFWriteDirectory(d.tif->get())) d.fail("cannot write page " + std::to_string(d.written + 1));
    } catch (...) {
        d.broken = true;  // libtiff's state is unknown now: no more pages, no close()
        throw;
    }
    ++d.written;
}

void TiffWriter::write_page(const Image& plane) {
    const Impl& d = *impl_;
    if (plane.dtype() != d.dtype || plane.shape().planes() != 1 || plane.shape().y != d.shape.y ||
        plane.shape().x != d.shape.x)
        throw Error("'" + d.path + "': page " + std::to_string(d.written + 1) + " must be one " +
                    dtype_name(d.dtype) + " plane of " + std::to_string(d.shape.x) + "x" + std::to_string(d.shape.y) +
                    ", got " + dtype_name(plane.dtype()) + " " + plane.shape().str());
    write_page(plane.bytes());
}

std::int64_t TiffWriter::pages_written() const { return impl_->written; }

void TiffWriter::close() {
    Impl& d = *impl_;
    if (d.closed) return;
    if (d.broken) throw Error("'" + d.path + "': an earlier page could not be written; the file is not saved");
    if (d.written != d.shape.planes())
        throw Error("'" + d.path + "': only " + std::to_string(d.written) + " of " +
                    std::to_string(d.shape.planes()) + " pages were written; the file was not saved");
    d.tif->clear_errors();
    if (!TIFFFlush(d.tif->get())) d.fail("cannot finish the file");
    d.tif->close();
    d.output->commit();
    d.closed = true;
}

}  // namespace nativeseg
