// Test helper: writes a tiny bioimage.io model package for the command-line tests.
//   make_test_model DIR [--version 0.4|0.5] [--bad-test-output]
// The model: a 3x3 maximum filter, then p = clamp(2.5 (m - 0.15), 0, 1), output channels
// [background, foreground] = [1 - p, p] (receptive field radius 1, rdf halo 1). Every step is
// exact in floating point whatever the tile size, so tiled and whole-frame outputs are
// bit-identical and the command-line test can compare files exactly. Its
// config.nativeseg asks for percentile normalisation, so bright objects come out as foreground.
// The test tensors are the model's own output on a random input (perturbed with
// --bad-test-output, which validate-model must report as FAIL).
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include <torch/script.h>

#include "nativeseg/npy.h"

using namespace nativeseg;

namespace {

NpyArray to_npy(const at::Tensor& t_in) {
    const at::Tensor t = t_in.to(at::kFloat).contiguous();
    NpyArray a;
    a.shape = t.sizes().vec();
    a.data.resize(static_cast<std::size_t>(t.numel()) * 4);
    std::memcpy(a.data.data(), t.data_ptr<float>(), a.data.size());
    return a;
}

const char* kRdf05 = R"(format_version: 0.5.3
type: model
id: nativeseg-test-foreground
name: NativeSeg test foreground
description: Bright objects as foreground (3x3 maximum, clamped ramp); a fixture for command-line tests.
version: 0.1.0
license: MIT
documentation: README.md
authors:
  - {name: NativeSeg tests}
cite:
  - {text: "NativeSeg test fixture", url: "https://example.org/nativeseg"}
inputs:
  - id: raw
    axes:
      - {type: batch}
      - {type: channel, channel_names: [raw]}
      - {type: space, id: y, size: {min: 16, step: 8}}
      - {type: space, id: x, size: {min: 16, step: 8}}
    test_tensor: {source: test_input.npy}
    data: {type: float32}
    preprocessing:
      - {id: ensure_dtype, kwargs: {dtype: float32}}
outputs:
  - id: probabilities
    axes:
      - {type: batch}
      - {type: channel, channel_names: [background, foreground]}
      - {type: space, id: y, size: {tensor_id: raw, axis_id: y}, halo: 1}
      - {type: space, id: x, size: {tensor_id: raw, axis_id: x}, halo: 1}
    test_tensor: {source: test_output.npy}
weights:
  torchscript: {source: weights.pt, pytorch_version: "1.13"}
config:
  nativeseg:
    channels: [background, foreground]
    threshold: 0.5
    normalize: percentile
)";

const char* kRdf04 = R"(format_version: 0.4.10
type: model
name: NativeSeg test foreground
description: Bright objects as foreground (3x3 maximum, clamped ramp); a fixture for command-line tests.
license: MIT
documentation: README.md
timestamp: 2024-01-01T00:00:00
authors: [{name: NativeSeg tests}]
cite: [{text: NativeSeg test fixture}]
test_inputs: [test_input.npy]
test_outputs: [test_output.npy]
inputs:
  - name: raw
    axes: bcyx
    data_type: float32
    shape: {min: [1, 1, 16, 16], step: [0, 0, 8, 8]}
outputs:
  - name: probabilities
    axes: bcyx
    data_type: float32
    shape: {reference_tensor: raw, scale: [1, 0, 1, 1], offset: [0, 1, 0, 0]}
    halo: [0, 0, 1, 1]
weights:
  torchscript: {source: weights.pt}
config:
  nativeseg:
    channels: [background, foreground]
    normalize: percentile
)";

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc < 2) {
            std::fprintf(stderr, "usage: make_test_model DIR [--version 0.4|0.5] [--bad-test-output]\n");
            return 2;
        }
        const std::string dir = argv[1];
        std::string version = "0.5";
        bool bad = false;
        for (int i = 2; i < argc; ++i) {
            const std::string a = argv[i];
            if (a == "--version" && i + 1 < argc) version = argv[++i];
            else if (a == "--bad-test-output") bad = true;
            else throw std::runtime_error("unknown argument " + a);
        }
        std::filesystem::create_directories(dir);
        torch::jit::Module m("TestForeground");
        m.define(R"JIT(
def forward(self, x):
    m = torch.max_pool2d(x, 3, 1, 1)
    p = torch.clamp(2.5 * (m - 0.15), 0.0, 1.0)
    return torch.cat([1.0 - p, p], 1)
)JIT");
        m.eval();
        m.save(dir + "/weights.pt");
        std::ofstream(dir + "/rdf.yaml") << (version == "0.4" ? kRdf04 : kRdf05);
        std::ofstream(dir + "/README.md") << "# NativeSeg test foreground\n\nA fixture for the command-line tests.\n";
        at::manual_seed(1);
        const at::Tensor x = at::rand({1, 1, 32, 40});
        torch::NoGradGuard g;
        at::Tensor y = m.forward({x}).toTensor().clone();
        if (bad) y[0][1][10][10] += 0.5;
        write_npy(dir + "/test_input.npy", to_npy(x));
        write_npy(dir + "/test_output.npy", to_npy(y));
        std::printf("wrote %s\n", dir.c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "make_test_model: %s\n", e.what());
        return 1;
    }
}
