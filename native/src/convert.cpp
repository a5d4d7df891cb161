#include "nativeseg/convert.h"

#include <filesystem>

#include "nativeseg/atomic_file.h"
#include "nativeseg/ctc.h"
#include "nativeseg/error.h"
#include "nativeseg/video_io.h"

namespace nativeseg {

ConvertOptions convert_options(const SettingValues& v) {
    ConvertOptions o;
    o.tiff.compression = compression_from_name(v.get_string("compression"), "compression");
    const std::string& order = v.get_string("byte_order");
    o.tiff.byte_order = order == "big" ? ByteOrder::Big : order == "little" ? ByteOrder::Little : ByteOrder::Native;
    o.tiff.tile_size = static_cast<int>(v.get_int("tile_size"));
    if (o.tiff.tile_size % 16 != 0)
        throw Error("tile_size: expected a multiple of 16 (TIFF tiles), got " + std::to_string(o.tiff.tile_size));
    o.tiff.bigtiff = v.get_bool("bigtiff");
    if (v.get_string("pixel_type") != "keep") o.pixel_type = dtype_from_name(v.get_string("pixel_type"), "pixel_type");
    return o;
}

namespace {

Image convert_plane(Image plane, const ConvertOptions& o) {
    if (o.pixel_type && *o.pixel_type != plane.dtype()) return plane.converted(*o.pixel_type);
    return plane;
}

void check_not_same(const std::string& input, const std::string& output) {
    std::error_code ec;
    if (std::filesystem::exists(output) && std::filesystem::equivalent(input, output, ec))
        throw Error("output '" + output + "' is the input: inputs are never overwritten; choose another name");
}

}  // namespace

void convert_to_tiff(const std::string& input, const std::string& output, const ConvertOptions& options,
                     Progress* progress) {
    check_not_same(input, output);
    auto video = open_video(input);
    const Shape shape = video->shape();
    const DType dtype = options.pixel_type.value_or(video->dtype());
    TiffWriter writer(output, shape, dtype, video->calibration(), options.tiff);
    const std::int64_t planes = shape.planes();
    for (std::int64_t p = 0; p < planes; ++p) {
        check_cancel(progress);
        writer.write_page(convert_plane(video->read_plane(p), options));
        report(progress, "convert", p + 1, planes);
    }
    writer.close();
}

void convert_to_folder(const std::string& input, const std::string& out_dir, const ConvertOptions& options,
                       const std::string& prefix, Progress* progress) {
    check_not_same(input, out_dir);
    auto video = open_video(input);
    const Shape shape = video->shape();
    const DType dtype = options.pixel_type.value_or(video->dtype());
    ensure_writable_dir(out_dir);
    Shape frame_shape = shape;
    frame_shape.t = 1;
    const std::int64_t per_frame = frame_shape.planes();
    for (std::int64_t t = 0; t < shape.t; ++t) {
        check_cancel(progress);
        const std::string path = (std::filesystem::path(out_dir) / ctc_frame_name(prefix, t, shape.t)).string();
        TiffWriter writer(path, frame_shape, dtype, video->calibration(), options.tiff);
        for (std::int64_t p = 0; p < per_frame; ++p)
            writer.write_page(convert_plane(video->read_plane(t * per_frame + p), options));
        writer.close();
        report(progress, "convert", t + 1, shape.t);
    }
}

}  // namespace nativeseg
