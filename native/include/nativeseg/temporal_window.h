#pragma once
// Which frames a temporal model sees for frame t: a window of k consecutive frames, causal
// (t-k+1 .. t, the reference's ConvLSTM models) or centred (t-r .. t+r, k = 2r+1). Frames
// before the start or after the end are replaced by copies of the first/last frame
// ("replicate", the reference: causal window 5 left-padded with 4 copies of frame 0) or by
// mirrored frames ("reflect": … 1 0 | 0 1 2 …, the end frame repeated, as in spatial padding).
#include <cstdint>
#include <string>
#include <vector>

namespace nativeseg {

enum class TemporalMode { Causal, Centered };
enum class TemporalPadding { Replicate, Reflect };

TemporalMode temporal_mode_from_name(const std::string& name);        // "causal", "centered"
TemporalPadding temporal_padding_from_name(const std::string& name);  // "replicate", "reflect"

/// The k frame indices (oldest first) that make up the window of frame t in a video of
/// `frames` frames. Indices are always in [0, frames).
std::vector<std::int64_t> temporal_window(std::int64_t t, std::int64_t frames, int k, TemporalMode mode,
                                          TemporalPadding padding);

}  // namespace nativeseg
