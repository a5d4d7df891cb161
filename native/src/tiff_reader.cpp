// TiffReader: one pass over the directories at open (page count, offsets, checks that
// every page has the first page's size and type), then each read_page() loads just
// that directory and decodes its strips or tiles into the caller's buffer.
#include <tiffio.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <new>
#include <vector>

#include "nativeseg/error.h"
#include "nativeseg/tiff_io.h"
#include "tiff_handle.h"
#include "tiff_metadata.h"
#include "tiff_types.h"

namespace fs = std::filesystem;

namespace nativeseg {

namespace {

/// How one page is stored.
struct PageLayout {
    std::uint32_t width = 0, height = 0;
    DType dtype = DType::U8;
    Compression compression = Compression::None;
    bool tiled = false;
    std::uint32_t tile_width = 0, tile_height = 0;
    std::uint32_t rows_per_strip = 0;
};

// Deflate cannot pass ~1032:1 and LZW's 12-bit codes ~1400:1 (PackBits 64:1).
constexpr double kMaxCompressionRatio = 4096.0;

const char* const kExpectedPixels = "expected 8-, 16- or 32-bit integer or 32-bit float pixels";

/// "'<path>': " or "'<path>': page N: " (1-based, as ImageJ counts slices).
std::string where(const std::string& path, std::int64_t page) {
    return "'" + path + "': " + (page > 0 ? "page " + std::to_string(page + 1) + ": " : "");
}

std::string unsupported_samples(std::uint16_t photometric, std::uint16_t spp) {
    const std::string n = std::to_string(spp) + " samples per pixel";
    switch (photometric) {
        case PHOTOMETRIC_RGB: return "RGB images (" + n + ") are not supported; expected one grey channel";
        case PHOTOMETRIC_YCBCR: return "YCbCr colour images (" + n + ") are not supported; expected one grey channel";
        case PHOTOMETRIC_SEPARATED: return "CMYK images (" + n + ") are not supported; expected one grey channel";
        default: return "images with " + n + " (colour or extra channels) are not supported; expected one grey channel";
    }
}

/// The pixel type of a page, or an explanation of why we cannot read it.
bool pixel_type(std::uint16_t bits, std::uint16_t format, DType& out, std::string& why) {
    if (bits == 1) {
        why = std::string("1-bit (bilevel) images are not supported; ") + kExpectedPixels;
        return false;
    }
    switch (format) {
        case SAMPLEFORMAT_UINT:
        case SAMPLEFORMAT_VOID:
            if (bits == 8) out = DType::U8;
            else if (bits == 16) out = DType::U16;
            else if (bits == 32) out = DType::U32;
            else break;
            return true;
        case SAMPLEFORMAT_INT:
            if (bits == 8) out = DType::I8;
            else if (bits == 16) out = DType::I16;
            else if (bits == 32) out = DType::I32;
            else break;
            return true;
        case SAMPLEFORMAT_IEEEFP:
            if (bits == 32) {
                out = DType::F32;
                return true;
            }
            why = std::to_string(bits) + "-bit floating-point pixels are not supported; " + kExpectedPixels +
                  (bits == 64 ? " (convert to 32-bit float)" : "");
            return false;
        case SAMPLEFORMAT_COMPLEXINT:
        case SAMPLEFORMAT_COMPLEXIEEEFP:
            why = std::string("complex-valued pixels are not supported; ") + kExpectedPixels;
            return false;
        default:
            why = "sample format " + std::to_string(format) + " is not supported; " + kExpectedPixels;
            return false;
    }
    why = std::to_string(bits) + "-bit " + (format == SAMPLEFORMAT_INT ? "signed" : "unsigned") +
          " integer pixels are not supported; " + kExpectedPixels;
    return false;
}

/// Reads and checks the layout of libtiff's current directory.
PageLayout read_layout(TIFF* tif, const std::string& path, std::int64_t page) {
    auto fail = [&](const std::string& why) -> PageLayout { throw Error(where(path, page) + why); };
    PageLayout L;
    std::uint16_t spp = 1, photometric = PHOTOMETRIC_MINISBLACK, bits = 1, format = SAMPLEFORMAT_UINT,
                  compression = COMPRESSION_NONE;
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);

