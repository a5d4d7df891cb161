// Test helper: `tiff_probe describe FILE` prints shape, pixel type and calibration on one
// line; `tiff_probe pixel FILE T Z C Y X` prints one pixel value; `tiff_probe equal A B`
// exits 0 when two images (any readable kind) have the same shape and pixel values
// (compared as numbers, so a float32 copy of a uint16 video is equal).
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "nativeseg/video_io.h"

using namespace nativeseg;

static double value_at(const Image& plane, std::int64_t i) {
    switch (plane.dtype()) {
        case DType::U8: return plane.data<std::uint8_t>()[i];
        case DType::U16: return plane.data<std::uint16_t>()[i];
        case DType::U32: return plane.data<std::uint32_t>()[i];
        case DType::I8: return plane.data<std::int8_t>()[i];
        case DType::I16: return plane.data<std::int16_t>()[i];
        case DType::I32: return plane.data<std::int32_t>()[i];
        case DType::F32: return plane.data<float>()[i];
    }
    return 0;
}

int main(int argc, char** argv) {
    try {
        const std::string cmd = argc > 1 ? argv[1] : "";
        if (cmd == "describe" && argc == 3) {
            auto v = open_video(argv[2]);
            const Calibration& c = v->calibration();
            std::printf("shape %s dtype %s pixel %g %g %s depth %g interval %g %s\n", v->shape().str().c_str(),
                        dtype_name(v->dtype()), c.pixel_width, c.pixel_height, c.unit.c_str(), c.voxel_depth,
                        c.frame_interval, c.time_unit.c_str());
            return 0;
        }
        if (cmd == "pixel" && argc == 8) {
            auto v = open_video(argv[2]);
            const Shape& s = v->shape();
            const std::int64_t p = s.plane_index(std::atoll(argv[3]), std::atoll(argv[4]), std::atoll(argv[5]));
            const Image plane = v->read_plane(p);
            std::printf("%g\n", value_at(plane, std::atoll(argv[6]) * s.x + std::atoll(argv[7])));
            return 0;
        }
        if (cmd == "equal" && argc == 4) {
            auto a = open_video(argv[2]);
            auto b = open_video(argv[3]);
            if (a->shape() != b->shape()) {
                std::printf("shapes differ: %s vs %s\n", a->shape().str().c_str(), b->shape().str().c_str());
                return 1;
            }
            for (std::int64_t p = 0; p < a->shape().planes(); ++p) {
                const Image pa = a->read_plane(p), pb = b->read_plane(p);
                for (std::int64_t i = 0; i < a->shape().plane_pixels(); ++i)
                    if (value_at(pa, i) != value_at(pb, i)) {
                        std::printf("plane %lld pixel %lld differs: %g vs %g\n", static_cast<long long>(p),
                                    static_cast<long long>(i), value_at(pa, i), value_at(pb, i));
                        return 1;
                    }
            }
            std::printf("equal: %s\n", a->shape().str().c_str());
            return 0;
        }
        std::fprintf(stderr, "usage: tiff_probe describe FILE | pixel FILE T Z C Y X | equal A B\n");
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tiff_probe: %s\n", e.what());
        return 1;
    }
}
