// Compression names and the whole-file conveniences over TiffReader and TiffWriter
// (tiff_reader.cpp, tiff_writer.cpp; ImageJ metadata in tiff_metadata.cpp).
#include "nativeseg/tiff_io.h"

#include <algorithm>
#include <cctype>

#include "nativeseg/error.h"

namespace nativeseg {

const char* compression_name(Compression c) {
    switch (c) {
        case Compression::None: return "none";
        case Compression::LZW: return "lzw";
        case Compression::Deflate: return "deflate";
        case Compression::PackBits: return "packbits";
    }
    return "?";
}

Compression compression_from_name(const std::string& name, const std::string& what) {
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    for (Compression c : {Compression::None, Compression::LZW, Compression::Deflate, Compression::PackBits})
        if (n == compression_name(c)) return c;
    if (n == "zip" || n == "zlib") return Compression::Deflate;
    throw Error(what + ": unknown compression '" + name + "' (expected none, lzw, deflate or packbits)");
}

Image read_tiff(const std::string& path) { return TiffReader(path).read_all(); }

TiffInfo read_tiff_info(const std::string& path) { return TiffReader(path).info(); }

void write_tiff(const std::string& path, const Image& image, const TiffWriteOptions& options) {
    if (image.empty()) throw Error("'" + path + "': cannot write an empty image");
    TiffWriter writer(path, image.shape(), image.dtype(), image.calibration(), options);
    for (std::int64_t p = 0; p < image.shape().planes(); ++p) writer.write_page(image.plane_bytes(p));
    writer.close();
}

}  // namespace nativeseg