    if (spp != 1 || photometric == PHOTOMETRIC_RGB || photometric == PHOTOMETRIC_YCBCR)
        return fail(unsupported_samples(photometric, spp));
    if (photometric == PHOTOMETRIC_PALETTE)
        return fail("palette (indexed colour) images are not supported; expected one grey channel");
    // MINISWHITE is read as stored: the values, not their display, matter here.
    if (photometric != PHOTOMETRIC_MINISBLACK && photometric != PHOTOMETRIC_MINISWHITE)
        return fail("photometric interpretation " + std::to_string(photometric) +
                    " is not supported; expected grey values (min-is-black)");
    std::string why;
    if (!pixel_type(bits, format, L.dtype, why)) return fail(why);
    if (!detail::compression_from_tiff(compression, L.compression)) {
        const TIFFCodec* codec = TIFFFindCODEC(compression);
        return fail(std::string("compression ") + (codec ? codec->name : "code") + " (" + std::to_string(compression) +
                    ") is not supported; expected none, LZW, Deflate or PackBits");
    }

    std::uint32_t w = 0, h = 0;
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
    const std::uint32_t max_side = std::numeric_limits<std::int32_t>::max();
    if (w == 0 || h == 0 || w > max_side || h > max_side)
        return fail("image size " + std::to_string(w) + "x" + std::to_string(h) + " is not valid");
    L.width = w;
    L.height = h;

    L.tiled = TIFFIsTiled(tif) != 0;
    if (L.tiled) {
        TIFFGetField(tif, TIFFTAG_TILEWIDTH, &L.tile_width);
        TIFFGetField(tif, TIFFTAG_TILELENGTH, &L.tile_height);
        const std::uint64_t tile_bytes = std::uint64_t(L.tile_width) * L.tile_height * dtype_size(L.dtype);
        const std::uint64_t plane_bytes = std::uint64_t(w) * h * dtype_size(L.dtype);
        if (L.tile_width == 0 || L.tile_height == 0 || tile_bytes > std::max<std::uint64_t>(4 * plane_bytes, 1u << 26))
            return fail("tile size " + std::to_string(L.tile_width) + "x" + std::to_string(L.tile_height) +
                        " is not valid for a " + std::to_string(w) + "x" + std::to_string(h) + " image");
    } else {
        std::uint32_t rps = h;
        TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rps);
        L.rows_per_strip = std::clamp<std::uint32_t>(rps, 1, h);
    }
    return L;
}

std::string describe(const PageLayout& L) {
    return std::to_string(L.width) + "x" + std::to_string(L.height) + " " + dtype_name(L.dtype);
}

}  // namespace

struct TiffReader::Impl {
    std::string path;
    std::unique_ptr<detail::TiffHandle> tif;
    TiffInfo info;
    std::uint64_t file_size = 0;
    std::vector<std::uint64_t> ifd_offsets;  // one per page, from the pass at open
    std::int64_t current = 0;                // the page whose directory libtiff holds
    PageLayout layout;                       // of `current`
    // ImageJ's layout for stacks over 4 GB: one IFD, the other planes follow the first.
    bool raw_planes = false;
    std::uint64_t raw_offset = 0;
    std::ifstream raw;

    void open();
    void check_last_ifd();
    void check_size(double max_ratio) const;
    void find_raw_planes(std::int64_t images);
    void select(std::int64_t page);
    void read_strips(std::uint8_t* dst, std::int64_t page);
    void read_tiles(std::uint8_t* dst, std::int64_t page);
    void read_raw(std::uint8_t* dst, std::int64_t page);
    std::size_t plane_bytes() const { return std::size_t(info.shape.plane_pixels()) * dtype_size(info.dtype); }
};

