#include "nativeseg/about.h"

#include <tiffio.h>

#include <string>

#include <nlohmann/json.hpp>
#include <opencv2/core/version.hpp>

#include "nativeseg/version.h"

namespace nativeseg {

nlohmann::json library_versions() {
    // TIFFGetVersion() is a multi-line banner; keep the "Version x.y.z" part.
    std::string tiff = TIFFGetVersion();
    const auto pos = tiff.find("Version ");
    if (pos != std::string::npos) {
        tiff = tiff.substr(pos + 8);
        tiff = tiff.substr(0, tiff.find_first_of(" \n"));
    }
    return {{"nativeseg", NATIVESEG_VERSION},
            {"opencv", CV_VERSION},
            {"libtiff", tiff},
            {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                  std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                  std::to_string(NLOHMANN_JSON_VERSION_PATCH)}};
}

}  // namespace nativeseg
