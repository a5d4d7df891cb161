// `nativeseg info`: versions, devices and threads; with --input, what an image file holds.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "nativeseg/about.h"
#include "nativeseg/device.h"
#include "nativeseg/tiff_io.h"
#include "nativeseg/video_io.h"

namespace nativeseg::cli {

namespace {

nlohmann::json image_json(const std::string& path) {
    auto video = open_video(path);
    const Shape& s = video->shape();
    const Calibration& c = video->calibration();
    nlohmann::json j = {{"path", path},
                        {"shape", {{"t", s.t}, {"z", s.z}, {"c", s.c}, {"y", s.y}, {"x", s.x}}},
                        {"dtype", dtype_name(video->dtype())},
                        {"calibration",
                         {{"pixel_width", c.pixel_width},
                          {"pixel_height", c.pixel_height},
                          {"voxel_depth", c.voxel_depth},
                          {"unit", c.unit},
                          {"frame_interval", c.frame_interval},
                          {"time_unit", c.time_unit}}}};
    const std::string lower = path.size() > 4 ? path.substr(path.size() - 4) : path;
    if (lower == ".tif" || lower == "tiff") {
        const TiffInfo t = read_tiff_info(path);
        j["tiff"] = {{"pages", t.pages},           {"imagej", t.imagej},   {"big_endian", t.big_endian},
                     {"bigtiff", t.bigtiff},       {"tiled", t.tiled},
                     {"compression", compression_name(t.compression)}};
    }
    return j;
}

void print_text(const nlohmann::json& j) {
    if (j.contains("image")) {
        const auto& im = j["image"];
        const auto& s = im["shape"];
        const auto& c = im["calibration"];
        std::cout << im["path"].get<std::string>() << "\n"
                  << "  shape        T=" << s["t"] << " Z=" << s["z"] << " C=" << s["c"] << " Y=" << s["y"]
                  << " X=" << s["x"] << "\n"
                  << "  pixel type   " << im["dtype"].get<std::string>() << "\n"
                  << "  pixel size   " << c["pixel_width"].get<double>() << " x " << c["pixel_height"].get<double>()
                  << " " << c["unit"].get<std::string>() << " (z step " << c["voxel_depth"].get<double>() << ")\n"
                  << "  frame step   " << c["frame_interval"].get<double>() << " "
                  << c["time_unit"].get<std::string>() << "\n";
        if (im.contains("tiff")) {
            const auto& t = im["tiff"];
            std::cout << "  tiff         " << t["pages"] << " pages, " << t["compression"].get<std::string>()
                      << (t["big_endian"].get<bool>() ? ", big-endian" : ", little-endian")
                      << (t["tiled"].get<bool>() ? ", tiled" : ", strips")
                      << (t["bigtiff"].get<bool>() ? ", BigTIFF" : "")
                      << (t["imagej"].get<bool>() ? ", ImageJ hyperstack metadata" : "") << "\n";
        }
        return;
    }
    const auto& v = j["versions"];
    const auto& d = j["devices"];
    std::cout << "NativeSeg " << v["nativeseg"].get<std::string>() << "\n"
              << "  LibTorch   " << d["libtorch"].get<std::string>() << "\n"
              << "  OpenCV     " << v["opencv"].get<std::string>() << "\n"
              << "  libtiff    " << v["libtiff"].get<std::string>() << "\n"
              << "  CUDA       " << (d["cuda_available"].get<bool>() ? "available" : "not available")
              << " (" << d["cuda_devices"] << " device(s); LibTorch built "
              << (d["cuda_built"].get<bool>() ? "with" : "without") << " CUDA)\n"
              << "  threads    " << d["cpu_threads"] << "\n"
              << "  device     auto = " << d["auto_device"].get<std::string>() << ": " << d["why"].get<std::string>()
              << "\n";
}

}  // namespace

void add_info_command(CLI::App& app) {
    auto* sub = app.add_subcommand("info", "Show versions, devices and threads, or what an image file holds");
    auto input = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    sub->add_option("--input", *input, "Describe this image (TIFF, folder of frames, PNG) instead");
    sub->add_flag("--json", *json, "Print JSON");
    sub->callback([input, json] {
        nlohmann::json j;
        if (!input->empty()) {
            j["image"] = image_json(*input);
        } else {
            j["versions"] = library_versions();
            j["devices"] = device_info_json(query_devices());
        }
        if (*json) std::cout << j.dump(2) << "\n";
        else print_text(j);
    });
}

}  // namespace nativeseg::cli
