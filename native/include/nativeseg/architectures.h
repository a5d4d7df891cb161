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
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/script.h>

namespace nativeseg {

struct ArchitectureSpec {
    std::string name = "unet";       // unet, residual_unet, dlinknet
    int spatial_dims = 2;            // 2 or 3 (unet only)
    int in_channels = 1;
    int out_channels = 1;            // 1: sigmoid head; k > 1: softmax over k classes
    int depth = 4;                   // poolings
    int base_filters = 16;           // channels of the first level, doubled per level
    bool batch_norm = true;
    double dropout = 0.0;            // dropout probability before the deepest level's output
    std::string upsampling = "transposed";  // transposed or bilinear (trilinear in 3-D)

    /// The keyword arguments as recorded in the rdf (config.nativeseg.architecture).
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
