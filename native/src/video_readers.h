#pragma once
// The VideoReader kinds that open_video() dispatches to.
#include <memory>
#include <string>

#include "nativeseg/video_io.h"

namespace nativeseg::detail {

/// A folder of frame files (frame_folder.cpp).
std::unique_ptr<VideoReader> open_frame_folder(const std::string& dir);

}  // namespace nativeseg::detail
