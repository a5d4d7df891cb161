#pragma once
// Our pixel types and compressions <-> libtiff's tag values.
#include <tiffio.h>

#include <cstdint>

#include "nativeseg/image.h"
#include "nativeseg/tiff_io.h"

namespace nativeseg::detail {

inline std::uint16_t tiff_sample_format(DType t) {
    if (t == DType::F32) return SAMPLEFORMAT_IEEEFP;
    return dtype_is_signed(t) ? SAMPLEFORMAT_INT : SAMPLEFORMAT_UINT;
}

inline std::uint16_t tiff_bits(DType t) { return static_cast<std::uint16_t>(dtype_size(t) * 8); }

inline std::uint16_t tiff_compression(Compression c) {
    switch (c) {
        case Compression::None: return COMPRESSION_NONE;
        case Compression::LZW: return COMPRESSION_LZW;
        case Compression::Deflate: return COMPRESSION_ADOBE_DEFLATE;
        case Compression::PackBits: return COMPRESSION_PACKBITS;
    }
    return COMPRESSION_NONE;
}

/// False for compressions we do not read.
inline bool compression_from_tiff(std::uint16_t tag, Compression& out) {
    switch (tag) {
        case COMPRESSION_NONE: out = Compression::None; return true;
        case COMPRESSION_LZW: out = Compression::LZW; return true;
        case COMPRESSION_ADOBE_DEFLATE:
        case COMPRESSION_DEFLATE: out = Compression::Deflate; return true;
        case COMPRESSION_PACKBITS: out = Compression::PackBits; return true;
        default: return false;
    }
}

}  // namespace nativeseg::detail