void TiffReader::Impl::open() {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw Error("'" + path + "': no such file");
    if (fs::is_directory(status)) throw Error("'" + path + "' is a folder, expected a TIFF file");
    file_size = fs::file_size(path, ec);
    if (ec) throw Error("'" + path + "': cannot read: " + ec.message());
    if (file_size == 0) throw Error("'" + path + "': the file is empty (0 bytes), expected a TIFF image");

    // "m": no memory mapping, so a file truncated by another program while we read it
    // gives a read error rather than SIGBUS.
    tif = std::make_unique<detail::TiffHandle>(path, "rm", path, "not a readable TIFF file");
    TIFF* t = tif->get();

    layout = read_layout(t, path, 0);
    ifd_offsets.push_back(TIFFCurrentDirOffset(t));
    info.path = path;
    info.dtype = layout.dtype;
    info.compression = layout.compression;
    info.tiled = layout.tiled;
    info.big_endian = TIFFIsBigEndian(t) != 0;
    info.bigtiff = TIFFIsBigTIFF(t) != 0;

    char* text = nullptr;
    std::string description;
    if (TIFFGetField(t, TIFFTAG_IMAGEDESCRIPTION, &text) && text) description = text;
    const detail::ImageJDescription ij = detail::parse_imagej_description(description);
    info.imagej = ij.present;
    detail::ResolutionTags res;
    float xres = 0.f, yres = 0.f;
    std::uint16_t unit = 0;
    if (TIFFGetField(t, TIFFTAG_XRESOLUTION, &xres)) res.x = xres;
    if (TIFFGetField(t, TIFFTAG_YRESOLUTION, &yres)) res.y = yres;
    if (TIFFGetField(t, TIFFTAG_RESOLUTIONUNIT, &unit)) res.unit = unit;
    info.calibration = detail::calibration_from_tiff(res, ij);

    bool compressed = layout.compression != Compression::None;
    for (;;) {
        tif->clear_errors();
        if (!TIFFReadDirectory(t)) {
            if (tif->failed())
                tif->fail("cannot read page " + std::to_string(ifd_offsets.size() + 1) +
                          " (the file is truncated or corrupt)");
            break;  // the last page
        }
        const std::int64_t page = static_cast<std::int64_t>(ifd_offsets.size());
        const PageLayout L = read_layout(t, path, page);
        if (L.width != layout.width || L.height != layout.height || L.dtype != layout.dtype)
            throw Error(where(path, page) + "is " + describe(L) + " but page 1 is " + describe(layout) +
                        "; all pages must have the same size and pixel type");
        compressed = compressed || L.compression != Compression::None;
        ifd_offsets.push_back(TIFFCurrentDirOffset(t));
        layout = L;
    }
    current = static_cast<std::int64_t>(ifd_offsets.size()) - 1;
    info.pages = static_cast<std::int64_t>(ifd_offsets.size());
    check_last_ifd();

    Shape s;
    s.y = layout.height;
    s.x = layout.width;
    std::int64_t planes = info.pages;
    if (ij.present && ij.images > info.pages) {
        select(0);
        find_raw_planes(ij.images);
        planes = ij.images;
    }
    s.t = planes;
    // ImageJ, too, ignores channels/slices/frames that do not multiply to the plane count.
    const std::int64_t c = std::max<std::int64_t>(ij.channels, 1), z = std::max<std::int64_t>(ij.slices, 1),
                       f = std::max<std::int64_t>(ij.frames, 1);
    if (ij.present && c <= planes && z <= planes && f <= planes && c * z <= planes && c * z * f == planes) {
        s.c = c;
        s.z = z;
        s.t = f;
    }
    info.shape = s;
    check_size(compressed ? kMaxCompressionRatio : 1.0);
}

/// libtiff reads an unreadable "next IFD" link as 0 (no more pages), so a file cut
/// inside its last directory would lose its later pages silently. The directory's
/// extent (entry count from its first bytes) must lie inside the file.
void TiffReader::Impl::check_last_ifd() {
    TIFF* t = tif->get();
    const std::uint64_t offset = ifd_offsets.back();
    const bool big = TIFFIsBigTIFF(t) != 0;
    std::ifstream f(path, std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset));
    std::uint64_t count = 0;
    if (big) {
        f.read(reinterpret_cast<char*>(&count), 8);
        if (TIFFIsByteSwapped(t)) TIFFSwabLong8(&count);
    } else {
        std::uint16_t count16 = 0;
        f.read(reinterpret_cast<char*>(&count16), 2);
        if (TIFFIsByteSwapped(t)) TIFFSwabShort(&count16);
        count = count16;
    }
    const double end = big ? double(offset) + 8 + 20.0 * double(count) + 8 : double(offset) + 2 + 12.0 * double(count) + 4;
    if (!f || end > double(file_size))
        throw Error("'" + path + "': the file ends inside the directory of page " + std::to_string(info.pages) +
                    "; it is truncated");
}

