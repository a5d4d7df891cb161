#pragma once
// The `convert` job: any readable video or stack (TIFF, folder of frames, PNG) to one
// ImageJ hyperstack TIFF or to a folder of frames, with a chosen pixel type, compression,
// byte order, tiling and BigTIFF. Streams plane by plane.
#include <optional>
#include <string>

#include "nativeseg/image.h"
#include "nativeseg/progress.h"
#include "nativeseg/settings.h"
#include "nativeseg/tiff_io.h"

namespace nativeseg {

struct ConvertOptions {
    TiffWriteOptions tiff;
    std::optional<DType> pixel_type;  // unset: keep the input's
};

/// From the "convert" settings (compression, byte_order, tile_size, bigtiff, pixel_type).
ConvertOptions convert_options(const SettingValues& values);

/// Input → one TIFF file (ImageJ hyperstack metadata, input calibration kept).
void convert_to_tiff(const std::string& input, const std::string& output, const ConvertOptions& options,
                     Progress* progress = nullptr);
/// Input → folder of one TIFF per frame, named `<prefix>NNN.tif` (CTC layout for prefix "t").
void convert_to_folder(const std::string& input, const std::string& out_dir, const ConvertOptions& options,
                       const std::string& prefix = "t", Progress* progress = nullptr);

}  // namespace nativeseg
