#pragma once
// ImageJ hyperstack metadata (the ImageDescription "ImageJ=..." text) and the TIFF
// resolution tags, both directions. Kept apart from libtiff so it can be tested alone.
#include <cstdint>
#include <string>

#include "nativeseg/image.h"

namespace nativeseg::detail {

/// The keys of an ImageJ description that we use. Absent numbers are 0, absent text empty.
struct ImageJDescription {
    bool present = false;  // the text starts with "ImageJ="
    std::int64_t images = 0, channels = 0, slices = 0, frames = 0;
    std::string unit;       // canonical (see canonical_unit)
    double spacing = 0.0;   // voxel depth
    double finterval = 0.0; // frame interval
    std::string tunit;
};

ImageJDescription parse_imagej_description(const std::string& text);

/// ImageJ's spellings of the micrometre ("micron", "µm", "\u00B5m", "um", ...) become
/// "micron", as ImageJ writes it; other units are returned unchanged.
std::string canonical_unit(const std::string& unit);

/// The ImageJ description; `images_key` false leaves out "images=" (see TiffWriter).
std::string imagej_description(const Shape& shape, const Calibration& calibration, bool images_key);

/// The TIFF resolution tags: pixels per unit (0 = tag absent) and RESUNIT_* (0 = absent).
struct ResolutionTags {
    double x = 0.0, y = 0.0;
    int unit = 0;
};

/// Calibration from the resolution tags and the ImageJ description, as ImageJ reads
/// them (pixel size = 1 / resolution; unit from the description, else inch/cm from
/// the tag; small centimetre sizes become microns).
Calibration calibration_from_tiff(const ResolutionTags& res, const ImageJDescription& ij);

/// Resolution tags for a calibration; `imagej` says whether an ImageJ description
/// (which carries the unit) is written too. unit 0: write no resolution tags.
ResolutionTags resolution_for(const Calibration& cal, bool imagej);

}  // namespace nativeseg::detail