/// A corrupt size field must give an Error here, not a huge allocation in read_all():
/// an uncompressed file holds all its pixels, a compressed one at most
/// kMaxCompressionRatio times its size.
void TiffReader::Impl::check_size(double max_ratio) const {
    const double bytes = double(info.shape.planes()) * double(plane_bytes());
    if (bytes > max_ratio * double(file_size))
        throw Error("'" + path + "': the header describes " + std::to_string(info.shape.planes()) + " pages of " +
                    describe(layout) + " (" + std::to_string(static_cast<long long>(bytes)) +
                    " bytes) but the file has only " + std::to_string(file_size) +
                    " bytes; it is truncated or corrupt");
}

void TiffReader::Impl::find_raw_planes(std::int64_t images) {
    // ImageJ writes stacks over 4 GB with a single IFD ("images=" says how many planes)
    // and the planes one after another; anything else with fewer pages than images= is damaged.
    TIFF* t = tif->get();
    const std::string mismatch = "'" + path + "': the ImageJ description says images=" + std::to_string(images) +
                                 " but the file has " + std::to_string(info.pages) + " page(s)";
    if (info.pages != 1 || layout.tiled || layout.compression != Compression::None)
        throw Error(mismatch + "; the file is truncated or corrupt");
    const std::uint32_t strips = TIFFNumberOfStrips(t);
    std::uint64_t next = TIFFGetStrileOffset(t, 0), total = 0;
    raw_offset = next;
    for (std::uint32_t s = 0; s < strips; ++s) {
        if (TIFFGetStrileOffset(t, s) != next) throw Error(mismatch + " and its first plane is not contiguous");
        next += TIFFGetStrileByteCount(t, s);
        total += TIFFGetStrileByteCount(t, s);
    }
    if (total < plane_bytes()) throw Error(mismatch + "; the file is truncated or corrupt");
    const double end = double(raw_offset) + double(images) * double(plane_bytes());
    if (end > double(file_size))
        throw Error(mismatch + ", and is too short for " + std::to_string(images) +
                    " planes; it is truncated");
    raw_planes = true;
}

void TiffReader::Impl::select(std::int64_t page) {
    if (page == current) return;
    tif->clear_errors();
    if (!TIFFSetSubDirectory(tif->get(), ifd_offsets[static_cast<std::size_t>(page)]))
        tif->fail("cannot read page " + std::to_string(page + 1), "libtiff could not load its directory");
    current = page;
    layout = read_layout(tif->get(), path, page);
}

void TiffReader::Impl::read_strips(std::uint8_t* dst, std::int64_t page) {
    TIFF* t = tif->get();
    const std::size_t row_bytes = std::size_t(layout.width) * dtype_size(layout.dtype);
    const std::uint32_t rps = layout.rows_per_strip;
    const std::uint32_t needed = (layout.height + rps - 1) / rps;
    if (TIFFNumberOfStrips(t) < needed)
        throw Error(where(path, page) + "has " + std::to_string(TIFFNumberOfStrips(t)) + " strips, " +
                    std::to_string(needed) + " are needed; the file is corrupt");
    for (std::uint32_t s = 0; s < needed; ++s) {
        const std::uint32_t row0 = s * rps;
        const std::uint32_t rows = std::min(rps, layout.height - row0);
        const tmsize_t want = static_cast<tmsize_t>(rows * row_bytes);
        tif->clear_errors();
        if (TIFFReadEncodedStrip(t, s, dst + row0 * row_bytes, want) != want)
            tif->fail("cannot decode page " + std::to_string(page + 1) + " (strip " + std::to_string(s) +
                          "); the file is truncated or corrupt",
                      "the strip is shorter than expected");
    }
}

