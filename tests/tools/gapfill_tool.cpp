// Test helper: `gapfill_tool MODE IN.tif SMOOTHED.tif MASK.tif [SIGMA LEVEL]` runs the
// streaming gap filling (MODE reference|temporal|off) over a binary mask video (any integer
// TIFF, non-zero = foreground) and writes the smoothed values (uint8 for reference, float32
// for temporal) and the filled 0/1 masks, for comparison with an independent implementation.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <opencv2/core.hpp>

#include "nativeseg/gap_fill.h"
#include "nativeseg/tiff_io.h"
#include "nativeseg/video_io.h"

using namespace nativeseg;

int main(int argc, char** argv) {
    if (argc != 5 && argc != 7) {
        std::fprintf(stderr, "usage: gapfill_tool reference|temporal|off IN.tif SMOOTHED.tif MASK.tif [SIGMA LEVEL]\n");
        return 2;
    }
    try {
        const std::string mode = argv[1];
        GapFillParams p;
        p.mode = mode == "reference" ? GapFillMode::Reference
                 : mode == "temporal" ? GapFillMode::Temporal
                                      : GapFillMode::Off;
        if (argc == 7) {
            p.sigma = std::atof(argv[5]);
            p.level = std::atof(argv[6]);
        }
        auto video = open_video(argv[2]);
        const Shape s = video->shape();
        Shape out_shape{s.t, 1, 1, s.y, s.x};
        const DType smooth_type = p.mode == GapFillMode::Temporal ? DType::F32 : DType::U8;
        TiffWriteOptions opts;
        opts.compression = Compression::Deflate;
        TiffWriter smoothed(argv[3], out_shape, smooth_type, video->calibration(), opts);
        TiffWriter masks(argv[4], out_shape, DType::U8, video->calibration(), opts);
        GapFiller filler(p, s.t);
        auto drain = [&] {
            while (filler.ready()) {
                cv::Mat m = filler.pop();
                masks.write_page(m.data);
                cv::Mat sm = filler.last_smoothed();
                if (sm.empty()) sm = m;
                if (smooth_type == DType::F32) sm.convertTo(sm, CV_32F);
                smoothed.write_page(sm.data);
            }
        };
        for (std::int64_t t = 0; t < s.t; ++t) {
            Image plane = video->read_plane(t);
            cv::Mat m = plane.converted(DType::F32).plane_mat(0) != 0;
            filler.push(m / 255);
            drain();
        }
        drain();
        smoothed.close();
        masks.close();
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gapfill_tool: %s\n", e.what());
        return 1;
    }
}
