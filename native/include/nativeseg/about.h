#pragma once
// Versions of NativeSeg and of the libraries the core is built with (LibTorch aside: see device.h).
#include <nlohmann/json_fwd.hpp>

namespace nativeseg {

/// {"nativeseg": "0.1.0", "opencv": "4.6.0", "libtiff": "4.5.0", ...}
nlohmann::json library_versions();

}  // namespace nativeseg