void TiffReader::Impl::read_tiles(std::uint8_t* dst, std::int64_t page) {
    TIFF* t = tif->get();
    const std::size_t px = dtype_size(layout.dtype);
    const std::uint32_t tw = layout.tile_width, th = layout.tile_height;
    const tmsize_t tile_bytes = static_cast<tmsize_t>(std::size_t(tw) * th * px);
    std::vector<std::uint8_t> tile(static_cast<std::size_t>(tile_bytes));
    for (std::uint32_t y = 0; y < layout.height; y += th) {
        for (std::uint32_t x = 0; x < layout.width; x += tw) {
            tif->clear_errors();
            const std::uint32_t index = TIFFComputeTile(t, x, y, 0, 0);
            if (index >= TIFFNumberOfTiles(t) || TIFFReadEncodedTile(t, index, tile.data(), tile_bytes) != tile_bytes)
                tif->fail("cannot decode page " + std::to_string(page + 1) + " (tile " + std::to_string(index) +
                              "); the file is truncated or corrupt",
                          "the tile is missing or shorter than expected");
            // Edge tiles are padded: copy only the part inside the image.
            const std::uint32_t rows = std::min(th, layout.height - y), cols = std::min(tw, layout.width - x);
            for (std::uint32_t r = 0; r < rows; ++r)
                std::memcpy(dst + ((std::size_t(y) + r) * layout.width + x) * px, tile.data() + std::size_t(r) * tw * px,
                            cols * px);
        }
    }
}

void TiffReader::Impl::read_raw(std::uint8_t* dst, std::int64_t page) {
    if (!raw.is_open()) {
        raw.open(path, std::ios::binary);
        if (!raw) throw Error("'" + path + "': cannot open for reading");
    }
    const std::uint64_t offset = raw_offset + std::uint64_t(page) * plane_bytes();
    raw.clear();
    raw.seekg(static_cast<std::streamoff>(offset));
    raw.read(reinterpret_cast<char*>(dst), static_cast<std::streamsize>(plane_bytes()));
    if (!raw)
        throw Error(where(path, 0) + "cannot read plane " + std::to_string(page + 1) + " at byte " +
                    std::to_string(offset) + "; the file is truncated");
    if (TIFFIsByteSwapped(tif->get())) {
        const tmsize_t n = static_cast<tmsize_t>(info.shape.plane_pixels());
        if (dtype_size(info.dtype) == 2) TIFFSwabArrayOfShort(reinterpret_cast<std::uint16_t*>(dst), n);
        if (dtype_size(info.dtype) == 4) TIFFSwabArrayOfLong(reinterpret_cast<std::uint32_t*>(dst), n);
    }
}

TiffReader::TiffReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->open();
}

TiffReader::~TiffReader() = default;

const TiffInfo& TiffReader::info() const { return impl_->info; }

void TiffReader::read_page(std::int64_t index, void* dst) {
    Impl& d = *impl_;
    if (index < 0 || index >= d.info.shape.planes())
        throw Error("'" + d.path + "': page " + std::to_string(index) + " is out of range (the file has " +
                    std::to_string(d.info.shape.planes()) + " pages, numbered from 0)");
    auto* out = static_cast<std::uint8_t*>(dst);
    if (d.raw_planes && index > 0) return d.read_raw(out, index);
    d.select(index);
    if (d.layout.tiled) d.read_tiles(out, index);
    else d.read_strips(out, index);
}

Image TiffReader::read_page(std::int64_t index) {
    Shape s = impl_->info.shape;
    s.t = s.z = s.c = 1;
    Image plane(s, impl_->info.dtype);
    plane.calibration() = impl_->info.calibration;
    read_page(index, plane.bytes());
    return plane;
}

Image TiffReader::read_all() {
    const TiffInfo& info = impl_->info;
    Image image;
    try {
        image = Image(info.shape, info.dtype);
    } catch (const std::bad_alloc&) {
        throw Error("'" + info.path + "': not enough memory to read " + info.shape.str() + " " +
                    dtype_name(info.dtype) + " pixels");
    }
    image.calibration() = info.calibration;
    for (std::int64_t p = 0; p < info.shape.planes(); ++p) read_page(p, image.plane_bytes(p));
    return image;
}

}  // namespace nativeseg
