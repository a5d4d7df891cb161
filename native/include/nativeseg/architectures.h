#pragma once
// Network definitions built as TorchScript modules in C++: parameters are registered on a
// torch::jit::Module and the forward pass is TorchScript source generated for the chosen
// architecture, so a trained network saves (Module::save) as an ordinary TorchScript file
// that Python torch.jit.load, deepImageJ and the bioimage.io tools load like any other.
//
// Every module has two methods:
//   logits(x)   the raw network output (what the losses take),
//   forward(x)  the probabilities: sigmoid for one output channel, softmax over channels otherwise.
// BatchNorm and dropout follow the module's `training` flag (module.train(true/false)).
//
// Architectures (name → what it is; keyword arguments in ArchitectureSpec):
//   unet           U-Net: two 3×3 conv (+BN) + ReLU per level, max pooling, transposed conv or
//                  bilinear upsampling, concatenated skips (2-D, or 3-D with spatial_dims = 3)
//   residual_unet  residual blocks (conv-BN-ReLU-conv-BN + 1×1 projection) and additive skips
//   dlinknet       residual encoder/decoder with additive skips and a D-LinkNet centre: cascaded
//                  dilated 3×3 convs (rates 1, 2, 4, 8) whose outputs are summed with the input
//   temporal_unet  U-Net on a window of temporal_window consecutive frames stacked as channels
//                  (oldest first; input (B, k·in_channels, Y, X)): the U-Net encoder is one method,
//                  encode(x), run on every frame with the same weights; a ConvLSTM cell
//                  (gates = conv3×3(cat[x_t, h]) → i, f, o, g; c = σ(f)·c + σ(i)·tanh(g);
//                  h = σ(o)·tanh(c); h, c start at 0; lstm_channels() = bottom channels / 4) runs
//                  over the k bottom feature maps in time order; the decoder takes the last h and the
//                  skips of the target frame (the last one when causal, the centre one when centered)
//                  and predicts that one frame (B, out_channels, Y, X)
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/script.h>

namespace nativeseg {

struct ArchitectureSpec {
    std::string name = "unet";       // unet, residual_unet, dlinknet, temporal_unet
    int spatial_dims = 2;            // 2 or 3 (unet only)
    int in_channels = 1;             // per frame for temporal_unet
    int out_channels = 1;            // 1: sigmoid head; k > 1: softmax over k classes
    int depth = 4;                   // poolings
    int base_filters = 16;           // channels of the first level, doubled per level
    bool batch_norm = true;
    double dropout = 0.0;            // dropout probability before the deepest level's output
    std::string upsampling = "transposed";  // transposed or bilinear (trilinear in 3-D)
    int temporal_window = 5;         // temporal_unet: frames per input, at least 2
    std::string temporal_mode = "causal";  // temporal_unet: causal (t-k+1 .. t) or centered (t-r .. t+r)

    bool is_temporal() const { return name == "temporal_unet"; }
    /// Frames per input: temporal_window for temporal_unet, else 1.
    int input_frames() const { return is_temporal() ? temporal_window : 1; }
    /// The frame of the window that is predicted: the last (causal) or the centre (centered).
    int target_frame() const { return temporal_mode == "centered" ? temporal_window / 2 : temporal_window - 1; }
    /// temporal_unet: channels of the ConvLSTM state (a quarter of the bottom level's, at least 1).
    int lstm_channels() const { return std::max(1, (base_filters << depth) / 4); }
    /// U-Net blocks with concatenated skips (unet, temporal_unet) rather than residual ones.
    bool concatenates_skips() const { return name == "unet" || name == "temporal_unet"; }

    /// The keyword arguments as recorded in the rdf (config.nativeseg.architecture); the
    /// temporal ones only for temporal_unet.
    nlohmann::json to_json() const;
    static ArchitectureSpec from_json(const nlohmann::json& j);
    /// Error naming the bad field (unknown name, depth out of 1..6, ...).
    void check() const;
    /// Input sizes must be multiples of this (2^depth).
    std::int64_t size_step() const { return std::int64_t{1} << depth; }
    /// Pixels of context the network sees on each side (a halo that covers it, rounded up).
    std::int64_t halo() const;
};

/// The architecture names this build knows.
const std::vector<std::string>& architecture_names();

/// A new network with He-initialised weights (deterministic for a seed), in training mode.
torch::jit::Module build_architecture(const ArchitectureSpec& spec, std::uint64_t seed);

/// The TorchScript source of the network's methods (exposed for tests and docs).
std::string architecture_source(const ArchitectureSpec& spec);

/// Number of trainable values.
std::int64_t parameter_count(const torch::jit::Module& module);

}  // namespace nativeseg
